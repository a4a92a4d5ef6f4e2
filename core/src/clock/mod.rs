//! Clocks: version vectors order what replicas have seen; the hybrid logical clock
//! stamps changes so that last-writer-wins follows both causality and wall time.

mod hlc;
mod replica_map;
mod source;
mod version;

pub use hlc::{ClockDriftError, Hlc, HlcClock, DEFAULT_MAX_DRIFT_MS};
pub(crate) use replica_map::{ByReplica, ReplicaSlots};
pub use source::{ClockSource, FixedClock, SystemClock};
pub use version::{CausalOrder, VersionVector};
