//! # Weft core
//!
//! The engine behind Weft, a local-first sync engine. Every replica of a document
//! holds the whole document locally, writes to it instantly, and exchanges bytes
//! with other replicas; replicas that have seen the same changes hold the same
//! value, whatever order the changes arrived in.
//!
//! A [`Doc`] is a root map of named fields. Each replica is identified by a
//! [`ReplicaId`], chosen once and persisted with the replica.
//!
//! ```
//! use weft_core::{Doc, ReplicaId, Value};
//!
//! let mut alice = Doc::new(ReplicaId(1));
//! alice.set("title", Value::from("Groceries"));
//!
//! // Ship the whole document to another replica as bytes.
//! let bytes = alice.export_snapshot();
//! let mut bob = Doc::new(ReplicaId(2));
//! bob.import(&bytes).expect("valid bytes");
//! assert_eq!(bob.get("title"), Some(&Value::from("Groceries")));
//! ```
//!
//! Decoding treats its input as hostile: it never panics, never allocates more than
//! a bound derived from the input length, and leaves the document unchanged when it
//! fails (see [`DecodeError`]).
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod doc;
pub mod encoding;
mod id;
mod value;

pub use doc::Doc;
pub use encoding::DecodeError;
pub use id::{OpId, ReplicaId};
pub use value::Value;

/// The crate's version, as bindings report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
