//! Ids that undo and redo re-created. Reverting a delete cannot revive the deleted
//! elements (Fugue has no undelete); it inserts copies with new ids. Older steps
//! still name the originals, so each re-created run is recorded here and ids are
//! followed to their newest copy before they are acted on. Set tags are handled the
//! same way (a reverted remove re-adds the member under a new tag).

use crate::doc::runs::{Run, Runs};
use crate::seq::IdRun;
use crate::OpId;

#[derive(Clone, Debug, Default)]
pub(crate) struct Remap {
    /// Replaced runs, each pointing to the first id of its copy (always `Some`).
    /// The same type as an import's runs of inserted ids (`doc::remote`).
    runs: Runs,
}

impl Remap {
    /// Records that `old` was re-created as the run starting at `new`.
    pub(crate) fn add(&mut self, old: IdRun, new: OpId) {
        if old.len > 0 {
            let run = Run {
                start: old.start.counter,
                len: old.len,
                to: Some(new),
                from: None,
            };
            self.runs.add(old.start.replica, run, &mut 0);
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
                    .find(here)
                    .and_then(|run| Some((run.start, run.len, run.to?)));
                if let Some((s, len, to)) = covering {
                    let off = pos - s;
                    let n = (len - off).min(end - pos);
                    work.push(IdRun::new(OpId::new(to.replica, to.counter + off), n));
                    pos += n;
                } else {
                    let next = self
                        .runs
                        .next_start(replica, pos + 1)
                        .map_or(end, |s| s.min(end));
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
