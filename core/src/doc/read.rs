//! Reading a document's current state.

use super::map::FieldValue;
use super::state::Container;
use super::Doc;
use crate::{ContainerId, CounterId, MapId, Number, SetId, Value, VecMap};

/// How deep [`Doc::to_value`] descends; deeper containers read as `Null` (nesting
/// is bounded by what ops create, but a reader should never recurse unboundedly).
const MAX_DEPTH: usize = 64;

impl Doc {
    /// The scalar in root field `key`, if it holds one.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self.map_get(&MapId::ROOT, key)? {
            FieldValue::Value(v) => Some(v),
            FieldValue::Container(_) => None,
        }
    }

    /// What root field `key` holds.
    pub fn field(&self, key: &str) -> Option<&FieldValue> {
        self.map_get(&MapId::ROOT, key)
    }

    /// Names of the root fields that hold something, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map_keys(&MapId::ROOT)
    }

    /// What field `key` of `map` holds.
    pub fn map_get(&self, map: &MapId, key: &str) -> Option<&FieldValue> {
        match self.state.get(map.id())? {
            Container::Map(m) => m.get(key),
            _ => None,
        }
    }

    /// Names of the fields of `map` that hold something, in sorted order.
    pub fn map_keys(&self, map: &MapId) -> impl Iterator<Item = &str> {
        let m = match self.state.get(map.id()) {
            Some(Container::Map(m)) => Some(m),
            _ => None,
        };
        m.into_iter().flat_map(|m| m.live().map(|(k, _)| &**k))
    }

    /// Whether `id` names a container this document can use (containers in root
    /// fields always can: they exist implicitly).
    pub fn has_container(&self, id: &ContainerId) -> bool {
        self.state.exists(id)
    }

    /// A counter's total (0 if it never existed).
    pub fn counter_value(&self, counter: &CounterId) -> Number {
        match self.state.get(counter.id()) {
            Some(Container::Counter(c)) => c.value(),
            _ => Number::Int(0),
        }
    }

    /// Whether a set holds `member`.
    pub fn set_contains(&self, set: &SetId, member: &Value) -> bool {
        match self.state.get(set.id()) {
            Some(Container::Set(s)) => s.contains(&crate::encoding::value_key(member)),
            _ => false,
        }
    }

    /// A set's members, in a canonical order (by encoding).
    pub fn set_members(&self, set: &SetId) -> Vec<Value> {
        match self.state.get(set.id()) {
            Some(Container::Set(s)) => s.members.values().map(|m| m.value.clone()).collect(),
            _ => Vec::new(),
        }
    }

    /// The whole document as one JSON-like value: maps become objects, lists
    /// arrays, texts strings, counters numbers, sets arrays of their members.
    pub fn to_value(&self) -> Value {
        self.container_value(&ContainerId::Root, 0)
    }

    /// One container as a JSON-like value (see [`Doc::to_value`]).
    pub fn container_value(&self, id: &ContainerId, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        let field = |f: &FieldValue| match f {
            FieldValue::Value(v) => v.clone(),
            FieldValue::Container(c) => self.container_value(c, depth + 1),
        };
        match self.state.get(id) {
            Some(Container::Map(m)) => {
                // `String::from`, not `to_string()`: an `Arc<str>`'s `to_string` goes
                // through `Display` and `Formatter::pad` for a plain copy.
                Value::Object(
                    m.live()
                        .map(|(k, v)| (String::from(&**k), field(v)))
                        .collect(),
                )
            }
            Some(Container::Counter(c)) => c.value().to_value(),
            Some(Container::Set(s)) => {
                Value::Array(s.members.values().map(|m| m.value.clone()).collect())
            }
            Some(Container::Text(t)) => Value::Str(t.seq.text()),
            Some(Container::List(l)) => Value::Array(l.values().iter().map(field).collect()),
            None => match id.kind() {
                crate::ContainerKind::Map => Value::Object(VecMap::new()),
                crate::ContainerKind::Counter => Value::Int(0),
                crate::ContainerKind::Text => Value::Str(String::new()),
                _ => Value::Array(Vec::new()),
            },
        }
    }
}
