//! WebAssembly bindings of `weft-core`. They convert types and errors, nothing more.
#![warn(missing_docs)]
// Hot entry points are built for speed in a size-optimised module (see weft-core's lib.rs).
#![cfg_attr(weft_wasm_speed, feature(optimize_attribute))]

mod containers;
mod convert;
mod doc;
mod error;
mod events;
mod fast;
mod shared;

use wasm_bindgen::prelude::*;

pub use containers::{CoreCounter, CoreList, CoreMap, CoreSet, CoreText};
pub use doc::WeftDoc;

/// Runs when an instance starts. Empty, but wasm-bindgen's reset-state function
/// (used after a trap, see install.js) calls the start export unconditionally.
#[wasm_bindgen(start)]
pub fn start() {}

/// Version of the core inside this build.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    weft_core::VERSION.to_owned()
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
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
"#;

/// Instrument builds only (`--cfg weft_heap_stats`, bench/build-wasm-heap-stats.sh;
/// never shipped): the allocator counted for bench/mem.mjs.
#[cfg(weft_heap_stats)]
mod heap_stats;
