/**
 * The contract between the SDK and Weft's core. Both bindings — WebAssembly
 * (`@weft/wasm`) and the Node addon (`@weft/node`) — satisfy it, and the SDK is
 * written against it alone, so the same code runs on either (the backend is
 * injected, never imported directly).
 *
 * Conventions every binding follows:
 * - Text indices and lengths are UTF-16 code units (what `String.length` counts).
 * - Errors are `Error`s with a stable `code` (see {@link WeftErrorCode}); a failed
 *   call changes nothing.
 * - Objects own memory in the core: `free()` (or `using`) releases it at once, and a
 *   `FinalizationRegistry` releases what is forgotten. Container objects keep their
 *   document alive; using a container of a freed document throws `WEFT_FREED`.
 * - 64-bit integers outside ±(2^53 − 1) come back as `bigint`.
 */

/** A JSON-like value a field can hold. */
export type WeftValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | WeftValue[]
  | { [key: string]: WeftValue };

/** The kinds of container a document holds. */
export type ContainerKind = "map" | "list" | "text" | "counter" | "set";

/**
 * How a container appears where a value would: in `get`, in list values and in
 * events. `id` is stable across replicas; `doc.container(id)` opens it.
 */
export interface ContainerRef {
  readonly container: string;
  readonly kind: ContainerKind;
}

/** What `get` and friends return: a value, a container, or `undefined` if absent. */
export type WeftRead = WeftValue | ContainerRef | undefined;

/** Which side a stable position sticks to when text is inserted exactly there. */
export type Gravity = "left" | "right";

/** Whether a mark grows when text is typed at its start, its end, both, or neither. */
export type Expand = "none" | "before" | "after" | "both";

/** Formatting of a run of text: mark name → value (`comment` holds a sorted id array). */
export type Attributes = Record<string, WeftValue>;

/** One run of formatted text, the shape Quill, ProseMirror and Tiptap consume. */
export interface DeltaRun {
  insert: string;
  attributes?: Attributes;
}

/** One step of a text change, Quill-style, in UTF-16 units from index 0. */
export type TextDeltaOp =
  | { retain: number; attributes?: Attributes }
  | { insert: string; attributes?: Attributes }
  | { delete: number };

/** One step of a list change from index 0. */
export type ListDeltaOp = { retain: number } | { insert: WeftRead[] } | { delete: number };

/** A precise change to one container, from a local or a remote op. */
export type WeftEvent =
  | { container: string; kind: "map"; key: string; value: WeftRead }
  | { container: string; kind: "text"; delta: TextDeltaOp[] }
  | { container: string; kind: "list"; delta: ListDeltaOp[] }
  | { container: string; kind: "counter"; value: number | bigint }
  | { container: string; kind: "set"; member: WeftValue; present: boolean };

/** What an import did. */
export interface ImportReport {
  /** Changes applied now. */
  applied: number;
  /** Changes waiting in the causal buffer for their dependencies. */
  buffered: number;
}

/** Where the caret belongs after an undo or redo. */
export interface UndoOutcome {
  /** The container the undone change touched, if it was a text or a list. */
  container?: string;
  /** The caret's index in it (UTF-16 units for text). */
  index?: number;
}

/** Memory owned by the core. */
export interface Freeable {
  /** Releases the core's memory now; further use throws `WEFT_FREED`. */
  free(): void;
  [Symbol.dispose](): void;
}

/** Common to every container object. */
export interface CoreContainer extends Freeable {
  /** Stable id, the same on every replica. */
  readonly id: string;
  readonly kind: ContainerKind;
}

/** A map nested in a document or another container. */
export interface CoreMap extends CoreContainer {
  readonly kind: "map";
  set(key: string, value: WeftValue): void;
  get(key: string): WeftRead;
  delete(key: string): void;
  keys(): string[];
  /** Creates a container in a field and opens it. */
  setContainer(key: string, kind: ContainerKind): AnyContainer;
  toJSON(): Record<string, unknown>;
}

/** A list of values and containers (Fugue: concurrent inserts never interleave). */
export interface CoreList extends CoreContainer {
  readonly kind: "list";
  insert(index: number, ...values: WeftValue[]): void;
  insertContainer(index: number, kind: ContainerKind): AnyContainer;
  delete(index: number, len: number): void;
  get(index: number): WeftRead;
  readonly length: number;
  toArray(): WeftRead[];
  /** A stable position (see {@link CoreDoc.cursorIndex}). */
  cursor(index: number, gravity: Gravity): Uint8Array;
}

