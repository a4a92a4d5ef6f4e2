//! [`ByReplica`]: a `u64` per replica, in replica order; the one map type of
//! version vectors, a counter's totals index and the log's replica index.
//!
//! Natively it is a `BTreeMap<ReplicaId, u64>`. In WebAssembly it is a
//! [`ReplicaMap`], two sorted `Vec`s, whose code is a small part of the
//! B-tree's (insert, node splits, clone, iteration and drop for this one key
//! and value type: about 6 KB of the module before gzip).
// Natively only the tests use `ReplicaMap`.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use std::fmt;
use std::hash::{Hash, Hasher};

use crate::ReplicaId;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) type ByReplica = std::collections::BTreeMap<ReplicaId, u64>;
#[cfg(target_arch = "wasm32")]
pub(crate) type ByReplica = ReplicaMap;

/// A `u32` slot per replica (the id table's and the table writer's replica
/// indexes). Natively an Fx-hashed map; in WebAssembly the [`ReplicaMap`] the
/// module holds anyway, so that it compiles no hash map for this key and value
/// type (about 1 KB before gzip). Lookups there are two binary searches; both
/// users check their last replica (or, for the id table, a few) first.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReplicaSlots(
    #[cfg(not(target_arch = "wasm32"))] crate::hash::FxHashMap<ReplicaId, u32>,
    #[cfg(target_arch = "wasm32")] ReplicaMap,
);

impl ReplicaSlots {
    /// The slot of `replica`.
    #[inline]
    // The cast and the conversion narrow and widen in WebAssembly only.
    #[allow(clippy::unnecessary_cast)]
    pub(crate) fn get(&self, replica: ReplicaId) -> Option<u32> {
        // Only `insert` writes, and it stores `u32`s.
        self.0.get(&replica).map(|&i| i as u32)
    }

    /// Gives `replica` slot `slot`.
    #[inline]
    #[allow(clippy::useless_conversion)]
    pub(crate) fn insert(&mut self, replica: ReplicaId, slot: u32) {
        self.0.insert(replica, slot.into());
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.capacity() * 16;
        #[cfg(target_arch = "wasm32")]
        return self.0.len() * 16;
    }
}

type Entry = (ReplicaId, u64);

/// Entries kept in `recent` alone, as one sorted `Vec`, before any goes to `main`.
const SMALL: usize = 32;

/// A map from replica to `u64` with the part of `BTreeMap`'s API its users
/// need. Entries are never removed.
///
/// A single sorted `Vec` would move its tail on every new replica: a peer
/// naming n replicas in descending order would cost O(n²). Here new replicas
/// go to `recent`, sorted and short, and `recent` is merged into `main` once
/// it holds more than `SMALL` entries and more than √(`main`'s length): an
/// insert moves at most that many entries, and the merges, each linear,
/// come every √n inserts, so n inserts in any order cost O(n √n) moves.
/// Lookups are two binary searches.
#[derive(Clone, Default)]
pub(crate) struct ReplicaMap {
    /// Sorted by replica.
    main: Vec<Entry>,
    /// Sorted by replica; no replica of `main`.
    recent: Vec<Entry>,
}

fn find(v: &[Entry], replica: ReplicaId) -> Result<usize, usize> {
    v.binary_search_by(|e| e.0.cmp(&replica))
}

