//! Text and List containers: the Fugue sequence engine (`crate::seq`) holds the
//! elements; this adds what a document needs on top (nested containers in lists,
//! events, errors in the document's terms).

mod lazy;

use crate::hash::FxHashMap;

use super::error::DocError;
use super::event::{Diff, Event, ListDelta, TextDelta};
use super::map::FieldValue;
use crate::change::NewValue;
use crate::seq::{InsertOp, ListSeq, SeqError};
use crate::{ContainerId, ContainerKind, OpId, Value};
pub(crate) use lazy::LazyText;

#[derive(Clone, Debug, Default)]
pub(crate) struct TextState {
    /// Built on first use when loaded from a snapshot (see `lazy.rs`).
    pub(crate) seq: LazyText,
    /// Formatting, kept apart from the characters (see `marks.rs`).
    pub(crate) marks: super::marks::MarkSet,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct ListState {
    pub(crate) seq: ListSeq,
    /// Elements that are containers (stored in `seq` as `Null` placeholders): a
    /// list element's container is named by the element's id.
    pub(crate) containers: NestedKinds,
}

/// A list's nested containers: the kind of each element that is a container,
/// by the element's id. Natively a hash map by id. In WebAssembly the
/// module's `FxHashMap<ContainerId, u32>` (the type of the document's and the
/// table writer's container indexes), keyed by the element's id as a
/// `ContainerId::Created` of one fixed kind (only the id tells keys apart) and
/// holding the kind's tag: one hash map type fewer in the module, whose
/// insert, lookup, clone and iteration cost about 1.8 KB (issue 5's budget).
#[derive(Clone, Debug, Default)]
pub(crate) struct NestedKinds(
    #[cfg(not(target_arch = "wasm32"))] FxHashMap<OpId, ContainerKind>,
    #[cfg(target_arch = "wasm32")] FxHashMap<ContainerId, u32>,
);

/// The key an element's id has in the WebAssembly [`NestedKinds`].
#[cfg(target_arch = "wasm32")]
fn nested_key(id: OpId) -> ContainerId {
    ContainerId::Created {
        id,
        kind: ContainerKind::Map,
    }
}

impl NestedKinds {
    /// An empty map with room for `n` entries.
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self(FxHashMap::with_capacity_and_hasher(n, Default::default()))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Records that element `id` is a container of `kind`.
    #[inline]
    pub(crate) fn insert(&mut self, id: OpId, kind: ContainerKind) {
        #[cfg(not(target_arch = "wasm32"))]
        self.0.insert(id, kind);
        #[cfg(target_arch = "wasm32")]
        self.0.insert(nested_key(id), u32::from(kind.tag()));
    }

    /// The kind of container element `id` is, if it is one.
    #[inline]
    pub(crate) fn get(&self, id: OpId) -> Option<ContainerKind> {
        #[cfg(not(target_arch = "wasm32"))]
        return self.0.get(&id).copied();
        #[cfg(target_arch = "wasm32")]
        return self
            .0
            .get(&nested_key(id))
            .and_then(|&tag| ContainerKind::from_tag(tag as u8));
    }

