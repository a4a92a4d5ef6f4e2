//! Runs of consecutive ids, per replica, each with an id it points to: what an
//! import has inserted so far (the run's right origin), and what undo re-created
//! (the first id of the copy). One type for both: each map type costs kilobytes of
//! WebAssembly.

use crate::{OpId, ReplicaId};

/// A run of `len` ids of one replica from counter `start`, and the id it points to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Run {
    pub(crate) start: u64,
    pub(crate) len: u64,
    pub(crate) to: Option<OpId>,
}

/// Runs per replica, sorted by first counter. Replicas are few and runs mostly
/// arrive in counter order, so adding is usually an append and finding a binary
/// search.
#[derive(Clone, Debug, Default)]
pub(crate) struct Runs(Vec<(ReplicaId, Vec<Run>)>);

impl Runs {
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn of(&self, replica: ReplicaId) -> &[Run] {
        self.0
            .iter()
            .find(|(r, _)| *r == replica)
            .map_or(&[], |(_, runs)| runs.as_slice())
    }

    /// The run holding `e`.
    pub(crate) fn find(&self, e: OpId) -> Option<&Run> {
        let runs = self.of(e.replica);
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
        // A replica's counters are dense, so its runs spread evenly over them:
        // the run is found a few steps from where its counter is in proportion
        // (a bounded walk; uneven runs fall back to the binary search).
        let spread = (last.start - first.start) as f64;
        let share = (e.counter - first.start) as f64 / spread;
        let mut i = ((share * (runs.len() - 1) as f64) as usize).min(runs.len() - 1);
        for _ in 0..8 {
            if runs[i].start > e.counter {
                // Never below 0: the first run starts at or before `e`.
                i = i.saturating_sub(1);
            } else if runs[i + 1].start <= e.counter {
                // `i + 1` exists: the last run starts after `e`.
                i += 1;
            } else {
                return holds(&runs[i]).then_some(&runs[i]);
            }
        }
        let after = runs.partition_point(|run| run.start <= e.counter);
        let run = runs.get(after.checked_sub(1)?)?;
        holds(run).then_some(run)
    }

    /// The first counter of `replica`'s first run starting at or after `from`.
    pub(crate) fn next_start(&self, replica: ReplicaId, from: u64) -> Option<u64> {
        let runs = self.of(replica);
        runs.get(runs.partition_point(|run| run.start < from))
            .map(|run| run.start)
    }

    /// Adds `run` of `replica`, replacing one that starts at the same counter.
    pub(crate) fn add(&mut self, replica: ReplicaId, run: Run) {
        let at = match self.0.iter().position(|(r, _)| *r == replica) {
            Some(at) => at,
            None => {
                self.0.push((replica, Vec::new()));
                self.0.len() - 1
            }
        };
        let runs = &mut self.0[at].1;
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

    /// `find` answers as a scan of every run does, for even and uneven runs.
    #[test]
    fn find_matches_a_scan() {
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
                };
                runs.add(r, run);
                all.push(run);
                at += len;
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
