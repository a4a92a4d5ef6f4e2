/* tslint:disable */
/* eslint-disable */

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
/** How a container appears where a value would. */
export interface ContainerRef {
    readonly container: string;
    readonly kind: ContainerKind;
}
/** What reads return: a value, a container, or `undefined` if absent. */
export type WeftRead = WeftValue | ContainerRef | undefined;
/** Which side a stable position sticks to when text is inserted exactly there. */
export type Gravity = "left" | "right";
/** Whether a mark grows when text is typed at its start, its end, both, or neither. */
export type Expand = "none" | "before" | "after" | "both";
/** Formatting of a run of text: mark name → value. */
export type Attributes = Record<string, WeftValue>;
/** One run of formatted text. */
export interface DeltaRun {
    insert: string;
    attributes?: Attributes;
}
/** Where the caret belongs after an undo or redo. */
export interface UndoOutcome {
    container?: string;
    index?: number;
}
/** One step of a text change, in UTF-16 units from index 0. */
export type TextDeltaOp =
| { retain: number; attributes?: Attributes }
| { insert: string; attributes?: Attributes }
| { delete: number };
/** One step of a list change from index 0. */
export type ListDeltaOp = { retain: number } | { insert: WeftRead[] } | { delete: number };
/** A precise change to one container. */
export type WeftEvent =
| { container: string; kind: "map"; key: string; value: WeftRead }
| { container: string; kind: "text"; delta: TextDeltaOp[] }
| { container: string; kind: "list"; delta: ListDeltaOp[] }
| { container: string; kind: "counter"; value: number | bigint }
| { container: string; kind: "set"; member: WeftValue; present: boolean };
export interface CoreList {
    /** Inserts values at `index`. */
    insert(index: number, ...values: WeftValue[]): void;
}
/** What an import did. */
export interface ImportReport {
    applied: number;
    buffered: number;
}



/**
 * A PN-counter.
 */
export class CoreCounter {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Adds `delta` (negative to subtract).
     */
    add(delta: number | bigint): void;
    /**
     * Stable id, the same on every replica.
     */
    readonly id: string;
    /**
     * Always `"counter"`.
     */
    readonly kind: "counter";
    /**
     * The total.
     */
    readonly value: number | bigint;
}

/**
 * A list of values and containers.
 */
export class CoreList {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * A stable position (see `WeftDoc.cursorIndex`).
     */
    cursor(index_: number, gravity: Gravity): Uint8Array;
    /**
     * Deletes `len` elements from `index`.
     */
    delete(index_: number, len: number): void;
    /**
     * The element at `index`, or `undefined` past the end.
     */
    get(index_: number): WeftRead;
    /**
     * Inserts a new container at `index` and opens it.
     */
    insertContainer(index_: number, kind: ContainerKind): CoreMap | CoreList | CoreText | CoreCounter | CoreSet;
    /**
     * Every element, in order.
     */
    toArray(): WeftRead[];
    /**
     * Stable id, the same on every replica.
     */
    readonly id: string;
    /**
     * Always `"list"`.
     */
    readonly kind: "list";
    /**
     * The number of elements.
     */
    readonly length: number;
}

/**
 * A map nested in a document or another container.
 */
export class CoreMap {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Deletes a field.
     */
    delete(k: string): void;
    /**
     * A field's value or container, or `undefined` if absent.
     */
    get(k: string): WeftRead;
    /**
     * Names of the fields that hold something.
     */
    keys(): string[];
    /**
     * Creates a container in a field and opens it.
     */
    setContainer(k: string, kind: ContainerKind): CoreMap | CoreList | CoreText | CoreCounter | CoreSet;
    /**
     * Sets a field to a JSON-like value (last writer wins).
     */
    set(k: string, value: WeftValue): void;
    /**
     * The map as plain JSON-like data (containers expanded).
     */
    toJSON(): Record<string, unknown>;
    /**
     * Stable id, the same on every replica.
     */
    readonly id: string;
    /**
     * Always `"map"`.
     */
    readonly kind: "map";
}

/**
 * An add-wins observed-remove set of scalars.
 */
