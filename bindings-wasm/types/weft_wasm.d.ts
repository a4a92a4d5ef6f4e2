/* tslint:disable */
/* eslint-disable */

/**
 * A replica of one document.
 */
export class WeftDoc {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The whole document as bytes.
     */
    exportSnapshot(): Uint8Array;
    /**
     * A field's value, or `undefined` if it was never set.
     */
    get(key: string): any;
    /**
     * Merges bytes from `exportSnapshot`; on error nothing changes.
     */
    import(bytes: Uint8Array): void;
    /**
     * Names of the fields that hold a value.
     */
    keys(): string[];
    /**
     * An empty document owned by `replica` (a 64-bit id as a bigint).
     */
    constructor(replica: bigint);
    /**
     * Sets a field to a JSON-like value (last writer wins).
     */
    set(key: string, value: any): void;
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
    readonly __wbg_weftdoc_free: (a: number, b: number) => void;
    readonly coreVersion: (a: number) => void;
    readonly weftdoc_exportSnapshot: (a: number, b: number) => void;
    readonly weftdoc_get: (a: number, b: number, c: number) => number;
    readonly weftdoc_import: (a: number, b: number, c: number, d: number) => void;
    readonly weftdoc_keys: (a: number, b: number) => void;
    readonly weftdoc_new: (a: bigint) => number;
    readonly weftdoc_replica: (a: number) => bigint;
    readonly weftdoc_set: (a: number, b: number, c: number, d: number, e: number) => void;
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
