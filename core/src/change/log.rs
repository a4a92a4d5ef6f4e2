//! Every change this replica has applied, in the order applied (a causal order), so
//! that a peer at any version can be sent exactly what it lacks.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Change, Op};
use crate::clock::{Hlc, VersionVector};
use crate::ReplicaId;

/// A typing session is merged into one change only up to this many ops, then a
/// new change starts. One ever-growing op buffer would hold up to twice the
/// memory its ops need and copy all of them each time it grows (in WebAssembly,
/// whose memory never shrinks, the old and new buffer together set the module's
/// size); capped, the idle room is at most one buffer's and a grown buffer is
/// small. A change costs a few bytes of header in the encoding.
const MAX_MERGED_OPS: usize = 2048;

#[derive(Clone, Debug, Default)]
pub(crate) struct ChangeLog {
    changes: Vec<Change>,
    /// The last change's end counter + 1, and whether later changes may merge
    /// into it (both cached: computing them walks every op of the change).
    last_end: u64,
    last_mergeable: bool,
    /// Per replica, where in `lists` its positions in `changes` are (in counter
    /// order). The same map type as a version vector's: each BTreeMap key and value
    /// type costs about 5 KB of WebAssembly, and a sorted Vec would make a peer
    /// sending many new replicas in descending order cost quadratic time.
    by_replica: BTreeMap<ReplicaId, u64>,
    lists: Vec<Vec<usize>>,
    /// A snapshot whose history precedes every change here and is decoded only
    /// when first needed (`Doc::load_history`): loading stays as fast as the
    /// state allows.
    unloaded: Option<Arc<[u8]>>,
}

/// What [`ChangeLog::rollback`] restores.
#[derive(Debug)]
pub(crate) struct LogMark {
    len: usize,
    /// How many replicas had lists of positions.
    lists: usize,
    /// The last change's op count, last op and stamp.
    last: Option<(usize, Option<Op>, Hlc)>,
    last_end: u64,
    last_mergeable: bool,
}

impl ChangeLog {
    /// A log whose history is the (undecoded) snapshot `bytes`.
    pub(crate) fn unloaded(bytes: Arc<[u8]>) -> Self {
        Self {
            unloaded: Some(bytes),
            ..Self::default()
        }
    }

    /// Takes the undecoded snapshot, if any.
    pub(crate) fn take_unloaded(&mut self) -> Option<Arc<[u8]>> {
        self.unloaded.take()
    }

    /// The changes, in the order applied.
    pub(crate) fn into_changes(self) -> Vec<Change> {
        self.changes
    }

    pub(crate) fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Appends an applied change. A change that simply continues the previous one
    /// (same replica, next counter, no other dependency, no LWW writes whose stamp
    /// would change) is merged into it: a typing session becomes one change.
    pub(crate) fn push(&mut self, change: Change) {
        self.push_with(change, drop);
    }

    /// Like [`ChangeLog::push`], handing each op absorbed into the previous one to
    /// `spent`, and returning the change's emptied op buffer when it was merged:
    /// a replica committing after every keystroke reuses them instead of
    /// allocating per edit.
    pub(crate) fn push_with(
        &mut self,
        mut change: Change,
        mut spent: impl FnMut(Op),
    ) -> Option<Vec<Op>> {
        let mergeable = !change.has_lww_ops();
        let change_end = change.start + change.len();
        if let Some(last) = self.changes.last_mut() {
            if last.replica == change.replica
                && self.last_end == change.start
                && change.deps.is_empty()
                && self.last_mergeable
                && mergeable
                && last.ops.len() < MAX_MERGED_OPS
            {
                let mut next_id = crate::OpId::new(change.replica, change.start);
                for op in change.ops.drain(..) {
                    let len = op.len();
                    let appended = match last.ops.last_mut() {
                        Some(prev) => prev.try_append(&op, next_id),
                        None => false,
                    };
                    if appended {
                        spent(op);
                    } else {
                        last.ops.push(op);
                    }
                    next_id.counter += len;
                }
                last.hlc = last.hlc.max(change.hlc);
                self.last_end = change_end;
                return Some(change.ops);
            }
        }
        if let Some(last) = self.changes.last_mut() {
            // Nothing merges into it any more: give back its growth room.
            last.ops.shrink_to_fit();
        }
        let list = match self.by_replica.get(&change.replica) {
            Some(&i) => i as usize,
            None => {
                self.by_replica
                    .insert(change.replica, self.lists.len() as u64);
                self.lists.push(Vec::new());
                self.lists.len() - 1
            }
        };
        self.lists[list].push(self.changes.len());
        self.changes.push(change);
        self.last_end = change_end;
        self.last_mergeable = mergeable;
        None
    }

