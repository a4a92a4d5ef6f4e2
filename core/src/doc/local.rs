//! Local edits: each becomes an op, applied at once and added to the pending change.

use std::sync::Arc;

use super::error::DocError;
use super::map::FieldValue;
use super::stamp::Stamp;
use super::state::{new_container_id, Container};
use super::{Doc, Pending};
use crate::change::{NewValue, Op};
use crate::encoding::value_key;
use crate::{
    ContainerId, ContainerKind, CounterId, ListId, MapId, Number, OpId, SetId, TextId, Value,
};

impl Doc {
    /// Applies a local op and adds it to the pending change. The caller has
    /// validated it: from here on nothing can fail.
    pub(super) fn local_op(&mut self, op: Op) -> OpId {
        self.record_local(op, true)
    }

    /// Adds a local op to the pending change, applying it to the state first
    /// unless the caller already has (sequence edits go through the engine's local
    /// API, which returns the op).
    pub(super) fn record_local(&mut self, op: Op, apply: bool) -> OpId {
        let id = OpId::new(self.replica, self.next_counter);
        let len = op.len();
        self.undo_note(&op, id, len);
        if self.pending.is_none() {
            let hlc = self.clock.tick();
            let replica = self.replica;
            let deps = self
                .frontier
                .iter()
                .copied()
                .filter(|f| f.replica != replica)
                .collect();
            self.pending = Some(Pending {
                start: id.counter,
                deps,
                hlc,
                ops: Vec::new(),
            });
        }
        let p = self.pending.as_mut().expect("opened above");
        let stamp = Stamp::new(p.hlc, id);
        if apply {
            // Local ops are validated before they are made: applying cannot fail.
            let _ = self.state.apply(id, stamp, &op, self.events.as_mut());
        }
        let merged = match p.ops.last_mut() {
            Some(prev) => prev.try_append(&op, id),
            None => false,
        };
        if !merged {
            p.ops.push(op);
        }
        self.next_counter += len;
        let last = OpId::new(self.replica, self.next_counter - 1);
        self.version.advance(self.replica, last.counter);
        // Everything known is in the pending change's past: it is the frontier.
        self.frontier.clear();
        self.frontier.push(last);
        self.debug_check();
        id
    }

    pub(super) fn check_exists(&self, obj: &ContainerId) -> Result<(), DocError> {
        if self.state.exists(obj) {
            Ok(())
        } else {
            Err(DocError::UnknownContainer(obj.clone()))
        }
    }

