//! Where each replica's changes sit in the log, so that what a peer lacks is
//! found without reading any change: a replica's changes cover consecutive
//! counters, so one start per change (and the replica's end) says which
//! counters each covers.

use crate::clock::{ByReplica, VersionVector};
use crate::ReplicaId;

/// One replica's changes: their positions in the log and first counters, in
/// counter order.
#[derive(Clone, Debug, Default)]
struct Changes {
    positions: Vec<usize>,
    starts: Vec<u64>,
    /// One past the last change's last counter, once that change is sealed
    /// (while it is the log's last change, the log's own end is current).
    end: u64,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct ReplicaIndex {
    /// Per replica, where in `lists` its changes are. The same map type as a
    /// version vector's (`ByReplica`): each map type costs WebAssembly code of
    /// its own, and a plain sorted Vec would make a peer sending many new
    /// replicas in descending order cost quadratic time.
    by_replica: ByReplica,
    lists: Vec<Changes>,
    /// The first change found not to start where its replica's previous one
    /// ended (replica, expected, actual): an invariant broken, reported by
    /// [`ReplicaIndex::check`].
    gap: Option<(ReplicaId, u64, u64)>,
}

/// What [`ReplicaIndex::rollback`] restores.
#[derive(Debug)]
pub(crate) struct IndexMark {
    len: usize,
    lists: usize,
    gap: Option<(ReplicaId, u64, u64)>,
}

impl ReplicaIndex {
    /// Records that the change at `position` (the log's next) is `replica`'s,
    /// starting at counter `start`.
    pub(crate) fn push(&mut self, replica: ReplicaId, start: u64, position: usize) {
        let list = match self.by_replica.get(&replica) {
            Some(&i) => i as usize,
            None => {
                self.by_replica.insert(replica, self.lists.len() as u64);
                self.lists.push(Changes::default());
                self.lists.len() - 1
            }
        };
        let list = &mut self.lists[list];
        if !list.starts.is_empty() && list.end != start && self.gap.is_none() {
            self.gap = Some((replica, list.end, start));
        }
        list.positions.push(position);
        list.starts.push(start);
    }

    /// Records where `replica`'s last change ends, as it is sealed.
    pub(crate) fn seal(&mut self, replica: ReplicaId, end: u64) {
        if let Some(&i) = self.by_replica.get(&replica) {
            self.lists[i as usize].end = end;
        }
    }

    /// The positions of the changes holding counters a peer at `version` lacks,
    /// in log order. `last`: the log's last change's position and end (its
    /// replica's entry is not sealed).
    pub(crate) fn since(&self, version: &VersionVector, last: Option<(usize, u64)>) -> Vec<usize> {
        let mut positions = Vec::new();
        for (replica, &list) in &self.by_replica {
            let list = &self.lists[list as usize];
            let Some(&last_position) = list.positions.last() else {
                continue;
            };
            let end = match last {
                Some((p, end)) if p == last_position => end,
                _ => list.end,
            };
            let next = version.get(*replica).saturating_add(1);
            // Change k ends where change k + 1 starts: skip those ending by `next`.
            let mut first = list.starts[1..].partition_point(|&s| s <= next);
            if first == list.starts.len() - 1 && end <= next {
                first += 1;
            }
            positions.extend_from_slice(&list.positions[first..]);
        }
        positions.sort_unstable();
        positions
    }

    /// Where the index stands, for [`ReplicaIndex::rollback`]; `len`: the log's
    /// number of changes.
    pub(crate) fn mark(&self, len: usize) -> IndexMark {
        IndexMark {
            len,
            lists: self.lists.len(),
            gap: self.gap,
        }
    }

    /// Forgets every change pushed since `mark`.
    pub(crate) fn rollback(&mut self, mark: &IndexMark) {
        // Replicas first seen since the mark got the lists at its end.
        self.lists.truncate(mark.lists);
        // Rebuilt by inserting what stays rather than by `retain`: the B-tree's
        // removal code (its rebalancing, 4.3 KB of WebAssembly) would serve only
        // this rare path, while its insert is compiled anyway.
        for (replica, list) in std::mem::take(&mut self.by_replica) {
            if list < mark.lists as u64 {
                self.by_replica.insert(replica, list);
            }
        }
        for list in &mut self.lists {
            while list.positions.last().is_some_and(|&p| p >= mark.len) {
                list.positions.pop();
                if let Some(start) = list.starts.pop() {
                    // Counters are consecutive: the change before ended here.
                    list.end = start;
                }
            }
        }
        self.gap = mark.gap;
    }

    /// Checks the index against the log's `len` changes, `last` as in
    /// [`ReplicaIndex::since`], and the document's version; `start_of(p)`: the
    /// replica and start of the change at position `p`, when at hand.
    pub(crate) fn check(
        &self,
        len: usize,
        last: Option<(usize, u64)>,
        version: &VersionVector,
        start_of: impl Fn(usize) -> Option<(ReplicaId, u64)>,
    ) -> Result<(), String> {
        if let Some((r, expected, start)) = self.gap {
            return Err(format!(
                "log gap or overlap for {r}: expected counter {expected}, change starts at {start}"
            ));
        }
        let mut count = 0;
        for (replica, &list) in &self.by_replica {
            let list = self
                .lists
                .get(list as usize)
                .ok_or_else(|| format!("no position list for {replica}"))?;
            count += list.positions.len();
            if list.positions.len() != list.starts.len()
                || !list.positions.is_sorted_by(|a, b| a < b)
                || !list.starts.is_sorted()
            {
                return Err(format!("position list of {replica} out of order"));
            }
            for (&p, &s) in list.positions.iter().zip(&list.starts) {
                if p >= len {
                    return Err(format!("{replica} has a change past the log's end"));
                }
                if start_of(p).is_some_and(|found| found != (*replica, s)) {
                    return Err(format!("change {p} is not where {replica}'s index says"));
                }
            }
            let end = match (last, list.positions.last()) {
                (Some((p, end)), Some(&q)) if p == q => end,
                _ => list.end,
            };
            if list.starts.last().is_some_and(|&s| s > end) {
                return Err(format!("{replica}'s last change ends before it starts"));
            }
            if end.saturating_sub(1) > version.get(*replica) {
                return Err(format!(
                    "log holds counters of {replica} beyond the version"
                ));
            }
        }
        if count != len {
            return Err(format!("the index holds {count} changes, the log {len}"));
        }
        Ok(())
    }
}
