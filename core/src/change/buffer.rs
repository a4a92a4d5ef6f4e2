//! Changes that arrived before their dependencies wait here.

use super::Change;
use crate::clock::VersionVector;
use crate::vecmap::VecMap;
use crate::ReplicaId;

#[derive(Clone, Debug, Default)]
pub(crate) struct CausalBuffer {
    waiting: VecMap<(ReplicaId, u64), Change>,
}

impl CausalBuffer {
    pub(crate) fn len(&self) -> usize {
        self.waiting.len()
    }

    /// Keeps a change until its dependencies arrive (a duplicate replaces nothing).
    pub(crate) fn hold(&mut self, change: Change) {
        self.waiting
            .get_or_insert_with((change.replica, change.start), || change);
    }

    /// The waiting changes.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Change> {
        self.waiting.values()
    }

    /// Drops a waiting change (found corrupt).
    pub(crate) fn evict(&mut self, key: (ReplicaId, u64)) {
        self.waiting.remove(&key);
    }

    /// Removes and returns a change that `version` makes applicable (or redundant).
    pub(crate) fn take_ready(&mut self, version: &VersionVector) -> Option<Change> {
        let key = self
            .waiting
            .iter()
            .find(|(_, c)| is_ready(c, version) || version.get(c.replica) >= c.last())
            .map(|(k, _)| *k)?;
        self.waiting.remove(&key)
    }
}

/// A change can be applied once its replica's earlier ops and its deps are known.
pub(crate) fn is_ready(change: &Change, version: &VersionVector) -> bool {
    version.get(change.replica) + 1 >= change.start
        && change.deps.iter().all(|d| version.includes(*d))
}
