//! A last-writer-wins map. Deletes are writes of "absent" with their own stamp, so
//! a delete and a concurrent write are ordered like any two writes: the later
//! stamp wins, whichever arrives first.

use std::sync::Arc;

use super::stamp::Stamp;
use crate::hash::FxHashMap;
use crate::{ContainerId, Value};

/// What a map field holds.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// A JSON-like scalar.
    Value(Value),
    /// A container.
    Container(ContainerId),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    /// `None`: deleted (the tombstone keeps its stamp so older writes stay beaten).
    pub(crate) value: Option<FieldValue>,
    pub(crate) stamp: Stamp,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct MapState {
    /// Unordered for speed; readers and encoders sort by key.
    pub(crate) entries: FxHashMap<Arc<str>, Entry>,
}

impl MapState {
    /// Applies a write; returns whether it won (changed the field).
    pub(crate) fn write(
        &mut self,
        key: &Arc<str>,
        value: Option<FieldValue>,
        stamp: Stamp,
    ) -> bool {
        match self.entries.get_mut(key) {
            Some(e) if e.stamp >= stamp => false,
            Some(e) => {
                e.value = value;
                e.stamp = stamp;
                true
            }
            None => {
                self.entries.insert(key.clone(), Entry { value, stamp });
                true
            }
        }
    }

    pub(crate) fn shared_key(&self, key: &str) -> Option<Arc<str>> {
        self.entries.get_key_value(key).map(|(k, _)| k.clone())
    }

    pub(crate) fn get(&self, key: &str) -> Option<&FieldValue> {
        self.entries.get(key).and_then(|e| e.value.as_ref())
    }

    /// Fields that hold something, sorted by key.
    pub(crate) fn live(&self) -> impl Iterator<Item = (&Arc<str>, &FieldValue)> {
        let mut live: Vec<_> = self
            .entries
            .iter()
            .filter_map(|(k, e)| e.value.as_ref().map(|v| (k, v)))
            .collect();
        live.sort_unstable_by(|a, b| a.0.cmp(b.0));
        live.into_iter()
    }

    /// Every entry, tombstones included, sorted by key.
    pub(crate) fn sorted(&self) -> Vec<(&Arc<str>, &Entry)> {
        let mut all: Vec<_> = self.entries.iter().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all
    }
}
