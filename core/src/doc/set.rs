//! An add-wins observed-remove set. Every add is tagged with its op id; a remove
//! deletes only the tags its replica had observed, so a concurrent add survives and
//! a re-add after a remove brings the member back.

use std::collections::BTreeMap;

use crate::{OpId, Value};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    pub(crate) value: Value,
    /// Live add tags, sorted.
    pub(crate) tags: Vec<OpId>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SetState {
    /// Keyed by the member's canonical encoding, since values hold floats and have
    /// no total order of their own.
    pub(crate) members: BTreeMap<Vec<u8>, Member>,
}

impl SetState {
    /// Returns whether the member became present.
    pub(crate) fn add(&mut self, key: Vec<u8>, value: &Value, tag: OpId) -> bool {
        let m = self.members.entry(key).or_insert_with(|| Member {
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
        let Some(m) = self.members.get_mut(key) else {
            return false;
        };
        let before = m.tags.len();
        m.tags.retain(|t| !tags.contains(t));
        if m.tags.is_empty() {
            self.members.remove(key);
            return before > 0;
        }
        false
    }

    pub(crate) fn tags(&self, key: &[u8]) -> &[OpId] {
        self.members.get(key).map_or(&[], |m| m.tags.as_slice())
    }

    pub(crate) fn contains(&self, key: &[u8]) -> bool {
        self.members.contains_key(key)
    }
}
