//! Binary encoding of documents. Layout: `docs/encoding.md`.
//!
//! Every decoder here treats its input as hostile: it never panics, never
//! allocates more than a bound derived from the input length, and reports a typed
//! [`DecodeError`].

mod error;
mod reader;
mod snapshot;
mod writer;

pub use error::DecodeError;
pub(crate) use snapshot::{decode_snapshot, encode_snapshot};
