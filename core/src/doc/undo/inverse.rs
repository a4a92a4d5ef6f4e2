//! What each kind of local op records for undo, and how a recorded item is
//! reverted. This is the one place a new op kind plugs into undo: add an [`Item`]
//! variant, an arm in `Doc::undo_note_slow` that records it (every local op but
//! typing and text deletes passes there; those two have their own fast paths,
//! `undo_note_insert` and `undo_note_deletes`) and one in `Doc::invert` that
//! reverts it with ordinary local ops (whose own recording then forms the redo).
//! Ids an inverse re-creates go through `remap` so older items still find them.

use std::ops::Range;
use std::sync::Arc;

use super::super::map::FieldValue;
use super::super::state::{new_container_id, Container, State};
use super::super::Doc;
use super::{Mode, Step};
use crate::change::{NewValue, Op, SeqContent};
use crate::cursor::{Anchor, Cursor, Gravity};
use crate::doc::error::DocError;
use crate::encoding::value_key;
use crate::seq::IdRun;
use crate::{ContainerId, ListId, Number, OpId, TextId, Value};

/// What one local op did, with what reverting it needs.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    /// Elements inserted into a text or list (reverted by deleting them by id).
    Inserted { obj: ContainerId, run: IdRun },
    /// Characters deleted: their ids (whose tombstones mark the place) and their
    /// text, a byte range of the step's buffer.
    DeletedText {
        obj: ContainerId,
        run: IdRun,
        bytes: Range<usize>,
    },
    /// List elements deleted: their ids and values.
    DeletedList {
        obj: ContainerId,
        run: IdRun,
        items: Vec<NewValue>,
    },
    /// A map field written (`None`: deleted), with what it held before.
    Field {
        obj: ContainerId,
        key: Arc<str>,
        before: Option<FieldValue>,
        after: Option<FieldValue>,
    },
    /// An amount added to a counter.
    Counter { obj: ContainerId, delta: Number },
    /// A set member added under tag `tag`.
    SetAdded {
        obj: ContainerId,
        member: Value,
        tag: OpId,
    },
    /// A set member's tags removed.
    SetRemoved {
        obj: ContainerId,
        member: Value,
        tags: Vec<OpId>,
    },
    /// A mark op on a text, by id: what the formatting was before is read back
    /// from the older mark ops when it is undone (see `MarkSet::undo_runs`), so
    /// it accounts for whatever arrived since.
    Mark { obj: ContainerId, op: OpId },
}

impl Step {
    /// Appends an item, extending the previous one when it continues it (typing
    /// is one item per run, not per character).
    #[inline]
    fn push(&mut self, item: Item) {
        if let (
            Some(Item::Inserted { obj, run }),
            Item::Inserted {
                obj: obj2,
                run: run2,
            },
        ) = (self.items.last_mut(), &item)
        {
            if run.start.replica == run2.start.replica
                && run.start.counter + run.len == run2.start.counter
                && obj == obj2
            {
                run.len += run2.len;
                return;
            }
        }
        self.items.push(item);
    }
}

/// The field's value in `state` and the id of the write that put it there.
fn field(state: &State, obj: &ContainerId, key: &str) -> Option<(Option<FieldValue>, OpId)> {
    match state.get(obj) {
        Some(Container::Map(m)) => m
            .entries
            .get(key)
            .map(|e| (e.value.clone(), OpId::new(e.stamp.replica, e.stamp.counter))),
        _ => None,
    }
}

impl Doc {
    /// Records what local op `op` (first id `id`, `len` counters) does, before it
    /// joins the pending change: map ops before they apply (their previous value
    /// is read here), sequence ops after (deleted content is read from the
    /// tombstones, which keep it).
    #[inline]
    pub(in crate::doc) fn undo_note(&mut self, op: &Op, id: OpId, len: u64) {
        if !self.undo.enabled() {
            return;
        }
        self.undo_note_slow(op, id, len);
    }

