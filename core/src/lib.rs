//! # Weft core
//!
//! The engine behind Weft, a local-first sync engine.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod change;
pub mod clock;
mod doc;
pub mod encoding;
mod id;
pub mod seq;
mod value;

pub use change::Change;
pub use clock::{Hlc, VersionVector};
pub use doc::{
    CausalityError, Diff, Doc, DocError, Event, FieldValue, ImportError, ImportReport, ListDelta,
    TextDelta,
};
pub use encoding::DecodeError;
pub use id::{
    ContainerId, ContainerKind, CounterId, ListId, MapId, OpId, ReplicaId, SetId, TextId,
};
pub use value::{Number, Value};

/// The crate's version, as bindings report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