    /// The entries sorted by id (the order a snapshot writes them in).
    pub(crate) fn sorted(&self) -> Vec<(OpId, ContainerKind)> {
        #[cfg(not(target_arch = "wasm32"))]
        let mut v: Vec<_> = self.0.iter().map(|(&id, &kind)| (id, kind)).collect();
        #[cfg(target_arch = "wasm32")]
        let mut v: Vec<_> = self
            .0
            .iter()
            .filter_map(|(key, &tag)| match key {
                ContainerId::Created { id, .. } => Some((*id, ContainerKind::from_tag(tag as u8)?)),
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v
    }
}

/// A sequence engine error in a local edit, in the document's terms.
pub(crate) fn local_error(e: SeqError, kind: ContainerKind) -> DocError {
    match e {
        SeqError::IndexOutOfRange { index, len } | SeqError::Utf16OutOfRange { index, len } => {
            DocError::IndexOutOfRange { index, len, kind }
        }
        SeqError::RangeOutOfRange { end, len, .. } => DocError::IndexOutOfRange {
            index: end,
            len,
            kind,
        },
        other => DocError::Sequence(other.to_string()),
    }
}

fn retain_then(index: usize, mut rest: Vec<TextDelta>) -> Vec<TextDelta> {
    if index > 0 {
        rest.insert(0, TextDelta::Retain(index));
    }
    rest
}

fn list_retain_then(index: usize, mut rest: Vec<ListDelta>) -> Vec<ListDelta> {
    if index > 0 {
        rest.insert(0, ListDelta::Retain(index));
    }
    rest
}

pub(crate) fn text_insert_event(obj: &ContainerId, index: usize, text: String) -> Event {
    Event {
        container: obj.clone(),
        diff: Diff::Text(retain_then(index, vec![TextDelta::Insert(text)])),
    }
}

pub(crate) fn text_delete_event(obj: &ContainerId, index: usize, len: usize) -> Event {
    Event {
        container: obj.clone(),
        diff: Diff::Text(retain_then(index, vec![TextDelta::Delete(len)])),
    }
}

pub(crate) fn list_insert_event(obj: &ContainerId, index: usize, items: Vec<FieldValue>) -> Event {
    Event {
        container: obj.clone(),
        diff: Diff::List(list_retain_then(index, vec![ListDelta::Insert(items)])),
    }
}

pub(crate) fn list_delete_event(obj: &ContainerId, index: usize, len: usize) -> Event {
    Event {
        container: obj.clone(),
        diff: Diff::List(list_retain_then(index, vec![ListDelta::Delete(len)])),
    }
}

/// A list element as the document shows it.
pub(crate) fn element(id: OpId, kind: Option<ContainerKind>, value: &Value) -> FieldValue {
    match kind {
        Some(kind) => FieldValue::Container(ContainerId::Created { id, kind }),
        None => FieldValue::Value(value.clone()),
    }
}

/// List content to hand to the engine, and the containers among it.
pub(crate) fn list_values(items: &[NewValue]) -> Vec<Value> {
    items
        .iter()
        .map(|i| match i {
            NewValue::Value(v) => v.clone(),
            NewValue::Container(_) => Value::Null,
        })
        .collect()
}

impl TextState {
    /// The event of `text` now visible at `index`, with the marks it carries.
    pub(crate) fn insert_event(
        &self,
        obj: &ContainerId,
        index: usize,
        text: String,
        utf16: bool,
    ) -> Event {
        // The text before `index` is unchanged by the insert.
        let at = match utf16 {
            true => self.seq.index_to_utf16(index).unwrap_or(index),
            false => index,
        };
        if self.marks.is_empty() {
            return text_insert_event(obj, at, text);
        }
        let attrs = self.marks.attributes_at(&self.seq, index);
        if attrs.is_empty() {
            return text_insert_event(obj, at, text);
        }
        Event {
            container: obj.clone(),
            diff: Diff::Text(retain_then(
                at,
                vec![TextDelta::InsertFormatted(text, attrs)],
            )),
        }
    }

    /// Applies a remote insert; pushes its event to `events` (if given) when
    /// anything became visible. The event is pushed here, not returned: a
    /// returned `Result<Option<Event>, _>` is a 56-byte value that the
    /// size-built WebAssembly module moved four times per insert with
    /// `memory.copy`, a host call in V8, even when no one records events
    /// (docs/benchmarks.md, `wasmmerge12`).
    pub(crate) fn apply_insert(
        &mut self,
        obj: &ContainerId,
        op: &InsertOp<'_, str>,
        events: Option<&mut Vec<Event>>,
        utf16: bool,
    ) -> Result<(), SeqError> {
        let Some(events) = events else {
            self.seq.apply_insert_unplaced(op)?;
            return Ok(());
        };
        if let Some(c) = self.seq.apply_insert(op)? {
            // Only the unseen tail of a partly known run is new.
            let skip = op.content.chars().count() - c.len;
            let at = crate::seq::char_end(op.content, skip).unwrap_or(op.content.len());
            let text = op.content[at..].to_owned();
            events.push(self.insert_event(obj, c.index, text, utf16));
        }
        Ok(())
    }
}

impl ListState {
    pub(crate) fn apply_insert(
        &mut self,
        obj: &ContainerId,
        id: OpId,
        op: &InsertOp<'_, [Value]>,
        items: &[NewValue],
        events: Option<&mut Vec<Event>>,
    ) -> Result<(), SeqError> {
        let change = match events {
            Some(_) => self.seq.apply_insert(op)?,
            None => self.seq.apply_insert_unplaced(op)?,
        };
        for (k, item) in items.iter().enumerate() {
            if let NewValue::Container(kind) = item {
                self.containers
                    .insert(OpId::new(id.replica, id.counter + k as u64), *kind);
            }
        }
        if let (Some(c), Some(events)) = (change, events) {
            let skip = items.len() - c.len;
            let shown = (skip..items.len())
                .map(|k| {
                    let eid = OpId::new(id.replica, id.counter + k as u64);
                    element(eid, self.containers.get(eid), &op.content[k])
                })
                .collect();
            events.push(list_insert_event(obj, c.index, shown));
        }
        Ok(())
    }

    pub(crate) fn get(&self, index: usize) -> Option<FieldValue> {
        let id = self.seq.id_at(index).ok()?;
        let kind = self.containers.get(id);
        if kind.is_some() {
            return Some(element(id, kind, &Value::Null));
        }
        // Values are read through the chunks; one lookup walks at most a leaf.
        let mut rem = index;
        for chunk in self.seq.chunks() {
            if rem < chunk.len() {
                return Some(FieldValue::Value(chunk[rem].clone()));
            }
            rem -= chunk.len();
        }
        None
    }

    pub(crate) fn values(&self) -> Vec<FieldValue> {
        let values = self.seq.values();
        if self.containers.is_empty() {
            return values.into_iter().map(FieldValue::Value).collect();
        }
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| match self.seq.id_at(i) {
                Ok(id) => match self.containers.get(id) {
                    Some(kind) => element(id, Some(kind), &v),
                    None => FieldValue::Value(v),
                },
                _ => FieldValue::Value(v),
            })
            .collect()
    }
}
