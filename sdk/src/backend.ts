/**
 * The contract between the SDK and Weft's core. Both bindings — WebAssembly
 * (`@weft/wasm`) and the Node addon (`@weft/node`) — satisfy it, and the SDK is
 * written against it alone, so the same code runs on either (the backend is
 * injected, never imported directly).
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

/** One replica of a document, living in the core. */
export interface CoreDoc {
  /** The 64-bit replica id this document writes as. */
  readonly replica: bigint;
  /** Sets a field (last writer wins). Throws an `Error` with `code` on bad input. */
  set(key: string, value: unknown): void;
  /** A field's value, or `undefined` if it was never set. */
  get(key: string): unknown;
  /** Names of the fields that hold a value. */
  keys(): string[];
  /** The whole document as bytes. */
  exportSnapshot(): Uint8Array;
  /** Merges bytes from `exportSnapshot`; on error nothing changes. */
  import(bytes: Uint8Array): void;
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
export type WeftErrorCode = "WEFT_DECODE" | "WEFT_INVALID_VALUE";

/** Reads the stable code off an error thrown by the core, if it has one. */
export function errorCode(err: unknown): WeftErrorCode | undefined {
  if (err instanceof Error && "code" in err && typeof err.code === "string") {
    return err.code.startsWith("WEFT_") ? (err.code as WeftErrorCode) : undefined;
  }
  return undefined;
}
