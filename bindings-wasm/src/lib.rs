//! WebAssembly bindings of `weft-core`. They convert types and errors, nothing more.
#![warn(missing_docs)]

mod containers;
mod convert;
mod doc;
mod error;
mod shared;

use wasm_bindgen::prelude::*;

pub use containers::CoreText;
pub use doc::WeftDoc;

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
"#;