export class CoreSet {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Adds a member.
     */
    add(member: WeftValue): void;
    /**
     * Whether a member is present.
     */
    has(member: WeftValue): boolean;
    /**
     * Removes a member; whether it was present.
     */
    remove(member: WeftValue): boolean;
    /**
     * The members, in a canonical order.
     */
    values(): WeftValue[];
    /**
     * Stable id, the same on every replica.
     */
    readonly id: string;
    /**
     * Always `"set"`.
     */
    readonly kind: "set";
}

/**
 * Plain or rich text. Indices are UTF-16 code units.
 */
export class CoreText {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * A stable position that survives concurrent edits, export and import.
     */
    cursor(index_: number, gravity: Gravity): Uint8Array;
    /**
     * Deletes `len` UTF-16 code units from `index`.
     */
    delete(index_: number, len: number): void;
    /**
     * Inserts `text` at UTF-16 offset `index`.
     */
    insert(index_: number, text: string): void;
    /**
     * Applies a mark over [start, end); `value` is `true` for plain marks.
     */
    mark(start: number, end: number, name: string, value: WeftValue): void;
    /**
     * The text as formatted runs.
     */
    toDelta(): DeltaRun[];
    /**
     * The text.
     */
    toString(): string;
    /**
     * Removes a mark over [start, end); with `value`, only that one (a comment id).
     */
    unmark(start: number, end: number, name: string, value?: WeftValue): void;
    /**
     * Stable id, the same on every replica.
     */
    readonly id: string;
    /**
     * Always `"text"`.
     */
    readonly kind: "text";
    /**
     * The length in UTF-16 code units.
     */
    readonly length: number;
}

/**
 * A replica of one document.
 */
export class WeftDoc {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Whether there is something to redo.
     */
    canRedo(): boolean;
    /**
     * Whether there is something to undo.
     */
    canUndo(): boolean;
    /**
     * Seals pending local ops into a change.
     */
    commit(): void;
    /**
     * Opens a container by its stable id (from a `ContainerRef` or an event).
     */
    container(id: string): CoreMap | CoreList | CoreText | CoreCounter | CoreSet;
    /**
     * Opens (creating if needed) the counter in a root field.
     */
    counter(k: string): CoreCounter;
    /**
     * The UTF-16 index (element index for a list) a stable position resolves to now.
     */
    cursorIndex(cursor: Uint8Array): number;
    /**
     * Declares an application mark's expand policy (built-ins are predefined).
     */
    defineMark(name: string, expand: Expand): void;
    /**
     * Deletes a root field.
     */
    delete(k: string): void;
    /**
     * Changes a peer at `since` (an encoded version) lacks, as bytes.
     */
    exportChanges(since: Uint8Array): Uint8Array;
    /**
     * The whole document with its history.
     */
    exportSnapshot(): Uint8Array;
    /**
     * The current state only, for a fast first load.
     */
    exportState(): Uint8Array;
    /**
     * A root field's value or container, or `undefined` if absent.
     */
    get(k: string): WeftRead;
    /**
     * Merges any encoded bytes; on error nothing changes.
     */
    import(bytes: Uint8Array): ImportReport;
    /**
     * Names of the root fields that hold something.
     */
    keys(): string[];
    /**
     * Opens (creating if needed) the list in a root field.
     */
    list(k: string): CoreList;
    /**
     * Opens (creating if needed) the map in a root field.
     */
    map(k: string): CoreMap;
    /**
     * An empty document owned by `replica` (a 64-bit id as a bigint).
     */
    constructor(replica: any);
    /**
     * Opens (creating if needed) the add-wins set in a root field.
     */
    orSet(k: string): CoreSet;
    /**
     * Starts or stops recording events; `takeEvents` drains them.
     */
    recordEvents(on: boolean): void;
    /**
     * Redoes the last undone change group; `undefined` if there is none.
     */
    redo(): UndoOutcome | undefined;
    /**
     * Pins physical time to `ms` (milliseconds since the Unix epoch), for
     * reproducible bytes in tests and replays; without an argument, reads the
     * host's clock again.
     */
    setClock(ms?: number): void;
    /**
     * Turns undo recording on (the default) or off; off, local edits cost less
     * and `undo()` has nothing to undo.
     */
    setUndoEnabled(on: boolean): void;
    /**
     * Local changes closer than this (ms) are undone together.
     */
    setUndoWindow(ms: number): void;
    /**
     * Sets a root field to a JSON-like value (last writer wins).
     */
    set(k: string, value: WeftValue): void;
    /**
     * The events recorded since the last call, in the order ops applied.
     */
    takeEvents(): WeftEvent[];
    /**
     * Opens (creating if needed) the text in a root field.
     */
    text(k: string): CoreText;
    /**
     * The whole document as plain JSON-like data (containers expanded).
     */
    toJSON(): Record<string, unknown>;
    /**
     * Groups everything until `undoGroupEnd` into one undo step.
     */
    undoGroupBegin(): void;
    /**
     * Ends the group `undoGroupBegin` started.
     */
    undoGroupEnd(): void;
    /**
     * Undoes this replica's last change group; `undefined` if there is none.
     */
    undo(): UndoOutcome | undefined;
    /**
     * The encoded version vector (what this replica has seen).
     */
    version(): Uint8Array;
    /**
     * The replica id as a bigint.
     */
    readonly replica: bigint;
}