impl ReplicaMap {
    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.main.len() + self.recent.len()
    }

    /// Whether there is no entry.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of `replica`.
    pub(crate) fn get(&self, replica: &ReplicaId) -> Option<&u64> {
        for v in [&self.main, &self.recent] {
            if let Ok(i) = find(v, *replica) {
                return Some(&v[i].1);
            }
        }
        None
    }

    /// The value of `replica`, to change.
    pub(crate) fn get_mut(&mut self, replica: &ReplicaId) -> Option<&mut u64> {
        if let Ok(i) = find(&self.main, *replica) {
            return Some(&mut self.main[i].1);
        }
        match find(&self.recent, *replica) {
            Ok(i) => Some(&mut self.recent[i].1),
            Err(_) => None,
        }
    }

    /// The value of `replica` when it is the last entry of `recent`, to
    /// change (one compare, no search): a replica recording its own edits,
    /// alone in the map or the highest of up to `SMALL` replicas, finds its
    /// entry so on every edit. `None` otherwise, even if `replica` is
    /// elsewhere.
    #[inline]
    pub(crate) fn last_mut(&mut self, replica: ReplicaId) -> Option<&mut u64> {
        self.recent
            .last_mut()
            .filter(|e| e.0 == replica)
            .map(|e| &mut e.1)
    }

    /// Sets the value of `replica`, returning the one it replaces.
    pub(crate) fn insert(&mut self, replica: ReplicaId, value: u64) -> Option<u64> {
        if let Some(v) = self.get_mut(&replica) {
            return Some(std::mem::replace(v, value));
        }
        let at = find(&self.recent, replica).unwrap_or_else(|i| i);
        self.recent.insert(at, (replica, value));
        let n = self.recent.len();
        if n > SMALL && n * n > self.main.len() {
            let merged: Vec<Entry> = self.iter().map(|(r, v)| (*r, *v)).collect();
            self.main = merged;
            self.recent.clear();
        }
        None
    }

    /// The entries in replica order.
    pub(crate) fn iter(&self) -> Iter<'_> {
        Iter {
            a: &self.main,
            b: &self.recent,
        }
    }
}

/// Equal when they hold the same entries, however they are split.
impl PartialEq for ReplicaMap {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for ReplicaMap {}

impl Hash for ReplicaMap {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_usize(self.len());
        for (r, v) in self {
            r.hash(state);
            v.hash(state);
        }
    }
}

