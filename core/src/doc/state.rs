//! Every container of a document, and how one op changes them. Local and remote
//! ops go through the same `apply`, so both produce the same state and events.

use std::sync::Arc;

use super::counter::CounterState;
use super::error::CausalityError;
use super::event::{Diff, Event};
use super::map::{FieldValue, MapState};
use super::seq::{self as seqc, ListState, TextState};
use super::set::SetState;
use super::stamp::Stamp;
use crate::change::{NewValue, Op, SeqContent};
use crate::encoding::value_key;
use crate::hash::FxHashMap;
use crate::seq::{IdRun, InsertOp};
use crate::{ContainerId, ContainerKind, OpId};

#[derive(Clone, Debug)]
pub(crate) enum Container {
    Map(MapState),
    Counter(CounterState),
    Set(SetState),
    Text(TextState),
    List(ListState),
}

impl Container {
    pub(crate) fn kind(&self) -> ContainerKind {
        match self {
            Container::Map(_) => ContainerKind::Map,
            Container::Counter(_) => ContainerKind::Counter,
            Container::Set(_) => ContainerKind::Set,
            Container::Text(_) => ContainerKind::Text,
            Container::List(_) => ContainerKind::List,
        }
    }

    pub(crate) fn new(kind: ContainerKind) -> Self {
        match kind {
            ContainerKind::Map => Container::Map(MapState::default()),
            ContainerKind::Counter => Container::Counter(CounterState::default()),
            ContainerKind::Set => Container::Set(SetState::default()),
            ContainerKind::Text => Container::Text(TextState::default()),
            ContainerKind::List => Container::List(ListState::default()),
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct State {
    /// Where each container sits in `slots`. Containers are never removed.
    index: FxHashMap<ContainerId, u32>,
    slots: Vec<Container>,
    /// The container found last by [`State::find_mut`]: an editor types into one
    /// text, and comparing a handle with it (a shared name compares by pointer)
    /// costs a fraction of hashing the name.
    hot: Option<(ContainerId, u32)>,
    /// The hot container's name's address and kind when it is a root-named
    /// one (natively; 0 otherwise): a handle sharing its name matches on two
    /// word compares, against about a dozen instructions for comparing the
    /// ids as enums. `hot` holds the name, so no other name can take the
    /// address while it is here.
    #[cfg(not(target_arch = "wasm32"))]
    hot_name: (usize, ContainerKind),
    /// The container [`State::get_mut`] found last, by the id it was
    /// asked with: a decoded update's ops share their table's copy of a
    /// name, which is not the state's, so each would otherwise compare the
    /// name byte by byte with `hot` (a remote merge, once per op). Held
    /// apart from `hot`, so that local editing keeps its own handle there.
    recent: Option<(ContainerId, u32)>,
    /// Text events count UTF-16 code units instead of characters.
    pub(crate) utf16_events: bool,
}

impl Default for State {
    fn default() -> Self {
        let mut state = Self {
            index: FxHashMap::default(),
            slots: Vec::new(),
            hot: None,
            #[cfg(not(target_arch = "wasm32"))]
            hot_name: (0, ContainerKind::Map),
            recent: None,
            utf16_events: false,
        };
        state.create(ContainerId::Root);
        state
    }
}

/// The id a new container gets when `NewValue::Container` is written at `key` of
/// `obj` by op `id`: root fields name their container by field and kind.
pub(crate) fn new_container_id(
    obj: &ContainerId,
    key: &Arc<str>,
    id: OpId,
    kind: ContainerKind,
) -> ContainerId {
    if *obj == ContainerId::Root {
        ContainerId::Named {
            name: key.clone(),
            kind,
        }
    } else {
        ContainerId::Created { id, kind }
    }
}

/// Whether two ids are the same without comparing names byte by byte: a
/// root-named container's name must be the one allocation (a clone), so
/// `false` says nothing, `true` that they are equal.
#[inline]
fn same_id(a: &ContainerId, b: &ContainerId) -> bool {
    match (a, b) {
        (ContainerId::Named { name, kind }, ContainerId::Named { name: n2, kind: k2 }) => {
            Arc::ptr_eq(name, n2) && kind == k2
        }
        _ => a == b,
    }
}

/// Where a root-named container's name lives: two ids sharing it (clones of
/// one another) name the same container when their kinds agree.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn name_address(name: &Arc<str>) -> usize {
    Arc::as_ptr(name).cast::<u8>() as usize
}

impl State {
    /// Whether `obj` can take ops: it exists, or it is a root-named container
    /// (those exist implicitly, so concurrent creators share one).
    pub(crate) fn exists(&self, obj: &ContainerId) -> bool {
        matches!(obj, ContainerId::Named { .. }) || self.index.contains_key(obj)
    }

    pub(crate) fn get(&self, obj: &ContainerId) -> Option<&Container> {
        let &i = self.index.get(obj)?;
        Some(&self.slots[i as usize])
    }

    /// Every container with its id, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&ContainerId, &Container)> {
        self.index
            .iter()
            .map(|(id, &i)| (id, &self.slots[i as usize]))
    }

    /// The container `obj` if it exists, found without hashing when it is the
    /// one found last (the local editing path; forced inline natively, as the delete
    /// path would otherwise call it).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(crate) fn find_mut(&mut self, obj: &ContainerId) -> Option<&mut Container> {
        #[cfg(not(target_arch = "wasm32"))]
        if let (ContainerId::Named { name, kind }, Some((_, i))) = (obj, &self.hot) {
            if (name_address(name), *kind) == self.hot_name {
                return Some(&mut self.slots[*i as usize]);
            }
        }
        let i = match &self.hot {
            Some((hot, i)) if hot == obj => *i,
            _ => self.find_slot(obj)?,
        };
        Some(&mut self.slots[i as usize])
    }