    fn undo_note_slow(&mut self, op: &Op, id: OpId, len: u64) {
        if let (
            Op::MapSet {
                obj: ContainerId::Root,
                key,
                value: NewValue::Container(_),
            },
            Mode::Edit,
        ) = (op, self.undo.mode())
        {
            // Creating a root container on first use (`doc.text("notes")`) is not
            // an edit to undo: it would hide a field every replica shares.
            if field(&self.state, &ContainerId::Root, key).is_none_or(|(v, _)| v.is_none()) {
                return;
            }
        }
        let now = self.undo_now();
        let state = &self.state;
        let step = self.undo.step_for(now);
        let item = match op {
            Op::SeqInsert { obj, .. } => Item::Inserted {
                obj: obj.clone(),
                run: IdRun::new(id, len),
            },
            Op::SeqDelete {
                obj, target, len, ..
            } => match deleted_item(state, step, obj, IdRun::new(*target, *len)) {
                Some(item) => item,
                None => return,
            },
            Op::MapSet { obj, key, value } => {
                let after = match value {
                    NewValue::Value(v) => FieldValue::Value(v.clone()),
                    NewValue::Container(kind) => {
                        FieldValue::Container(new_container_id(obj, key, id, *kind))
                    }
                };
                Item::Field {
                    obj: obj.clone(),
                    key: key.clone(),
                    before: field(state, obj, key).and_then(|(v, _)| v),
                    after: Some(after),
                }
            }
            Op::MapDelete { obj, key } => Item::Field {
                obj: obj.clone(),
                key: key.clone(),
                before: field(state, obj, key).and_then(|(v, _)| v),
                after: None,
            },
            Op::CounterAdd { obj, delta } => Item::Counter {
                obj: obj.clone(),
                delta: *delta,
            },
            Op::SetAdd { obj, member } => Item::SetAdded {
                obj: obj.clone(),
                member: member.clone(),
                tag: id,
            },
            Op::SetRemove { obj, member, tags } => Item::SetRemoved {
                obj: obj.clone(),
                member: member.clone(),
                tags: tags.clone(),
            },
            Op::Mark(m) => Item::Mark {
                obj: m.obj.clone(),
                op: id,
            },
        };
        step.push(item);
    }

    /// The time that decides the step of the next local edit. Only ungrouped
    /// local edits need it (inside a group or an undo it decides nothing): the
    /// clock read is most of what recording costs.
    fn undo_now(&self) -> u64 {
        if self.undo.needs_time() {
            self.clock.now_ms()
        } else {
            0
        }
    }

    /// Records a local text insert of `n` characters from `id` (the typing path,
    /// which does not build an op per keystroke).
    #[inline]
    pub(in crate::doc) fn undo_note_insert(&mut self, obj: &ContainerId, id: OpId, n: u64) {
        if self.undo.enabled() {
            self.undo_push_insert(obj, id, n);
        }
    }

    /// [`Doc::undo_note_insert`] when undo is on (in WebAssembly out of the
    /// typing path's body: code it carries is fetched on every edit).
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    fn undo_push_insert(&mut self, obj: &ContainerId, id: OpId, n: u64) {
        let now = self.undo_now();
        self.undo.step_for(now).push(Item::Inserted {
            obj: obj.clone(),
            run: IdRun::new(id, n),
        });
    }

    /// Records the local deletion of the id runs in `self.spare.runs` (already
    /// applied: their content is read from the tombstones).
    #[inline]
    pub(in crate::doc) fn undo_note_deletes(&mut self, obj: &ContainerId) {
        if self.undo.enabled() {
            self.undo_push_deletes(obj);
        }
    }

    /// [`Doc::undo_note_deletes`] when undo is on (out of line in WebAssembly).
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    fn undo_push_deletes(&mut self, obj: &ContainerId) {
        let now = self.undo_now();
        let step = self.undo.step_for(now);
        for run in &self.spare.runs {
            if let Some(item) = deleted_item(&self.state, step, obj, *run) {
                step.push(item);
            }
        }
    }

