//! Changes: one replica's batch of ops, the unit of sync.

pub(crate) mod buffer;
mod index;
mod log;
mod op;
mod packed;
#[cfg(test)]
mod tests;

pub(crate) use buffer::CausalBuffer;
pub(crate) use log::{ChangeLog, LogMark};
pub use op::{Anchor, MarkOp, NewValue, Op, SeqContent};

use crate::clock::Hlc;
use crate::{OpId, ReplicaId};

/// One replica's batch of ops. Op `i` has the id `(replica, start + sum of the
/// lengths of ops 0..i)`: counters are contiguous, so a change covers the counters
/// `start..=last()` and a version vector names exactly which changes a replica has.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The replica that made the change.
    pub replica: ReplicaId,
    /// The counter of the first op.
    pub start: u64,
    /// Ops of other replicas this change depends on (the replica's own previous op,
    /// `start - 1`, is implied).
    pub deps: Vec<OpId>,
    /// When the change was made; orders last-writer-wins writes.
    pub hlc: Hlc,
    /// The ops, in the order they were made.
    pub ops: Vec<Op>,
}

impl Change {
    /// How many counters the change covers.
    pub fn len(&self) -> u64 {
        self.ops.iter().map(Op::len).sum()
    }

    /// Whether the change has no ops.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The counter of the last op (`start - 1` when empty).
    pub fn last(&self) -> u64 {
        (self.start + self.len()).saturating_sub(1)
    }

    /// The ops with their ids.
    pub fn ops_with_ids(&self) -> impl Iterator<Item = (OpId, &Op)> {
        let mut counter = self.start;
        self.ops.iter().map(move |op| {
            let id = OpId::new(self.replica, counter);
            counter += op.len();
            (id, op)
        })
    }

    /// The part of the change from counter `from` on (ops straddling it are split),
    /// for a receiver that already has the counters before it.
    pub(crate) fn slice_from(&self, from: u64) -> Change {
        let mut out = Change {
            replica: self.replica,
            start: from.max(self.start),
            deps: self.deps.clone(),
            hlc: self.hlc,
            ops: Vec::new(),
        };
        let mut counter = self.start;
        for op in &self.ops {
            let len = op.len();
            if counter + len > from {
                if counter >= from {
                    out.ops.push(op.clone());
                } else {
                    let mut tail = op.split_off(from - counter);
                    if let Op::SeqInsert { left, .. } = &mut tail {
                        *left = Some(OpId::new(self.replica, from - 1));
                    }
                    out.ops.push(tail);
                }
            }
            counter += len;
        }
        out
    }

    /// Whether the change writes any map field or mark: such changes keep their
    /// own stamp and are never merged with neighbours in the log.
    pub(crate) fn has_lww_ops(&self) -> bool {
        self.ops.iter().any(Op::is_lww)
    }
}
