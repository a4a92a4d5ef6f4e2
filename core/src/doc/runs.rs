//! Runs of consecutive ids, per replica, each with an id it points to: what an
//! import has inserted so far (the run's right origin), and what undo re-created
//! (the first id of the copy). One type for both: each map type costs kilobytes of
//! WebAssembly.

use crate::start_index::StartIndex;
use crate::{OpId, ReplicaId};

/// A run of `len` ids of one replica from counter `start`, and the id it points to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Run {
    pub(crate) start: u64,
    pub(crate) len: u64,
    pub(crate) to: Option<OpId>,
    /// For an import's run, its left origin: every id of the run is placed
    /// after it (undo's runs leave it `None`).
    pub(crate) from: Option<OpId>,
}

/// Runs per replica, sorted by first counter. Replicas are few and runs mostly
/// arrive in counter order, so adding is usually an append and finding a
/// lookup in a [`StartIndex`] (or, for runs that did not arrive in order or
/// spread too thin for it, a binary search).
#[derive(Clone, Debug, Default)]
pub(crate) struct Runs(Vec<Replica>);

#[derive(Clone, Debug)]
struct Replica {
    id: ReplicaId,
    runs: Vec<Run>,
    /// Where to look for a counter's run: a merge asks about ids all over its
    /// batch.
    index: StartIndex,
}

impl Runs {
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn of(&self, replica: ReplicaId) -> Option<&Replica> {
        self.0.iter().find(|r| r.id == replica)
    }

    /// The run holding `e`.
    pub(crate) fn find(&self, e: OpId) -> Option<&Run> {
        let of = self.of(e.replica)?;
        let runs = &of.runs;
        let (first, last) = (runs.first()?, runs.last()?);
        // Only for a run starting at or before `e`.
        let holds = |run: &Run| e.counter - run.start < run.len;
        // Runs mostly arrive in counter order, and a batch asks most about its
        // newest ids: the last run answers for everything from its start on.
        if e.counter >= last.start {
            return holds(last).then_some(last);
        }
        if e.counter < first.start {
            return None;
        }
        let upto = of
            .index
            .count_up_to(first.start, e.counter, runs.len(), |i| runs[i].start)
            .unwrap_or_else(|| runs.partition_point(|run| run.start <= e.counter));
        let run = runs.get(upto.checked_sub(1)?)?;
        holds(run).then_some(run)
    }

    /// The first counter of `replica`'s first run starting at or after `from`.
    pub(crate) fn next_start(&self, replica: ReplicaId, from: u64) -> Option<u64> {
        let runs = &self.of(replica)?.runs;
        runs.get(runs.partition_point(|run| run.start < from))
            .map(|run| run.start)
    }

    /// Adds `run` of `replica`, replacing one that starts at the same counter.
    pub(crate) fn add(&mut self, replica: ReplicaId, run: Run, room: &mut usize) {
        let at = match self.0.iter().position(|r| r.id == replica) {
            Some(at) => at,
            None => {
                self.0.push(Replica {
                    id: replica,
                    // The first replica's runs take the room the caller
                    // offers (at most the batch's op count): a merge's
                    // thousands of runs then grow their list without
                    // copying it a dozen times over.
                    runs: Vec::with_capacity(std::mem::take(room)),
                    index: StartIndex::default(),
                });
                self.0.len() - 1
            }
        };
        let of = &mut self.0[at];
        if of.runs.last().is_none_or(|last| last.start < run.start) {
            let first = of.runs.first().map_or(run.start, |f| f.start);
            of.index.appended(first, run.start, of.runs.len());
            of.runs.push(run);
            return;
        }
        // Out of order: the buckets would all need shifting.
        of.index.give_up();
        let runs = &mut of.runs;
        let i = runs.partition_point(|r| r.start < run.start);
        match runs.get_mut(i) {
            Some(same) if same.start == run.start => *same = run,
            _ => runs.insert(i, run),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `find` answers as a scan of every run does, for even and uneven runs,
    /// added in counter order (the bucket index) or not (the binary search).
    #[test]
    fn find_matches_a_scan() {
        for shuffled in [false, true] {
            find_matches_a_scan_when(shuffled);
        }
    }

    fn find_matches_a_scan_when(shuffled: bool) {
        let r = ReplicaId(7);
        let mut seed = 0x2545_f491_u64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for uneven in [false, true] {
            let mut runs = Runs::default();
            let mut all = Vec::new();
            let mut at = 1;
            for k in 0..500 {
                // Uneven: a few huge gaps among small ones.
                let gap = if uneven && k % 97 == 0 {
                    100_000
                } else {
                    next(3)
                };
                let len = 1 + next(4);
                at += gap;
                let run = Run {
                    start: at,
                    len,
                    to: None,
                    from: None,
                };
                all.push(run);
                at += len;
            }
            let mut order: Vec<usize> = (0..all.len()).collect();
            if shuffled {
                for i in (1..order.len()).rev() {
                    order.swap(i, next(i as u64 + 1) as usize);
                }
            }
            for &i in &order {
                runs.add(r, all[i], &mut 0);
            }
            for c in 0..at + 5 {
                let want = all
                    .iter()
                    .find(|run| c >= run.start && c - run.start < run.len);
                let got = runs.find(OpId::new(r, c));
                assert_eq!(
                    got.map(|run| run.start),
                    want.map(|run| run.start),
                    "counter {c}"
                );
            }
            assert!(runs.find(OpId::new(ReplicaId(8), 3)).is_none());
        }
    }
}