/** Plain or rich text (Fugue + Peritext). Indices are UTF-16 code units. */
export interface CoreText extends CoreContainer {
  readonly kind: "text";
  insert(index: number, text: string): void;
  delete(index: number, len: number): void;
  readonly length: number;
  toString(): string;
  /** Applies a mark over [start, end); `value` is `true` for plain marks. */
  mark(start: number, end: number, name: string, value: WeftValue): void;
  /** Removes a mark over [start, end); with `value`, only that one (a comment id). */
  unmark(start: number, end: number, name: string, value?: WeftValue): void;
  /** The text as formatted runs. */
  toDelta(): DeltaRun[];
  /** A stable position that survives concurrent edits, export and import. */
  cursor(index: number, gravity: Gravity): Uint8Array;
}

/** A PN-counter. */
export interface CoreCounter extends CoreContainer {
  readonly kind: "counter";
  add(delta: number | bigint): void;
  readonly value: number | bigint;
}

/** An add-wins observed-remove set of scalars. */
export interface CoreSet extends CoreContainer {
  readonly kind: "set";
  add(member: WeftValue): void;
  /** Whether the member was present. */
  remove(member: WeftValue): boolean;
  has(member: WeftValue): boolean;
  values(): WeftValue[];
}

/** Any container object. */
export type AnyContainer = CoreMap | CoreList | CoreText | CoreCounter | CoreSet;

/** One replica of a document, living in the core. */
export interface CoreDoc extends Freeable {
  /** The 64-bit replica id this document writes as. */
  readonly replica: bigint;

  /** Sets a root field (last writer wins). */
  set(key: string, value: WeftValue): void;
  /** A root field's value or container, or `undefined` if absent. */
  get(key: string): WeftRead;
  /** Deletes a root field. */
  delete(key: string): void;
  /** Names of the root fields that hold something. */
  keys(): string[];
  /** The whole document as plain JSON-like data (containers expanded). */
  toJSON(): Record<string, unknown>;

  /** Opens (creating if needed) the container in a root field. */
  text(key: string): CoreText;
  list(key: string): CoreList;
  map(key: string): CoreMap;
  counter(key: string): CoreCounter;
  orSet(key: string): CoreSet;
  /** Opens a container by its stable id (from `ContainerRef` or an event). */
  container(id: string): AnyContainer;

  /** Seals pending local ops into a change (exports and undo groups do it too). */
  commit(): void;
  /** The encoded version vector (what this replica has seen). */
  version(): Uint8Array;
  /** Local and applied changes a peer at `since` (an encoded version) lacks, as bytes. */
  exportChanges(since?: Uint8Array): Uint8Array;
  /** The whole document with its history. */
  exportSnapshot(): Uint8Array;
  /** The current state only, for a fast first load. */
  exportState(): Uint8Array;
  /** Merges any encoded bytes; on error nothing changes. */
  import(bytes: Uint8Array): ImportReport;

  /** Starts or stops recording events; `takeEvents` drains them. */
  recordEvents(on: boolean): void;
  takeEvents(): WeftEvent[];

  /** The UTF-16 index a stable position resolves to now. */
  cursorIndex(cursor: Uint8Array): number;

  /** Declares an application mark's expand policy (built-ins are predefined). */
  defineMark(name: string, expand: Expand): void;

  /** Undoes this replica's last change group; `undefined` if there is none. */
  undo(): UndoOutcome | undefined;
  redo(): UndoOutcome | undefined;
  canUndo(): boolean;
  canRedo(): boolean;
  /** Local changes closer than this are undone together. */
  setUndoWindow(ms: number): void;
  /** Groups everything until `undoGroupEnd` into one undo step. */
  undoGroupBegin(): void;
  undoGroupEnd(): void;
}

/** What a binding module provides. */
export interface WeftBackend {
  /** Creates an empty document owned by `replica`. */
  readonly WeftDoc: new (
    replica: bigint,
  ) => CoreDoc;
  /** The core's version. */
  coreVersion(): string;
}

/** Error codes the core raises (`error.code`). */
export type WeftErrorCode =
  | "WEFT_DECODE"
  | "WEFT_INVALID_VALUE"
  | "WEFT_CLOCK_DRIFT"
  | "WEFT_CAUSALITY"
  | "WEFT_IMPORT"
  | "WEFT_TYPE_MISMATCH"
  | "WEFT_INDEX"
  | "WEFT_SEQUENCE"
  | "WEFT_UNKNOWN_CONTAINER"
  | "WEFT_UNKNOWN_ANCHOR"
  | "WEFT_NOT_A_SEQUENCE"
  | "WEFT_MARK"
  | "WEFT_FREED"
  | "WEFT_PANIC";

/** Reads the stable code off an error thrown by the core, if it has one. */
export function errorCode(err: unknown): WeftErrorCode | undefined {
  if (err instanceof Error && "code" in err && typeof err.code === "string") {
    return err.code.startsWith("WEFT_") ? (err.code as WeftErrorCode) : undefined;
  }
  return undefined;
}
