//! A map kept as one sorted `Vec`, for the engine's small maps (keyed by replica,
//! mostly): a binary search reads it, and an insert shifts the tail.
//!
//! Why not `BTreeMap`: each key and value type of a `BTreeMap` brings its own copy
//! of the B-tree's insert, remove, split and merge code, about 5 KB of WebAssembly
//! per type (issue 5's size budget); this is a few hundred bytes per type, and as
//! fast or faster while the map stays small (one replica per writer, a handful of
//! overlapping marks). Not for maps that grow with the document and take inserts
//! in the middle (a set's members): there the shifts would cost O(n) each.

use std::borrow::Borrow;
use std::fmt;

/// Sorted by key, keys unique.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct VecMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Ord, V> VecMap<K, V> {
    /// The empty map.
    pub(crate) fn new() -> Self {
        Self(Vec::new())
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub(crate) fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        match self.find(key) {
            Ok(i) => Some(&mut self.0[i].1),
            Err(_) => None,
        }
    }

    /// The value of `key`, inserted from `make` first if absent.
    pub(crate) fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key, make()));
                i
            }
        };
        &mut self.0[i].1
    }

    /// Sets `key` to `value`; the old value if there was one.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    pub(crate) fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }
}

impl<K, V> VecMap<K, V> {
    /// Entries in key order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Values in key order.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;

    #[test]
    fn keeps_keys_sorted_and_unique() {
        let mut m = VecMap::new();
        for k in [5u32, 1, 9, 3, 5, 7] {
            m.insert(k, k * 10);
        }
        assert_eq!(
            m.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            [1, 3, 5, 7, 9]
        );
        assert_eq!(m.insert(3, 0), Some(30));
        assert_eq!(m.get(&3), Some(&0));
        *m.get_or_insert_with(4, || 1) += 1;
        *m.get_or_insert_with(4, || 100) += 1;
        assert_eq!(m.get(&4), Some(&3));
        assert_eq!(m.remove(&9), Some(90));
        assert_eq!(m.remove(&9), None);
        assert_eq!(m.get_mut(&8), None);
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [10, 0, 3, 50, 70]);
        assert_eq!(format!("{m:?}"), "{1: 10, 3: 0, 4: 3, 5: 50, 7: 70}");
    }
}