export function __wbg_reset_state(): void;

/**
 * Version of the core inside this build.
 */
export function coreVersion(): string;

/**
 * Runs when an instance starts. Empty, but wasm-bindgen's reset-state function
 * (used after a trap, see install.js) calls the start export unconditionally.
 */
export function start(): void;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_corecounter_free: (a: number, b: number) => void;
    readonly __wbg_corelist_free: (a: number, b: number) => void;
    readonly __wbg_coremap_free: (a: number, b: number) => void;
    readonly __wbg_coreset_free: (a: number, b: number) => void;
    readonly __wbg_coretext_free: (a: number, b: number) => void;
    readonly __wbg_weftdoc_free: (a: number, b: number) => void;
    readonly coreVersion: (a: number) => void;
    readonly corecounter_add: (a: number, b: number, c: number) => void;
    readonly corecounter_free: (a: number) => void;
    readonly corecounter_id: (a: number, b: number) => void;
    readonly corecounter_kind: (a: number, b: number) => void;
    readonly corecounter_value: (a: number, b: number) => void;
    readonly corelist_cursor: (a: number, b: number, c: number, d: number) => void;
    readonly corelist_delete: (a: number, b: number, c: number, d: number) => void;
    readonly corelist_free: (a: number) => void;
    readonly corelist_get: (a: number, b: number, c: number) => void;
    readonly corelist_id: (a: number, b: number) => void;
    readonly corelist_insert: (a: number, b: number, c: number, d: number) => void;
    readonly corelist_insertContainer: (a: number, b: number, c: number, d: number) => void;
    readonly corelist_kind: (a: number, b: number) => void;
    readonly corelist_length: (a: number, b: number) => void;
    readonly corelist_toArray: (a: number, b: number) => void;
    readonly coremap_delete: (a: number, b: number, c: number) => void;
    readonly coremap_free: (a: number) => void;
    readonly coremap_get: (a: number, b: number, c: number) => void;
    readonly coremap_id: (a: number, b: number) => void;
    readonly coremap_keys: (a: number, b: number) => void;
    readonly coremap_kind: (a: number, b: number) => void;
    readonly coremap_set: (a: number, b: number, c: number, d: number) => void;
    readonly coremap_setContainer: (a: number, b: number, c: number, d: number) => void;
    readonly coremap_toJSON: (a: number, b: number) => void;
    readonly coreset_add: (a: number, b: number, c: number) => void;
    readonly coreset_free: (a: number) => void;
    readonly coreset_has: (a: number, b: number, c: number) => void;
    readonly coreset_id: (a: number, b: number) => void;
    readonly coreset_kind: (a: number, b: number) => void;
    readonly coreset_remove: (a: number, b: number, c: number) => void;
    readonly coreset_values: (a: number, b: number) => void;
    readonly coretext_cursor: (a: number, b: number, c: number, d: number) => void;
    readonly coretext_delete: (a: number, b: number, c: number, d: number) => void;
    readonly coretext_deleteFast: (a: number, b: number, c: number) => number;
    readonly coretext_free: (a: number) => void;
    readonly coretext_id: (a: number, b: number) => void;
    readonly coretext_insert: (a: number, b: number, c: number, d: number, e: number) => void;
    readonly coretext_insertFast: (a: number, b: number, c: number, d: number) => number;
    readonly coretext_insertUnit: (a: number, b: number, c: number) => number;
    readonly coretext_kind: (a: number, b: number) => void;
    readonly coretext_length: (a: number, b: number) => void;
    readonly coretext_lengthFast: (a: number) => number;
    readonly coretext_mark: (a: number, b: number, c: number, d: number, e: number, f: number) => void;
    readonly coretext_toDelta: (a: number, b: number) => void;
    readonly coretext_toString: (a: number, b: number) => void;
    readonly coretext_unmark: (a: number, b: number, c: number, d: number, e: number, f: number) => void;
    readonly expireHostClock: () => void;
    readonly setHostClock: (a: number) => void;
    readonly start: () => void;
    readonly takeError: () => number;
    readonly weftdoc___debugPanic: (a: number, b: number) => void;
    readonly weftdoc_canRedo: (a: number, b: number) => void;
    readonly weftdoc_canUndo: (a: number, b: number) => void;
    readonly weftdoc_commit: (a: number, b: number) => void;
    readonly weftdoc_commitFast: (a: number) => number;
    readonly weftdoc_container: (a: number, b: number, c: number) => void;
    readonly weftdoc_counter: (a: number, b: number, c: number) => void;
    readonly weftdoc_cursorIndex: (a: number, b: number, c: number) => void;
    readonly weftdoc_defineMark: (a: number, b: number, c: number, d: number) => void;
    readonly weftdoc_delete: (a: number, b: number, c: number) => void;
    readonly weftdoc_exportChanges: (a: number, b: number, c: number) => void;
    readonly weftdoc_exportSnapshot: (a: number, b: number) => void;
    readonly weftdoc_exportState: (a: number, b: number) => void;
    readonly weftdoc_free: (a: number) => void;
    readonly weftdoc_get: (a: number, b: number, c: number) => void;
    readonly weftdoc_import: (a: number, b: number, c: number) => void;
    readonly weftdoc_keys: (a: number, b: number) => void;
    readonly weftdoc_list: (a: number, b: number, c: number) => void;
    readonly weftdoc_map: (a: number, b: number, c: number) => void;
    readonly weftdoc_new: (a: number, b: number) => void;
    readonly weftdoc_orSet: (a: number, b: number, c: number) => void;
    readonly weftdoc_recordEvents: (a: number, b: number, c: number) => void;
    readonly weftdoc_redo: (a: number, b: number) => void;
    readonly weftdoc_replica: (a: number, b: number) => void;
    readonly weftdoc_set: (a: number, b: number, c: number, d: number) => void;
    readonly weftdoc_setClock: (a: number, b: number, c: number) => void;
    readonly weftdoc_setUndoEnabled: (a: number, b: number, c: number) => void;
    readonly weftdoc_setUndoWindow: (a: number, b: number, c: number) => void;
    readonly weftdoc_takeEvents: (a: number, b: number) => void;
    readonly weftdoc_text: (a: number, b: number, c: number) => void;
    readonly weftdoc_toJSON: (a: number, b: number) => void;
    readonly weftdoc_undo: (a: number, b: number) => void;
    readonly weftdoc_undoGroupBegin: (a: number, b: number) => void;
    readonly weftdoc_undoGroupEnd: (a: number, b: number) => void;
    readonly weftdoc_version: (a: number, b: number) => void;
    readonly __wbindgen_export: (a: number, b: number) => number;
    readonly __wbindgen_export2: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_export3: (a: number) => void;
    readonly __wbindgen_add_to_stack_pointer: (a: number) => number;
    readonly __wbindgen_export4: (a: number, b: number, c: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
