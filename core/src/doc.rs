//! The document: a root map of named fields.

use std::collections::BTreeMap;

use crate::encoding::{self, DecodeError};
use crate::{OpId, ReplicaId, Value};

/// A field's current value with the op that wrote it; the highest op id wins.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Field {
    pub(crate) value: Value,
    pub(crate) stamp: OpId,
}

/// A replica of one document.
#[derive(Clone, Debug)]
pub struct Doc {
    replica: ReplicaId,
    /// Highest counter seen from any replica: the next local op goes above it, so a
    /// local write always wins over everything this replica has already seen.
    max_counter: u64,
    fields: BTreeMap<String, Field>,
}

impl Doc {
    /// An empty document owned by `replica`.
    pub fn new(replica: ReplicaId) -> Self {
        Self {
            replica,
            max_counter: 0,
            fields: BTreeMap::new(),
        }
    }

    /// The replica this document writes as.
    pub fn replica(&self) -> ReplicaId {
        self.replica
    }

    /// Sets field `key` to `value` (last writer wins).
    pub fn set(&mut self, key: &str, value: Value) {
        self.max_counter += 1;
        let stamp = OpId::new(self.replica, self.max_counter);
        self.fields.insert(key.to_owned(), Field { value, stamp });
    }

    /// The value of field `key`, if it was ever set.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key).map(|f| &f.value)
    }

    /// Names of the fields that hold a value, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }

    /// The whole document as bytes, to be given to [`Doc::import`] on any replica.
    pub fn export_snapshot(&self) -> Vec<u8> {
        encoding::encode_snapshot(self.fields.iter())
    }

    /// Merges bytes produced by [`Doc::export_snapshot`] into this document.
    ///
    /// On error nothing is changed: the input is decoded in full before any of it
    /// is applied.
    pub fn import(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        let incoming = encoding::decode_snapshot(bytes)?;
        for (key, field) in incoming {
            self.max_counter = self.max_counter.max(field.stamp.counter);
            let wins = match self.fields.get(&key) {
                Some(current) => (field.stamp.counter, field.stamp.replica)
                    > (current.stamp.counter, current.stamp.replica),
                None => true,
            };
            if wins {
                self.fields.insert(key, field);
            }
        }
        Ok(())
    }
}
