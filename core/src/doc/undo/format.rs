//! Undo of formatting: taking back a mark op, and giving text that undo or redo
//! re-creates the formatting of what it replaces.
//!
//! Both look at the marks through the re-created ids: a mark anchored to a
//! character that undo deleted and re-inserted is read as anchored to its newest
//! copy (see `remap.rs`), so formatting follows text through delete, undo, redo
//! as the user sees it, though the copies have new ids.

use std::borrow::Cow;

use super::super::event::Attributes;
use super::super::marks::{keyed_by_value, MarkEntry, MarkSet};
use super::super::order::FullOrder;
use super::super::state::Container;
use super::super::Doc;
use crate::change::{Anchor, MarkOp, Op};
use crate::cursor::Cursor;
use crate::doc::error::DocError;
use crate::seq::IdRun;
use crate::{ContainerId, OpId, Value};

impl Doc {
    /// The marks of a text with every anchor moved to the newest copy of its
    /// character.
    fn marks_view<'a>(&self, marks: &'a MarkSet) -> Cow<'a, MarkSet> {
        if self.undo.remap.is_empty() {
            return Cow::Borrowed(marks);
        }
        let moved = |a: Anchor| {
            let follow = |id: OpId| {
                self.undo
                    .remap
                    .resolve(IdRun::new(id, 1))
                    .first()
                    .map_or(id, |r| r.start)
            };
            match a {
                Anchor::Before(id) => Anchor::Before(follow(id)),
                Anchor::After(id) => Anchor::After(follow(id)),
                other => other,
            }
        };
        let mut view = marks.clone();
        for o in &mut view.ops {
            o.start = moved(o.start);
            o.end = moved(o.end);
        }
        Cow::Owned(view)
    }

    /// Takes back mark op `op`: each stretch of the text it covers where this
    /// replica's formatting is the latest gets what it had without it, by new mark
    /// ops (see `MarkSet::undo_runs` for which characters and why). Stretches at
    /// the op's own ends reuse its anchors, so typing at those edges later expands
    /// (or not) as it would have before; inner ones take the mark's policy.
    pub(super) fn invert_mark(
        &mut self,
        obj: &ContainerId,
        op: OpId,
    ) -> Result<Option<Cursor>, DocError> {
        let me = self.replica;
        let expand = self.mark_expand_of(obj, op);
        let (m, restores, order, (s, e)) = match self.state.get(obj) {
            Some(Container::Text(t)) => {
                let Some(idx) = t.marks.find(op) else {
                    return Ok(None);
                };
                let view = self.marks_view(&t.marks);
                let m = view.ops[idx].clone();
                let since = m.stamp;
                let ours = |o: &MarkEntry| o.stamp.replica == me && o.stamp >= since;
                let order = FullOrder::new(&t.seq);
                let restores = view.undo_runs(&order, idx, ours);
                let range = (order.gap(&m.start), order.gap(&m.end));
                (m, restores, order, range)
            }
            _ => return Ok(None),
        };
        let Some(expand) = expand else {
            return Ok(None);
        };
        let id = |p: usize| {
            order
                .id_at(p)
                .ok_or_else(|| DocError::Sequence("mark undo".into()))
        };
        // Whether any stretch holds a visible character: if none does, the undo
        // only sets deleted characters right, which shows nothing (see `hidden`).
        let visible = restores.iter().any(|r| {
            let Some(Container::Text(t)) = self.state.get(obj) else {
                return false;
            };
            let at = |p: usize| {
                order
                    .id_at(p)
                    .and_then(|id| t.seq.index_of(id).ok())
                    .map(|x| (x.index, x.visible))
            };
            match (at(r.start), at(r.end - 1)) {
                (Some((a, _)), Some((b, vis))) => b + usize::from(vis) > a,
                _ => false,
            }
        });
        let mut caret = None;
        for r in restores {
            let start = match (r.start == s, r.start_anchor) {
                (true, _) => m.start,
                (false, Some(a)) => a,
                (false, None) if !expand.before() => Anchor::Before(id(r.start)?),
                (false, None) if r.start == 0 => Anchor::Start,
                (false, None) => Anchor::After(id(r.start - 1)?),
            };
            let end = match (r.end == e, r.end_anchor) {
                (true, _) => m.end,
                (false, Some(a)) => a,
                (false, None) if !expand.after() => Anchor::After(id(r.end - 1)?),
                (false, None) if r.end == order.len() => Anchor::End,
                (false, None) => Anchor::Before(id(r.end)?),
            };
            let (value, remove) = match r.value {
                Some(v) => (v, false),
                // A comment is removed by its id; other marks by name alone.
                None if keyed_by_value(&m.name) => (m.value.clone(), true),
                None => (Value::Null, true),
            };
            self.mark_between(obj, start, end, &m.name, value, remove);
            if !visible {
                self.undo.hidden += 1;
                continue;
            }
            caret = Some(id(r.end - 1)?);
        }
        let Some(last) = caret else {
            return Ok(None);
        };
        let at = match self.state.get(obj) {
            Some(Container::Text(t)) => t.seq.index_of(last).ok(),
            _ => None,
        };
        Ok(at.and_then(|p| self.caret_at(obj, p.index + usize::from(p.visible))))
    }

    /// The expand policy of the mark op `op` of text `obj`, if applied.
    fn mark_expand_of(&self, obj: &ContainerId, op: OpId) -> Option<crate::Expand> {
        match self.state.get(obj) {
            Some(Container::Text(t)) => t
                .marks
                .find(op)
                .map(|i| self.mark_expand(&t.marks.ops[i].name)),
            _ => None,
        }
    }

    fn mark_between(
        &mut self,
        obj: &ContainerId,
        start: Anchor,
        end: Anchor,
        name: &std::sync::Arc<str>,
        value: Value,
        remove: bool,
    ) {
        self.local_op(Op::Mark(Box::new(MarkOp {
            obj: obj.clone(),
            start,
            end,
            name: name.clone(),
            value,
            remove,
        })));
    }

    /// Gives `copies`, just inserted by undo or redo in place of deleted text,
    /// the formatting the marks give the originals (read through the copies):
    /// without it, text deleted and brought back at the edge of a bold run would
    /// come back plain, the mark being anchored to the originals.
    pub(super) fn format_copies(
        &mut self,
        obj: &ContainerId,
        copies: IdRun,
    ) -> Result<(), DocError> {
        let Some(Container::Text(t)) = self.state.get(obj) else {
            return Ok(());
        };
        if t.marks.is_empty() {
            return Ok(());
        }
        let Ok(at) = t.seq.index_of(copies.start) else {
            return Ok(());
        };
        let (from, to) = (at.index, at.index + copies.len as usize);
        let now = t.marks.runs(&t.seq, from, to);
        let want = self.marks_view(&t.marks).runs(&t.seq, from, to);
        let mut edits: Vec<(usize, usize, std::sync::Arc<str>, Value, bool)> = Vec::new();
        for (p, q, have, should) in zip_runs(from, &now, &want) {
            for (name, v) in should {
                match (keyed_by_value(name), have.get(name)) {
                    (false, h) if h != Some(v) => {
                        edits.push((p, q, name.clone(), v.clone(), false))
                    }
                    (true, h) => {
                        for id in ids(Some(v)).filter(|id| !ids(h).any(|x| x == *id)) {
                            edits.push((p, q, name.clone(), id.clone(), false));
                        }
                    }
                    _ => {}
                }
            }
            for (name, v) in have {
                match (keyed_by_value(name), should.get(name)) {
                    (false, None) => edits.push((p, q, name.clone(), Value::Null, true)),
                    (true, s) => {
                        for id in ids(Some(v)).filter(|id| !ids(s).any(|x| x == *id)) {
                            edits.push((p, q, name.clone(), id.clone(), true));
                        }
                    }
                    _ => {}
                }
            }
        }
        // Anchored to the copies themselves, not by the mark's policy from visible
        // indices: that would reach over neighbouring tombstones, which other
        // undos may bring back later with formatting of their own.
        let copy = |p: usize| {
            OpId::new(
                copies.start.replica,
                copies.start.counter + (p - from) as u64,
            )
        };
        for (p, q, name, value, remove) in edits {
            let (s, e) = (Anchor::Before(copy(p)), Anchor::After(copy(q - 1)));
            self.mark_between(obj, s, e, &name, value, remove);
        }
        Ok(())
    }
}

/// The comment ids an attribute value holds.
fn ids(v: Option<&Value>) -> impl Iterator<Item = &Value> {
    match v {
        Some(Value::Array(xs)) => xs.iter(),
        _ => [].iter(),
    }
}

/// Two run lists over the same characters from `from`, as stretches
/// `(start, end, a's attributes, b's attributes)`.
fn zip_runs<'a>(
    from: usize,
    a: &'a [(usize, Attributes)],
    b: &'a [(usize, Attributes)],
) -> Vec<(usize, usize, &'a Attributes, &'a Attributes)> {
    let mut out = Vec::new();
    let (mut i, mut j, mut at) = (0, 0, from);
    let (mut ea, mut eb) = (
        from + a.first().map_or(0, |r| r.0),
        from + b.first().map_or(0, |r| r.0),
    );
    while i < a.len() && j < b.len() {
        let end = ea.min(eb);
        if end > at {
            out.push((at, end, &a[i].1, &b[j].1));
        }
        at = end;
        if ea == end {
            i += 1;
            ea += a.get(i).map_or(0, |r| r.0);
        }
        if eb == end {
            j += 1;
            eb += b.get(j).map_or(0, |r| r.0);
        }
    }
    out
}
