//! Version vectors: for each replica, the highest op counter seen from it. Counters
//! of one replica are contiguous from 1, so a version names exactly a set of ops.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use crate::{OpId, ReplicaId};

/// How two versions relate causally.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CausalOrder {
    /// The first has seen strictly less than the second.
    Before,
    /// The first has seen strictly more than the second.
    After,
    /// Both have seen the same ops.
    Equal,
    /// Each has seen ops the other has not.
    Concurrent,
}

/// A vector clock: replica → highest counter seen (absent means 0, nothing seen).
#[derive(Clone, Default, PartialEq, Eq, Hash, Debug)]
pub struct VersionVector(BTreeMap<ReplicaId, u64>);

impl VersionVector {
    /// The empty version: nothing seen.
    pub fn new() -> Self {
        Self::default()
    }

    /// The highest counter seen from `replica` (0 if none).
    pub fn get(&self, replica: ReplicaId) -> u64 {
        self.0.get(&replica).copied().unwrap_or(0)
    }

    /// Whether the op `id` is part of this version.
    pub fn includes(&self, id: OpId) -> bool {
        id.counter != 0 && id.counter <= self.get(id.replica)
    }

    /// Raises the entry of `replica` to at least `counter`.
    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn advance(&mut self, replica: ReplicaId, counter: u64) {
        if counter == 0 {
            return;
        }
        // A replica recording its own edits advances one entry per op; alone in
        // the vector (or the highest id), it is the last one, found without
        // comparing keys on the way.
        if let Some(mut last) = self.0.last_entry() {
            if *last.key() == replica {
                let e = last.get_mut();
                *e = (*e).max(counter);
                return;
            }
        }
        match self.0.get_mut(&replica) {
            Some(e) => *e = (*e).max(counter),
            None => {
                self.0.insert(replica, counter);
            }
        }
    }

    /// Entries in replica order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (ReplicaId, u64)> + '_ {
        self.0.iter().map(|(r, c)| (*r, *c))
    }

    /// Number of replicas with at least one op.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing has been seen.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Total number of op counters covered.
    pub fn total(&self) -> u64 {
        self.0.values().sum()
    }

    /// Compares causally: `Before` means `self` has seen strictly less than `other`.
    pub fn compare(&self, other: &Self) -> CausalOrder {
        let mut less = false;
        let mut greater = false;
        for (r, c) in self.iter() {
            match c.cmp(&other.get(r)) {
                Ordering::Less => less = true,
                Ordering::Greater => greater = true,
                Ordering::Equal => {}
            }
        }
        for (r, c) in other.iter() {
            if self.get(r) < c {
                less = true;
            }
        }
        match (less, greater) {
            (false, false) => CausalOrder::Equal,
            (true, false) => CausalOrder::Before,
            (false, true) => CausalOrder::After,
            (true, true) => CausalOrder::Concurrent,
        }
    }

    /// Raises every entry to the maximum of both: the union of what both have seen.
    pub fn merge(&mut self, other: &Self) {
        for (r, c) in other.iter() {
            self.advance(r, c);
        }
    }

    /// The ops in `self` that `other` lacks, as counter ranges per replica.
    pub fn diff(&self, other: &Self) -> Vec<(ReplicaId, RangeInclusive<u64>)> {
        self.iter()
            .filter_map(|(r, c)| {
                let seen = other.get(r);
                (c > seen).then(|| (r, seen + 1..=c))
            })
            .collect()
    }
}

impl FromIterator<(ReplicaId, u64)> for VersionVector {
    fn from_iter<T: IntoIterator<Item = (ReplicaId, u64)>>(iter: T) -> Self {
        let mut v = Self::new();
        for (r, c) in iter {
            v.advance(r, c);
        }
        v
    }
}
