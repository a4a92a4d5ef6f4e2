//! One adapter per library, each through its own crate's API.

pub mod automerge;
pub mod diamond_types;
pub mod loro;
pub mod weft;
pub mod yrs;