    /// Sets root field `key` to a scalar (last writer wins).
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        let key = self.key_of(&ContainerId::Root, key);
        self.local_op(Op::MapSet {
            obj: ContainerId::Root,
            key,
            value: NewValue::Value(value.into()),
        });
    }

    /// The map's own copy of `key` if it has the field (sharing it saves an
    /// allocation per write to a known field), else a new one.
    fn key_of(&self, map: &ContainerId, key: &str) -> Arc<str> {
        match self.state.get(map) {
            Some(Container::Map(m)) => m.shared_key(key),
            _ => None,
        }
        .unwrap_or_else(|| Arc::from(key))
    }

    /// Deletes root field `key`. A concurrent write with a later stamp wins over
    /// the delete, and a later delete wins over a concurrent write
    /// (`docs/data-model.md`).
    pub fn delete(&mut self, key: &str) {
        self.local_op(Op::MapDelete {
            obj: ContainerId::Root,
            key: Arc::from(key),
        });
    }

    /// Sets field `key` of `map` to a scalar.
    pub fn map_set(
        &mut self,
        map: &MapId,
        key: &str,
        value: impl Into<Value>,
    ) -> Result<(), DocError> {
        self.check_exists(map.id())?;
        let key = self.key_of(map.id(), key);
        self.local_op(Op::MapSet {
            obj: map.id().clone(),
            key,
            value: NewValue::Value(value.into()),
        });
        Ok(())
    }

    /// Deletes field `key` of `map`.
    pub fn map_delete(&mut self, map: &MapId, key: &str) -> Result<(), DocError> {
        self.check_exists(map.id())?;
        self.local_op(Op::MapDelete {
            obj: map.id().clone(),
            key: Arc::from(key),
        });
        Ok(())
    }

    /// Puts a new empty container of `kind` at field `key` of `map`, replacing what
    /// was there. In the root map the container is named by field and kind (see
    /// [`ContainerId`]); elsewhere by this op.
    pub fn map_put_container(
        &mut self,
        map: &MapId,
        key: &str,
        kind: ContainerKind,
    ) -> Result<ContainerId, DocError> {
        self.check_exists(map.id())?;
        let key: Arc<str> = Arc::from(key);
        let id = OpId::new(self.replica, self.next_counter);
        let cid = new_container_id(map.id(), &key, id, kind);
        self.local_op(Op::MapSet {
            obj: map.id().clone(),
            key,
            value: NewValue::Container(kind),
        });
        Ok(cid)
    }

    /// The container of `kind` in root field `key`, created if the field is empty
    /// or deleted.
    pub fn root_container(
        &mut self,
        key: &str,
        kind: ContainerKind,
    ) -> Result<ContainerId, DocError> {
        let found = match self.state.get(&ContainerId::Root) {
            Some(Container::Map(m)) => m.get(key).cloned(),
            _ => None,
        };
        match found {
            Some(FieldValue::Container(c)) if c.kind() == kind => Ok(c),
            Some(FieldValue::Container(c)) => Err(DocError::TypeMismatch {
                key: key.to_owned(),
                expected: kind,
                found: c.kind().name(),
            }),
            Some(FieldValue::Value(_)) => Err(DocError::TypeMismatch {
                key: key.to_owned(),
                expected: kind,
                found: "plain value",
            }),
            None => self.map_put_container(&MapId::ROOT, key, kind),
        }
    }

    /// The text in root field `key` (created if absent).
    pub fn text(&mut self, key: &str) -> Result<TextId, DocError> {
        self.root_container(key, ContainerKind::Text).map(TextId)
    }

    /// The list in root field `key` (created if absent).
    pub fn list(&mut self, key: &str) -> Result<ListId, DocError> {
        self.root_container(key, ContainerKind::List).map(ListId)
    }

    /// The map in root field `key` (created if absent).
    pub fn map(&mut self, key: &str) -> Result<MapId, DocError> {
        self.root_container(key, ContainerKind::Map).map(MapId)
    }

    /// The counter in root field `key` (created if absent).
    pub fn counter(&mut self, key: &str) -> Result<CounterId, DocError> {
        self.root_container(key, ContainerKind::Counter)
            .map(CounterId)
    }

    /// The set in root field `key` (created if absent).
    pub fn or_set(&mut self, key: &str) -> Result<SetId, DocError> {
        self.root_container(key, ContainerKind::Set).map(SetId)
    }

    /// Adds `delta` (negative to subtract) to a counter.
    pub fn counter_add(
        &mut self,
        counter: &CounterId,
        delta: impl Into<Number>,
    ) -> Result<(), DocError> {
        self.check_exists(counter.id())?;
        self.local_op(Op::CounterAdd {
            obj: counter.id().clone(),
            delta: delta.into(),
        });
        Ok(())
    }

    /// Adds `member` to a set (a no-op op is still recorded if it is present: it
    /// makes the member survive a concurrent remove).
    pub fn set_add(&mut self, set: &SetId, member: impl Into<Value>) -> Result<(), DocError> {
        self.check_exists(set.id())?;
        self.local_op(Op::SetAdd {
            obj: set.id().clone(),
            member: member.into(),
        });
        Ok(())
    }

    /// Removes `member` from a set: the adds seen so far are undone; concurrent
    /// adds elsewhere survive. Returns whether it was present.
    pub fn set_remove(&mut self, set: &SetId, member: &Value) -> Result<bool, DocError> {
        self.check_exists(set.id())?;
        let tags = match self.state.get(set.id()) {
            Some(Container::Set(s)) => s.tags(&value_key(member)).to_vec(),
            _ => Vec::new(),
        };
        if tags.is_empty() {
            return Ok(false);
        }
        self.local_op(Op::SetRemove {
            obj: set.id().clone(),
            member: member.clone(),
            tags,
        });
        Ok(true)
    }
}
