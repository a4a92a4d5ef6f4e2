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
        // Runs mostly arrive in counter order, and a batch asks most about its
        // newest ids: the last run answers for everything from its start on.
        if let Some(last) = runs.last() {
            if e.counter >= last.start {
                return (e.counter - last.start < last.len).then_some(last);
            }
        }
        let after = runs.partition_point(|run| run.start <= e.counter);
        let run = runs.get(after.checked_sub(1)?)?;
        (e.counter - run.start < run.len).then_some(run)
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
