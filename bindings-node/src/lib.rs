//! Node.js bindings of `weft-core`. They convert types and errors, nothing more.
#![warn(missing_docs)]
#![deny(clippy::all)]

mod containers;
mod convert;
mod doc;
mod error;
mod events;
mod fast;
mod shared;

use napi_derive::napi;

pub use containers::{CoreCounter, CoreList, CoreMap, CoreSet, CoreText};
pub use doc::WeftDoc;

/// Version of the core inside this build.
#[napi]
pub fn core_version() -> String {
    weft_core::VERSION.to_owned()
}