    /// Reverts one item against the current state with new local ops. Returns
    /// where the caret belongs if the item edited a text or list.
    pub(in crate::doc) fn invert(
        &mut self,
        step: &Step,
        item: &Item,
    ) -> Result<Option<Cursor>, DocError> {
        match item {
            Item::Inserted { obj, run } => self.invert_insert(obj, *run),
            Item::DeletedText { obj, run, bytes } => {
                let content = SeqContent::Text(step.text[bytes.clone()].to_owned());
                self.reinsert(obj, *run, content).map(Some)
            }
            Item::DeletedList { obj, run, items } => {
                let content = SeqContent::Values(items.clone());
                self.reinsert(obj, *run, content).map(Some)
            }
            Item::Field {
                obj,
                key,
                before,
                after,
            } => {
                // Only while the field still holds what this replica wrote: a later
                // write by anyone else is theirs to keep.
                let ours = field(&self.state, obj, key).is_some_and(|(v, by)| {
                    by.replica == self.replica && v.as_ref() == after.as_ref()
                });
                if ours {
                    let op = match before {
                        None => Op::MapDelete {
                            obj: obj.clone(),
                            key: key.clone(),
                        },
                        Some(FieldValue::Value(v)) => Op::MapSet {
                            obj: obj.clone(),
                            key: key.clone(),
                            value: NewValue::Value(v.clone()),
                        },
                        // A root field names its container by field and kind, so
                        // this brings the same container back, content and all; a
                        // nested one can only be re-created empty.
                        Some(FieldValue::Container(c)) => Op::MapSet {
                            obj: obj.clone(),
                            key: key.clone(),
                            value: NewValue::Container(c.kind()),
                        },
                    };
                    self.local_op(op);
                }
                Ok(None)
            }
            Item::Counter { obj, delta } => {
                let delta = match *delta {
                    Number::Int(i) => Number::Int(i.wrapping_neg()),
                    Number::Float(f) => Number::Float(-f),
                };
                self.local_op(Op::CounterAdd {
                    obj: obj.clone(),
                    delta,
                });
                Ok(None)
            }
            Item::SetAdded { obj, member, tag } => {
                let live = match self.state.get(obj) {
                    Some(Container::Set(s)) => s.tags(&value_key(member)).to_vec(),
                    _ => Vec::new(),
                };
                let tags: Vec<OpId> = self
                    .undo
                    .remap
                    .resolve(IdRun::new(*tag, 1))
                    .into_iter()
                    .map(|r| r.start)
                    .filter(|t| live.contains(t))
                    .collect();
                if !tags.is_empty() {
                    self.local_op(Op::SetRemove {
                        obj: obj.clone(),
                        member: member.clone(),
                        tags,
                    });
                }
                Ok(None)
            }
            Item::Mark { obj, op } => self.invert_mark(obj, *op),
            Item::SetRemoved { obj, member, tags } => {
                // Each of this replica's own tags comes back as its own add, so an
                // older step that reverts that add finds it; the others' tags
                // come back as one add.
                let mut foreign = false;
                for t in tags {
                    if t.replica == self.replica {
                        let new = OpId::new(self.replica, self.next_counter);
                        self.set_add_op(obj, member);
                        self.undo.remap.add(IdRun::new(*t, 1), new);
                    } else {
                        foreign = true;
                    }
                }
                if foreign {
                    self.set_add_op(obj, member);
                }
                Ok(None)
            }
        }
    }

    /// Inserts copies of the deleted run `run` right before its tombstones (with
    /// the formatting the originals would have now, for a text), piece by piece where others have inserted between them, so they keep their place
    /// among other tombstones (an index would not: every tombstone between two
    /// visible elements has the same one). Before rather than after: text that
    /// others type after the run concurrently hangs off its tombstones, so it stays
    /// after the copy, as it was after the original.
    fn reinsert(
        &mut self,
        obj: &ContainerId,
        run: IdRun,
        content: SeqContent,
    ) -> Result<Cursor, DocError> {
        let seq_err = |e: crate::seq::SeqError| DocError::Sequence(e.to_string());
        let pieces = match self.state.get(obj) {
            Some(Container::Text(t)) => t.seq.contiguous_runs(run),
            Some(Container::List(l)) => l.seq.contiguous_runs(run),
            _ => return Err(DocError::UnknownContainer(obj.clone())),
        }
        .map_err(seq_err)?;
        let mut rest = content;
        let mut caret = None;
        for piece in pieces {
            let (head, tail) = split_content(rest, piece.len);
            let left = match self.state.get(obj) {
                Some(Container::Text(t)) => t.seq.prev_before(piece.start),
                Some(Container::List(l)) => l.seq.prev_before(piece.start),
                _ => return Err(DocError::UnknownContainer(obj.clone())),
            }
            .map_err(seq_err)?;
            let new = OpId::new(self.replica, self.next_counter);
            self.local_op(Op::SeqInsert {
                obj: obj.clone(),
                left,
                right: Some(piece.start),
                content: head,
            });
            self.undo.remap.add(piece, new);
            self.format_copies(obj, IdRun::new(new, piece.len))?;
            caret = Some(self.caret_after(obj, new, piece.len));
            rest = tail;
        }
        caret.ok_or_else(|| DocError::Sequence("empty run".into()))
    }

