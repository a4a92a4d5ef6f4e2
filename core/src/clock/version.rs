//! Version vectors: for each replica, the highest op counter seen from it. Counters
//! of one replica are contiguous from 1, so a version names exactly a set of ops.

use std::cmp::Ordering;
#[cfg(not(target_arch = "wasm32"))]
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

#[cfg(target_arch = "wasm32")]
use super::ByReplica;
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
///
/// Natively, up to [`SMALL`] entries are a sorted `Vec` (a replica recording its
/// own edits advances one entry per op, and a scan of a few words beats walking
/// a B-tree), and a vector that grows past that becomes a B-tree for good: a
/// `Vec` alone would move its tail on every new replica, quadratic on a crafted
/// update naming 100,000 replicas in descending order. Entries are never
/// removed, so which form a vector has follows from its length, and the
/// derived equality and hash compare contents. WebAssembly keeps one
/// `ByReplica` map alone (module size).
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct VersionVector(Repr);

/// Most entries kept as a sorted `Vec` (inserting moves at most this many).
#[cfg(not(target_arch = "wasm32"))]
const SMALL: usize = 32;

#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Small(Vec<(ReplicaId, u64)>),
    Big(BTreeMap<ReplicaId, u64>),
}

#[cfg(not(target_arch = "wasm32"))]
impl Repr {
    fn len(&self) -> usize {
        match self {
            Repr::Small(v) => v.len(),
            Repr::Big(m) => m.len(),
        }
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for Repr {
    fn default() -> Self {
        Repr::Small(Vec::new())
    }
}

#[cfg(target_arch = "wasm32")]
type Repr = ByReplica;

impl std::fmt::Debug for VersionVector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VersionVector(")?;
        f.debug_map().entries(self.iter()).finish()?;
        f.write_str(")")
    }
}

impl VersionVector {
    /// The empty version: nothing seen.
    pub fn new() -> Self {
        Self::default()
    }

    /// The highest counter seen from `replica` (0 if none).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn get(&self, replica: ReplicaId) -> u64 {
        match &self.0 {
            Repr::Small(v) => v
                .binary_search_by_key(&replica, |e| e.0)
                .map_or(0, |i| v[i].1),
            Repr::Big(m) => m.get(&replica).copied().unwrap_or(0),
        }
    }

    /// The highest counter seen from `replica` (0 if none).
    #[cfg(target_arch = "wasm32")]
    pub fn get(&self, replica: ReplicaId) -> u64 {
        self.0.get(&replica).copied().unwrap_or(0)
    }

    /// Whether the op `id` is part of this version.
    pub fn includes(&self, id: OpId) -> bool {
        id.counter != 0 && id.counter <= self.get(id.replica)
    }

    /// Raises the entry of `replica` to at least `counter`.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    pub fn advance(&mut self, replica: ReplicaId, counter: u64) {
        if counter == 0 {
            return;
        }
        match &mut self.0 {
            Repr::Small(v) => {
                // A replica recording its own edits, alone in the vector (or
                // the highest id), finds its entry with one compare.
                if let Some(last) = v.last_mut() {
                    if last.0 == replica {
                        last.1 = last.1.max(counter);
                        return;
                    }
                }
                self.advance_other(replica, counter);
            }
            Repr::Big(m) => advance_map(m, replica, counter),
        }
    }

    /// [`VersionVector::advance`] for a replica's own next op: `counter` is
    /// above its entry (so not 0), which a replica recording its own edits
    /// alone in the vector (or the highest id) finds with one compare and
    /// sets without taking the larger of the two.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    pub(crate) fn advance_own(&mut self, replica: ReplicaId, counter: u64) {
        debug_assert!(counter > self.get(replica));
        if let Repr::Small(v) = &mut self.0 {
            if let Some(last) = v.last_mut() {
                if last.0 == replica {
                    last.1 = counter;
                    return;
                }
            }
        }
        self.advance(replica, counter);
    }

    /// A faster [`VersionVector::advance`] for the own replica: on every local
    /// edit, so its entry is found by [`ReplicaMap::last_mut`]'s one compare
    /// before any search (the two binary searches of `get_mut`, out of line
    /// in the module, were 4% of a profile of the JavaScript replay).
    ///
    /// [`ReplicaMap::last_mut`]: super::replica_map::ReplicaMap::last_mut
    #[cfg(target_arch = "wasm32")]
    #[inline]
    pub(crate) fn advance_own(&mut self, replica: ReplicaId, counter: u64) {
        if let Some(e) = self.0.last_mut(replica) {
            *e = (*e).max(counter);
            return;
        }
        self.advance(replica, counter);
    }

    /// [`VersionVector::advance`] for any entry but the last of a small vector.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)]
    fn advance_other(&mut self, replica: ReplicaId, counter: u64) {
        let Repr::Small(v) = &mut self.0 else {
            unreachable!("only small vectors come here")
        };
        match v.binary_search_by_key(&replica, |e| e.0) {
            Ok(i) => v[i].1 = v[i].1.max(counter),
            Err(i) if v.len() < SMALL => v.insert(i, (replica, counter)),
            Err(_) => {
                let mut m: BTreeMap<ReplicaId, u64> = v.drain(..).collect();
                m.insert(replica, counter);
                self.0 = Repr::Big(m);
            }
        }
    }

    /// Raises the entry of `replica` to at least `counter`.
    #[cfg(target_arch = "wasm32")]
    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn advance(&mut self, replica: ReplicaId, counter: u64) {
        if counter == 0 {
            return;
        }
        match self.0.get_mut(&replica) {
            Some(e) => *e = (*e).max(counter),
            None => {
                self.0.insert(replica, counter);
            }
        }
    }

    /// Entries in replica order.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (ReplicaId, u64)> + '_ {
        let (small, big) = match &self.0 {
            Repr::Small(v) => (&v[..], None),
            Repr::Big(m) => (&[][..], Some(m)),
        };
        Entries {
            small: small.iter(),
            big: big.map(|m| m.iter()),
        }
    }

    /// Entries in replica order.
    #[cfg(target_arch = "wasm32")]
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
        self.iter().map(|(_, c)| c).sum()
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

