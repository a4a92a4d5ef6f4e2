//! An add-wins observed-remove set. Every add is tagged with its op id; a remove
//! deletes only the tags its replica had observed, so a concurrent add survives and
//! a re-add after a remove brings the member back.

use crate::hash::FxHashMap;
use crate::{OpId, Value};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    pub(crate) value: Value,
    /// Live add tags, sorted.
    pub(crate) tags: Vec<OpId>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SetState {
    pub(crate) members: Members,
}

/// The members, keyed by their canonical encoding, since values hold floats and
/// have no total order of their own. A hash map rather than a `BTreeMap`: the
/// B-tree's code for this one key type was about 8 KB of WebAssembly, while
/// hashing bytes and the hash table's code are already in the module for map
/// fields; a peer can add members one at a time in any order, so a sorted `Vec`
/// (O(n) per insert) would not do. Readers that need the canonical order (the
/// API, the encoder) get it from [`Members::values`], which sorts.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Members(FxHashMap<Vec<u8>, Member>);

impl Members {
    /// Adds or replaces the member under `key`.
    pub(crate) fn insert(&mut self, key: Vec<u8>, member: Member) {
        self.0.insert(key, member);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members in canonical order (by encoding), the order every replica
    /// reports and encodes them in.
    pub(crate) fn values(&self) -> impl ExactSizeIterator<Item = &Member> {
        let mut all: Vec<(&[u8], &Member)> =
            self.0.iter().map(|(k, m)| (k.as_slice(), m)).collect();
        // Keys are unique, so an unstable sort gives the one order too, and it is
        // std's heapsort in this size-built std: smaller code than the merge sort.
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.into_iter().map(|(_, m)| m)
    }
}

impl SetState {
    /// Returns whether the member became present.
    pub(crate) fn add(&mut self, key: Vec<u8>, value: &Value, tag: OpId) -> bool {
        let m = self.members.0.entry(key).or_insert_with(|| Member {
            value: value.clone(),
            tags: Vec::new(),
        });
        let was_empty = m.tags.is_empty();
        if let Err(at) = m.tags.binary_search(&tag) {
            m.tags.insert(at, tag);
        }
        was_empty
    }

    /// Returns whether the member stopped being present.
    pub(crate) fn remove(&mut self, key: &[u8], tags: &[OpId]) -> bool {
        let Some(m) = self.members.0.get_mut(key) else {
            return false;
        };
        let before = m.tags.len();
        m.tags.retain(|t| !tags.contains(t));
        if m.tags.is_empty() {
            self.members.0.remove(key);
            return before > 0;
        }
        false
    }

    pub(crate) fn tags(&self, key: &[u8]) -> &[OpId] {
        self.members.0.get(key).map_or(&[], |m| m.tags.as_slice())
    }

    pub(crate) fn contains(&self, key: &[u8]) -> bool {
        self.members.0.contains_key(key)
    }
}