    #[cold]
    #[inline(never)]
    fn find_slot(&mut self, obj: &ContainerId) -> Option<u32> {
        let &i = self.index.get(obj)?;
        self.hot = Some((obj.clone(), i));
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.hot_name = match obj {
                ContainerId::Named { name, kind } => (name_address(name), *kind),
                _ => (0, ContainerKind::Map),
            };
        }
        Some(i)
    }

    // One copy, not one per op kind of `apply`: size counts in the WASM build.
    #[inline(never)]
    pub(crate) fn get_mut(&mut self, obj: &ContainerId) -> &mut Container {
        // Remote ops come in runs on one container, like local edits: the
        // container found last by this very id (a shared name compares by
        // pointer) spares comparing or hashing its name per op.
        if let Some((recent, i)) = &self.recent {
            if same_id(recent, obj) {
                return &mut self.slots[*i as usize];
            }
        }
        self.get_mut_slow(obj)
    }

    #[inline(never)]
    fn get_mut_slow(&mut self, obj: &ContainerId) -> &mut Container {
        let found = match &self.hot {
            Some((hot, i)) if hot == obj => Some(*i),
            _ => self.find_slot(obj),
        };
        let i = match found {
            Some(i) => i,
            None => self.push(obj.clone(), Container::new(obj.kind())),
        };
        self.recent = Some((obj.clone(), i));
        &mut self.slots[i as usize]
    }

    fn push(&mut self, id: ContainerId, c: Container) -> u32 {
        let i = self.slots.len() as u32;
        self.slots.push(c);
        self.index.insert(id, i);
        i
    }

    pub(crate) fn create(&mut self, id: ContainerId) {
        if !self.index.contains_key(&id) {
            let c = Container::new(id.kind());
            self.push(id, c);
        }
    }

    /// Puts `c` in place of container `id` (or adds it).
    pub(crate) fn insert(&mut self, id: ContainerId, c: Container) {
        match self.index.get(&id) {
            Some(&i) => self.slots[i as usize] = c,
            None => {
                self.push(id, c);
            }
        }
    }

    /// Applies `op` (with id `id`, stamped `stamp`). The caller has checked that
    /// the target exists and has the right kind.
    pub(crate) fn apply(
        &mut self,
        id: OpId,
        stamp: Stamp,
        op: &Op,
        events: Option<&mut Vec<Event>>,
    ) -> Result<(), CausalityError> {
        match op {
            Op::MapSet { obj, key, value } => {
                let field = match value {
                    NewValue::Value(v) => FieldValue::Value(v.clone()),
                    NewValue::Container(kind) => {
                        let cid = new_container_id(obj, key, id, *kind);
                        self.create(cid.clone());
                        FieldValue::Container(cid)
                    }
                };
                self.write_field(obj, key, Some(field), stamp, events);
            }
            Op::MapDelete { obj, key } => self.write_field(obj, key, None, stamp, events),
            Op::CounterAdd { obj, delta } => {
                if let Container::Counter(c) = self.get_mut(obj) {
                    c.add(id.replica, *delta);
                    if let Some(ev) = events {
                        ev.push(Event {
                            container: obj.clone(),
                            diff: Diff::Counter(c.value()),
                        });
                    }
                }
            }
            Op::SetAdd { obj, member } => {
                if let Container::Set(s) = self.get_mut(obj) {
                    if s.add(value_key(member), member, id) {
                        if let Some(ev) = events {
                            ev.push(Event {
                                container: obj.clone(),
                                diff: Diff::Set {
                                    member: member.clone(),
                                    present: true,
                                },
                            });
                        }
                    }
                }
            }
            Op::SetRemove { obj, member, tags } => {
                if let Container::Set(s) = self.get_mut(obj) {
                    if s.remove(&value_key(member), tags) {
                        if let Some(ev) = events {
                            ev.push(Event {
                                container: obj.clone(),
                                diff: Diff::Set {
                                    member: member.clone(),
                                    present: false,
                                },
                            });
                        }
                    }
                }
            }
            Op::SeqInsert {
                obj,
                left,
                right,
                content,
            } => {
                let utf16 = self.utf16_events;
                // The insert pushes its own event: nothing event-sized is
                // returned through here (see `TextState::apply_insert`).
                let applied = match (self.get_mut(obj), content) {
                    (Container::Text(t), SeqContent::Text(s)) => {
                        let op = InsertOp {
                            id,
                            origin_left: *left,
                            origin_right: *right,
                            content: s.as_str(),
                        };
                        t.apply_insert(obj, &op, events, utf16)
                    }
                    (Container::List(l), SeqContent::Values(items)) => {
                        let values = seqc::list_values(items);
                        let op = InsertOp {
                            id,
                            origin_left: *left,
                            origin_right: *right,
                            content: values.as_slice(),
                        };
                        let r = l.apply_insert(obj, id, &op, items, events);
                        if r.is_ok() {
                            for (k, item) in items.iter().enumerate() {
                                if let NewValue::Container(kind) = item {
                                    self.create(ContainerId::Created {
                                        id: OpId::new(id.replica, id.counter + k as u64),
                                        kind: *kind,
                                    });
                                }
                            }
                        }
                        r
                    }
                    _ => Ok(()),
                };
                if let Err(e) = applied {
                    return Err(seq_error(id, obj, e));
                }
            }
            Op::SeqDelete {
                obj, target, len, ..
            } => {
                let run = IdRun::new(*target, *len);
                let mut changes = Vec::new();
                // Where the deleted runs were is worked out only for events.
                let out = events.is_some().then_some(&mut changes);
                let is_text = match self.get_mut(obj) {
                    Container::Text(t) => {
                        t.seq
                            .apply_delete_placed(run, out)
                            .map_err(|e| seq_error(id, obj, e))?;
                        true
                    }
                    Container::List(l) => {
                        l.seq
                            .apply_delete_placed(run, out)
                            .map_err(|e| seq_error(id, obj, e))?;
                        false
                    }
                    _ => return Ok(()),
                };
                if let Some(ev) = events {
                    for c in changes {
                        ev.push(if is_text && self.utf16_events {
                            seqc::text_delete_event(obj, c.utf16_index, c.utf16_len)
                        } else if is_text {
                            seqc::text_delete_event(obj, c.index, c.len)
                        } else {
                            seqc::list_delete_event(obj, c.index, c.len)
                        });
                    }
                }
            }
            Op::Mark(m) => {
                let utf16 = self.utf16_events;
                if let Container::Text(t) = self.get_mut(&m.obj) {
                    if let Some(e) = t.apply_mark(stamp, m, events.is_some(), utf16) {
                        if let Some(ev) = events {
                            ev.push(e);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn write_field(
        &mut self,
        obj: &ContainerId,
        key: &Arc<str>,
        value: Option<FieldValue>,
        stamp: Stamp,
        events: Option<&mut Vec<Event>>,
    ) {
        if let Container::Map(m) = self.get_mut(obj) {
            let for_event = events.is_some().then(|| value.clone());
            if m.write(key, value, stamp) {
                if let (Some(ev), Some(value)) = (events, for_event) {
                    ev.push(Event {
                        container: obj.clone(),
                        diff: Diff::Map {
                            key: key.clone(),
                            value,
                        },
                    });
                }
            }
        }
    }
}

fn seq_error(op: OpId, obj: &ContainerId, e: crate::seq::SeqError) -> CausalityError {
    if let crate::seq::SeqError::OriginsOutOfOrder { left, right, .. } = e {
        return CausalityError::OriginsOutOfOrder {
            op,
            left,
            right,
            target: obj.clone(),
        };
    }
    let element = match e {
        crate::seq::SeqError::UnknownOrigin(id) | crate::seq::SeqError::UnknownId(id) => id,
        _ => op,
    };
    CausalityError::UnknownElement {
        op,
        element,
        target: obj.clone(),
    }
}