impl fmt::Debug for ReplicaMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The entries of a [`ReplicaMap`] in replica order: both halves merged.
pub(crate) struct Iter<'a> {
    a: &'a [Entry],
    b: &'a [Entry],
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a ReplicaId, &'a u64);

    fn next(&mut self) -> Option<Self::Item> {
        let from_a = match (self.a.first(), self.b.first()) {
            (Some(x), Some(y)) => x.0 < y.0,
            (a, _) => a.is_some(),
        };
        let side = if from_a { &mut self.a } else { &mut self.b };
        let (e, rest) = side.split_first()?;
        *side = rest;
        Some((&e.0, &e.1))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.a.len() + self.b.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a ReplicaMap {
    type Item = (&'a ReplicaId, &'a u64);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for ReplicaMap {
    type Item = Entry;
    type IntoIter = std::vec::IntoIter<Entry>;

    fn into_iter(self) -> Self::IntoIter {
        let all: Vec<Entry> = self.iter().map(|(r, v)| (*r, *v)).collect();
        all.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::hash::{BuildHasher, RandomState};

    use super::{ReplicaMap, SMALL};
    use crate::ReplicaId;

    fn check(map: &ReplicaMap, model: &BTreeMap<ReplicaId, u64>, what: &str) {
        assert_eq!(map.len(), model.len(), "{what}");
        assert_eq!(map.is_empty(), model.is_empty(), "{what}");
        assert_eq!(
            map.iter().map(|(r, v)| (*r, *v)).collect::<Vec<_>>(),
            model.iter().map(|(r, v)| (*r, *v)).collect::<Vec<_>>(),
            "{what}: entries in replica order"
        );
        assert_eq!(map.iter().len(), model.len(), "{what}");
        for (r, v) in model {
            assert_eq!(map.get(r), Some(v), "{what}");
            assert_eq!(map.get(&ReplicaId(r.0 + 1)), model.get(&ReplicaId(r.0 + 1)));
        }
        // Both halves sorted, apart and without a replica in common, and the
        // short one short.
        let sorted = |v: &[(ReplicaId, u64)]| v.windows(2).all(|w| w[0].0 < w[1].0);
        assert!(sorted(&map.main) && sorted(&map.recent), "{what}");
        assert!(map
            .recent
            .iter()
            .all(|e| super::find(&map.main, e.0).is_err()));
        let n = map.recent.len();
        assert!(
            n <= SMALL || n * n <= map.main.len(),
            "{what}: recent holds {n}"
        );
    }

    /// `last_mut` finds the last entry of `recent` only (the own replica on
    /// the local edit path), and what it changes is what `get` reads.
    #[test]
    fn last_mut_finds_the_last_recent_entry_and_no_other() {
        let mut map = ReplicaMap::default();
        assert_eq!(map.last_mut(ReplicaId(5)), None, "empty");
        map.insert(ReplicaId(5), 1);
        *map.last_mut(ReplicaId(5)).expect("alone") = 7;
        assert_eq!(map.get(&ReplicaId(5)), Some(&7));
        assert_eq!(map.last_mut(ReplicaId(6)), None, "absent");
        map.insert(ReplicaId(9), 2);
        assert_eq!(map.last_mut(ReplicaId(5)), None, "not the last");
        *map.last_mut(ReplicaId(9)).expect("the highest") += 1;
        assert_eq!(map.get(&ReplicaId(9)), Some(&3));
        assert_eq!(map.get(&ReplicaId(5)), Some(&7));
        // Merged into `main` (more than SMALL entries), the highest is found
        // by the search only.
        for r in 10..(9 + SMALL as u64) {
            map.insert(ReplicaId(r), r);
        }
        assert!(map.recent.is_empty() && map.main.len() == SMALL + 1);
        let top = ReplicaId(8 + SMALL as u64);
        assert_eq!(map.last_mut(top), None, "in main");
        assert_eq!(map.get(&top), Some(&top.0));
    }

    /// Maps filled in ascending, descending, alternating and scrambled orders
    /// read, iterate, compare and hash as a B-tree filled alike does.
    #[test]
    fn reads_as_a_btree_map_in_any_insertion_order() {
        let hasher = RandomState::new();
        for n in [0u64, 1, 2, 31, 32, 33, 34, 100, 1_000, 5_000] {
            let ascending: Vec<u64> = (0..n).map(|i| i * 7 + 3).collect();
            let descending: Vec<u64> = ascending.iter().rev().copied().collect();
            let alternating: Vec<u64> = (0..n as usize)
                .map(|i| match i % 2 {
                    0 => ascending[i / 2],
                    _ => ascending[n as usize - 1 - i / 2],
                })
                .collect();
            let mut x = 0x2545_f491_4f6c_dd1du64;
            let scrambled: Vec<u64> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x % (8 * n + 1)
                })
                .collect();
            let mut first: Option<ReplicaMap> = None;
            for (name, order) in [
                ("ascending", &ascending),
                ("descending", &descending),
                ("alternating", &alternating),
                ("scrambled", &scrambled),
            ] {
                let what = format!("{name}, n = {n}");
                let mut map = ReplicaMap::default();
                let mut model = BTreeMap::new();
                for &r in order.iter() {
                    let value = r % 5;
                    assert_eq!(
                        map.insert(ReplicaId(r), value),
                        model.insert(ReplicaId(r), value),
                        "{what}"
                    );
                    // Some entries raised in place.
                    if r % 3 == 0 {
                        *map.get_mut(&ReplicaId(r)).unwrap() += 1;
                        *model.get_mut(&ReplicaId(r)).unwrap() += 1;
                    }
                }
                check(&map, &model, &what);
                assert_eq!(
                    map.clone().into_iter().collect::<Vec<_>>(),
                    model.clone().into_iter().collect::<Vec<_>>()
                );
                assert_eq!(format!("{map:?}"), format!("{model:?}"));
                if name != "scrambled" {
                    // The same entries, however split between the halves.
                    let first = first.get_or_insert_with(|| map.clone());
                    assert_eq!(&map, first, "{what}");
                    assert_eq!(hasher.hash_one(&map), hasher.hash_one(&*first));
                    if let Some(r) = ascending.first() {
                        let mut other = map.clone();
                        other.insert(ReplicaId(*r), 99);
                        assert_ne!(other, map, "{what}");
                    }
                }
            }
        }
    }

    /// The slots read back whatever the order replicas arrive in (in
    /// WebAssembly they live in a `ReplicaMap`, natively in a hash map).
    #[test]
    fn replica_slots_give_back_each_replicas_slot() {
        let mut slots = super::ReplicaSlots::default();
        let mut model = BTreeMap::new();
        for (slot, i) in (0..500u64).enumerate() {
            // Scrambled, with replica ids high and low.
            let r = ReplicaId(i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            assert_eq!(slots.get(r), None);
            slots.insert(r, slot as u32);
            model.insert(r, slot as u32);
            assert_eq!(slots.get(r), Some(slot as u32));
        }
        for (r, slot) in &model {
            assert_eq!(slots.get(*r), Some(*slot));
        }
        assert_eq!(slots.get(ReplicaId(1)), None);
        assert!(slots.heap_bytes() >= model.len() * 16);
    }
}