    /// Where the log stands, for [`ChangeLog::rollback`]. Later pushes may extend
    /// the last change in place (more ops, its last op grown, a later stamp):
    /// what they can touch of it is kept, not the change, which may be large.
    pub(crate) fn mark(&self) -> LogMark {
        LogMark {
            len: self.changes.len(),
            lists: self.lists.len(),
            last: self
                .changes
                .last()
                .map(|c| (c.ops.len(), c.ops.last().cloned(), c.hlc)),
            last_end: self.last_end,
            last_mergeable: self.last_mergeable,
        }
    }

    /// Undoes every push since `mark` was taken (and nothing else may have
    /// touched the log since): a refused batch keeps no copy of the whole log.
    pub(crate) fn rollback(&mut self, mark: LogMark) {
        self.changes.truncate(mark.len);
        if let (Some((ops, last_op, hlc)), Some(last)) = (mark.last, self.changes.last_mut()) {
            last.ops.truncate(ops);
            if let (Some(op), Some(slot)) = (last_op, last.ops.last_mut()) {
                *slot = op;
            }
            last.hlc = hlc;
        }
        // Replicas first seen since the mark got the lists at its end.
        self.lists.truncate(mark.lists);
        self.by_replica.retain(|_, list| *list < mark.lists as u64);
        for positions in &mut self.lists {
            while positions.last().is_some_and(|&i| i >= mark.len) {
                positions.pop();
            }
        }
        self.last_end = mark.last_end;
        self.last_mergeable = mark.last_mergeable;
    }

    /// Reopens the last change for a local change of `replica` starting at
    /// `start` (with no deps of its own and no LWW writes) stamped `hlc`: `push`
    /// would merge the two anyway, and extending in place costs nothing per
    /// commit. Until [`ChangeLog::close`], ops go to [`ChangeLog::last_ops`] and
    /// nothing else may touch the log.
    pub(crate) fn reopen(&mut self, replica: ReplicaId, start: u64, hlc: Hlc) -> bool {
        match self.changes.last_mut() {
            Some(last)
                if last.replica == replica
                    && self.last_end == start
                    && self.last_mergeable
                    && last.ops.len() < MAX_MERGED_OPS =>
            {
                last.hlc = last.hlc.max(hlc);
                true
            }
            _ => false,
        }
    }

    /// The ops of the last change (reopened).
    pub(crate) fn last_ops(&mut self) -> Option<&mut Vec<Op>> {
        self.changes.last_mut().map(|c| &mut c.ops)
    }

    /// Ends a reopening: the last change now runs up to counter `end` (exclusive).
    #[inline]
    pub(crate) fn close(&mut self, end: u64) {
        self.last_end = end;
    }

    /// The changes (or their tails) holding ops that a peer at `version` lacks, in
    /// an order the peer can apply them in.
    pub(crate) fn since(&self, version: &VersionVector) -> Vec<Change> {
        let mut positions = Vec::new();
        for (replica, &list) in &self.by_replica {
            let list = &self.lists[list as usize];
            let seen = version.get(*replica);
            // Changes of one replica are in counter order: skip the seen prefix.
            let first = list.partition_point(|&i| self.changes[i].last() <= seen);
            positions.extend_from_slice(&list[first..]);
        }
        positions.sort_unstable();
        positions
            .into_iter()
            .map(|i| {
                let c = &self.changes[i];
                let seen = version.get(c.replica);
                if c.start <= seen {
                    c.slice_from(seen + 1)
                } else {
                    c.clone()
                }
            })
            .collect()
    }
}
