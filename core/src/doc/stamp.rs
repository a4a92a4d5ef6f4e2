//! The total order of last-writer-wins writes.

use crate::clock::Hlc;
use crate::{OpId, ReplicaId};

/// Orders writes by the change's HLC, then replica, then the op's counter (ops of
/// one change share an HLC; the later op wins). Causally later writes always have a
/// higher HLC, so a write never loses to one it has seen.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub(crate) struct Stamp {
    pub(crate) hlc: Hlc,
    pub(crate) replica: ReplicaId,
    pub(crate) counter: u64,
}

impl Stamp {
    pub(crate) fn new(hlc: Hlc, id: OpId) -> Self {
        Self {
            hlc,
            replica: id.replica,
            counter: id.counter,
        }
    }
}
