//! Identities of replicas and operations.

use std::fmt;

/// A replica's identity: random 64 bits, chosen once per local replica and persisted
/// with it, so that reloads reuse it and version vectors stay small.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ReplicaId(pub u64);

impl fmt::Debug for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Display for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// The identity of one operation: the replica that made it and that replica's
/// counter, which strictly increases with every op the replica makes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct OpId {
    /// The replica that made the op.
    pub replica: ReplicaId,
    /// The replica's counter for this op.
    pub counter: u64,
}

impl OpId {
    /// An op id from its parts.
    pub const fn new(replica: ReplicaId, counter: u64) -> Self {
        Self { replica, counter }
    }
}
