//! Ids that undo and redo re-created. Reverting a delete cannot revive the deleted
//! elements (Fugue has no undelete); it inserts copies with new ids. Older steps
//! still name the originals, so each re-created run is recorded here and ids are
//! followed to their newest copy before they are acted on. Set tags are handled the
//! same way (a reverted remove re-adds the member under a new tag).

use std::collections::BTreeMap;

use crate::seq::IdRun;
use crate::{OpId, ReplicaId};

#[derive(Clone, Debug, Default)]
pub(crate) struct Remap {
    /// First id of a replaced run, as (replica, counter) → (its length, first id
    /// of the copy, always `Some`). The same map type as an import's runs of
    /// inserted ids (`doc::remote`): each BTreeMap key and value type costs about
    /// 5 KB of WebAssembly.
    runs: BTreeMap<(ReplicaId, u64), (u64, Option<OpId>)>,
}

impl Remap {
    /// Records that `old` was re-created as the run starting at `new`.
    pub(crate) fn add(&mut self, old: IdRun, new: OpId) {
        if old.len > 0 {
            self.runs
                .insert((old.start.replica, old.start.counter), (old.len, Some(new)));
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The ids that stand for `run` now, as runs.
    pub(crate) fn resolve(&self, run: IdRun) -> Vec<IdRun> {
        let mut out = Vec::new();
        if self.runs.is_empty() {
            out.push(run);
            return out;
        }
        let mut work = vec![run];
        while let Some(r) = work.pop() {
            let replica = r.start.replica;
            let end = r.start.counter + r.len;
            let mut pos = r.start.counter;
            while pos < end {
                let here = OpId::new(replica, pos);
                let covering = self
                    .runs
                    .range(..=(replica, pos))
                    .next_back()
                    .filter(|((r, s), (len, _))| *r == replica && s + len > pos)
                    .and_then(|(&(_, s), &(len, to))| Some((s, len, to?)));
                if let Some((s, len, to)) = covering {
                    let off = pos - s;
                    let n = (len - off).min(end - pos);
                    work.push(IdRun::new(OpId::new(to.replica, to.counter + off), n));
                    pos += n;
                } else {
                    let next = self
                        .runs
                        .range((replica, pos + 1)..)
                        .next()
                        .filter(|((r, _), _)| *r == replica)
                        .map_or(end, |(&(_, s), _)| s.min(end));
                    out.push(IdRun::new(here, next - pos));
                    pos = next;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReplicaId;

    fn id(c: u64) -> OpId {
        OpId::new(ReplicaId(1), c)
    }

    #[test]
    fn follows_chains_and_splits_runs() {
        let mut m = Remap::default();
        m.add(IdRun::new(id(3), 2), id(20)); // 3,4 -> 20,21
        m.add(IdRun::new(id(21), 1), id(30)); // 21 -> 30
        let mut got = m.resolve(IdRun::new(id(1), 6));
        got.sort_by_key(|r| r.start);
        assert_eq!(
            got,
            vec![
                IdRun::new(id(1), 2),
                IdRun::new(id(5), 2),
                IdRun::new(id(20), 1),
                IdRun::new(id(30), 1),
            ]
        );
        let other = IdRun::new(OpId::new(ReplicaId(2), 3), 2);
        assert_eq!(m.resolve(other), vec![other]);
    }
}