/// Raises `replica`'s entry of a B-tree vector to at least `counter` (> 0).
#[cfg(not(target_arch = "wasm32"))]
#[inline]
fn advance_map(m: &mut BTreeMap<ReplicaId, u64>, replica: ReplicaId, counter: u64) {
    // A replica recording its own edits advances one entry per op; alone in
    // the vector (or the highest id), it is the last one, found without
    // comparing keys on the way.
    if let Some(mut last) = m.last_entry() {
        if *last.key() == replica {
            let e = last.get_mut();
            *e = (*e).max(counter);
            return;
        }
    }
    match m.get_mut(&replica) {
        Some(e) => *e = (*e).max(counter),
        None => {
            m.insert(replica, counter);
        }
    }
}

/// The entries of a vector in either form.
#[cfg(not(target_arch = "wasm32"))]
struct Entries<'a> {
    small: std::slice::Iter<'a, (ReplicaId, u64)>,
    big: Option<std::collections::btree_map::Iter<'a, ReplicaId, u64>>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Iterator for Entries<'_> {
    type Item = (ReplicaId, u64);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.big {
            Some(m) => m.next().map(|(r, c)| (*r, *c)),
            None => self.small.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match &self.big {
            Some(m) => m.len(),
            None => self.small.len(),
        };
        (n, Some(n))
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl ExactSizeIterator for Entries<'_> {}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::hash::{BuildHasher, RandomState};

    use super::VersionVector;
    use crate::ReplicaId;

    /// Vectors built in several orders, through both forms, against a plain map.
    #[test]
    fn both_forms_read_compare_and_hash_as_a_plain_map_does() {
        let hasher = RandomState::new();
        for n in [0u64, 1, 2, 31, 32, 33, 34, 100, 1_000] {
            let entries: Vec<(ReplicaId, u64)> =
                (0..n).map(|i| (ReplicaId(i * 7 + 3), i % 5 + 1)).collect();
            let mut model = BTreeMap::new();
            for &(r, c) in &entries {
                model.insert(r, c);
            }
            let ascending: VersionVector = entries.iter().copied().collect();
            let descending: VersionVector = entries.iter().rev().copied().collect();
            // Interleaved from both ends, each entry raised once more on the way.
            let mut mixed = VersionVector::new();
            for i in 0..entries.len() {
                let (r, c) = if i % 2 == 0 {
                    entries[i / 2]
                } else {
                    entries[entries.len() - 1 - i / 2]
                };
                mixed.advance(r, c.saturating_sub(1));
                mixed.advance(r, c);
                mixed.advance(r, 0);
            }
            for v in [&ascending, &descending, &mixed] {
                assert_eq!(v.len(), model.len(), "n = {n}");
                assert_eq!(
                    v.iter().collect::<Vec<_>>(),
                    model.iter().map(|(r, c)| (*r, *c)).collect::<Vec<_>>()
                );
                for &(r, c) in &entries {
                    assert_eq!(v.get(r), c);
                    assert_eq!(v.get(ReplicaId(r.0 + 1)), 0);
                }
                assert_eq!(v, &ascending);
                assert_eq!(hasher.hash_one(v), hasher.hash_one(&ascending));
                assert_eq!(v.total(), model.values().sum::<u64>());
                #[cfg(not(target_arch = "wasm32"))]
                assert_eq!(
                    matches!(v.0, super::Repr::Big(_)),
                    v.len() > super::SMALL,
                    "a vector past SMALL entries must be a B-tree (n = {n})"
                );
            }
            let mut bigger = ascending.clone();
            bigger.advance(ReplicaId(1), 1);
            assert_ne!(bigger, ascending);
            assert_eq!(
                format!("{ascending:?}"),
                format!("VersionVector({:?})", model)
            );
        }
    }

    /// The own replica's entry, last in the vector or not, rises per op.
    #[test]
    fn the_last_entry_and_the_others_advance_alike() {
        let mut v = VersionVector::new();
        for c in 1..=50u64 {
            v.advance(ReplicaId(10), c);
            v.advance(ReplicaId(20 + c), c);
            v.advance(ReplicaId(5), c);
        }
        assert_eq!(v.get(ReplicaId(10)), 50);
        assert_eq!(v.get(ReplicaId(5)), 50);
        assert_eq!(v.get(ReplicaId(70)), 50);
        assert_eq!(v.len(), 52);
        v.advance(ReplicaId(10), 3);
        assert_eq!(v.get(ReplicaId(10)), 50);
    }
}