    fn set_add_op(&mut self, obj: &ContainerId, member: &Value) {
        self.local_op(Op::SetAdd {
            obj: obj.clone(),
            member: member.clone(),
        });
    }

    /// Deletes whatever of `run` (followed to its newest copy) is still visible.
    fn invert_insert(&mut self, obj: &ContainerId, run: IdRun) -> Result<Option<Cursor>, DocError> {
        let mut visible = Vec::new();
        for r in self.undo.remap.resolve(run) {
            let found = match self.state.get(obj) {
                Some(Container::Text(t)) => t.seq.visible_runs(r),
                Some(Container::List(l)) => l.seq.visible_runs(r),
                _ => Ok(Vec::new()),
            };
            // Ids this replica made are always known to it.
            visible.extend(found.map_err(|e| DocError::Sequence(e.to_string()))?);
        }
        let Some(first) = visible.first().map(|r| r.start) else {
            return Ok(None);
        };
        for r in visible {
            self.local_op(Op::SeqDelete {
                obj: obj.clone(),
                target: r.start,
                len: r.len,
                reversed: false,
            });
        }
        let index = self.tombstone_index(obj, first)?;
        Ok(self.caret_at(obj, index))
    }

    /// The visible index where element `id` is, or was if deleted.
    fn tombstone_index(&self, obj: &ContainerId, id: OpId) -> Result<usize, DocError> {
        let pos = match self.state.get(obj) {
            Some(Container::Text(t)) => t.seq.index_of(id),
            Some(Container::List(l)) => l.seq.index_of(id),
            _ => return Err(DocError::UnknownContainer(obj.clone())),
        };
        pos.map(|p| p.index)
            .map_err(|e| DocError::Sequence(e.to_string()))
    }

    /// A caret right after the last of `len` elements inserted from `first`.
    fn caret_after(&self, obj: &ContainerId, first: OpId, len: u64) -> Cursor {
        Cursor {
            container: obj.clone(),
            anchor: Anchor::Element(OpId::new(first.replica, first.counter + len - 1)),
            gravity: Gravity::Left,
        }
    }

    /// A caret at visible `index`.
    pub(super) fn caret_at(&self, obj: &ContainerId, index: usize) -> Option<Cursor> {
        match obj.kind() {
            crate::ContainerKind::Text => {
                self.text_cursor(&TextId(obj.clone()), index, Gravity::Left)
            }
            _ => self.list_cursor(&ListId(obj.clone()), index, Gravity::Left),
        }
        .ok()
    }
}

/// The first `at` elements of `c`, and the rest.
fn split_content(c: SeqContent, at: u64) -> (SeqContent, SeqContent) {
    match c {
        SeqContent::Text(mut s) => {
            let byte = crate::seq::char_end(&s, at as usize).unwrap_or(s.len());
            let tail = s.split_off(byte);
            (SeqContent::Text(s), SeqContent::Text(tail))
        }
        SeqContent::Values(mut v) => {
            let tail = v.split_off((at as usize).min(v.len()));
            (SeqContent::Values(v), SeqContent::Values(tail))
        }
    }
}

/// The item for the deletion of `run` from `obj`, its text copied into `step`.
fn deleted_item(state: &State, step: &mut Step, obj: &ContainerId, run: IdRun) -> Option<Item> {
    match state.get(obj)? {
        Container::Text(t) => {
            let from = step.text.len();
            if t.seq.content_into(run, &mut step.text).is_err() {
                step.text.truncate(from);
                return None;
            }
            Some(Item::DeletedText {
                obj: obj.clone(),
                run,
                bytes: from..step.text.len(),
            })
        }
        Container::List(l) => {
            let values = l.seq.content_of(run).ok()?;
            let items = values
                .into_iter()
                .enumerate()
                .map(|(k, v)| {
                    let eid = OpId::new(run.start.replica, run.start.counter + k as u64);
                    match l.containers.get(eid) {
                        Some(kind) => NewValue::Container(kind),
                        None => NewValue::Value(v),
                    }
                })
                .collect();
            Some(Item::DeletedList {
                obj: obj.clone(),
                run,
                items,
            })
        }
        _ => None,
    }
}
