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
/** How a container appears where a value would. */
export interface ContainerRef {
    readonly container: string;
    readonly kind: "map" | "list" | "text" | "counter" | "set";
}
/** What reads return: a value, a container, or `undefined` if absent. */
export type WeftRead = WeftValue | ContainerRef | undefined;
/** What an import did. */
export interface ImportReport {
    applied: number;
    buffered: number;
}



/**
 * Plain or rich text. Indices are UTF-16 code units.
 */
export class CoreText {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Deletes `len` UTF-16 code units from `index`.
     */
    delete(index_: number, len: number): void;
    /**
     * Inserts `text` at UTF-16 offset `index`.
     */
    insert(index_: number, text: string): void;
    /**
     * The text.
     */
    toString(): string;
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
     * Seals pending local ops into a change.
     */
    commit(): void;
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
     * An empty document owned by `replica` (a 64-bit id as a bigint).
     */
    constructor(replica: any);
    /**
     * Sets a root field to a JSON-like value (last writer wins).
     */
    set(k: string, value: WeftValue): void;
    /**
     * Opens (creating if needed) the text in a root field.
     */
    text(k: string): CoreText;
    /**
     * The whole document as plain JSON-like data (containers expanded).
     */
    toJSON(): Record<string, unknown>;
    /**
     * The encoded version vector (what this replica has seen).
     */
    version(): Uint8Array;
    /**
     * The replica id as a bigint.
     */
    readonly replica: bigint;
}

/**
 * Version of the core inside this build.
 */
export function coreVersion(): string;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_coretext_free: (a: number, b: number) => void;
    readonly __wbg_weftdoc_free: (a: number, b: number) => void;
    readonly coreVersion: (a: number) => void;
    readonly coretext_delete: (a: number, b: number, c: number, d: number) => void;
    readonly coretext_free: (a: number) => void;
    readonly coretext_id: (a: number, b: number) => void;
    readonly coretext_insert: (a: number, b: number, c: number, d: number, e: number) => void;
    readonly coretext_kind: (a: number, b: number) => void;
    readonly coretext_length: (a: number, b: number) => void;
    readonly coretext_toString: (a: number, b: number) => void;
    readonly weftdoc_commit: (a: number, b: number) => void;
    readonly weftdoc_delete: (a: number, b: number, c: number) => void;
    readonly weftdoc_exportChanges: (a: number, b: number, c: number) => void;
    readonly weftdoc_exportSnapshot: (a: number, b: number) => void;
    readonly weftdoc_exportState: (a: number, b: number) => void;
    readonly weftdoc_free: (a: number) => void;
    readonly weftdoc_get: (a: number, b: number, c: number) => void;
    readonly weftdoc_import: (a: number, b: number, c: number) => void;
    readonly weftdoc_keys: (a: number, b: number) => void;
    readonly weftdoc_new: (a: number, b: number) => void;
    readonly weftdoc_replica: (a: number, b: number) => void;
    readonly weftdoc_set: (a: number, b: number, c: number, d: number) => void;
    readonly weftdoc_text: (a: number, b: number, c: number) => void;
    readonly weftdoc_toJSON: (a: number, b: number) => void;
    readonly weftdoc_version: (a: number, b: number) => void;
    readonly __wbindgen_export: (a: number, b: number) => number;
    readonly __wbindgen_export2: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_export3: (a: number) => void;
    readonly __wbindgen_add_to_stack_pointer: (a: number) => number;
    readonly __wbindgen_export4: (a: number, b: number, c: number) => void;
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
