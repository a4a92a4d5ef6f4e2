//! Rich text on a document: marks (bold, links, comments, the application's own)
//! over ranges of a text, and the text read back as formatted runs.

use std::sync::Arc;

use super::error::DocError;
use super::event::{Attributes, Diff, Event, TextDelta};
use super::marks::{keyed_by_value, Bounds, COMMENT};
use super::seq::TextState;
use super::state::Container;
use super::Doc;
use crate::change::{Anchor, MarkOp, Op};
use crate::{ContainerKind, OpId, TextId, Value};

/// Whether text typed at the edge of a mark takes the mark. The choice is made
/// when a mark op is created, by anchoring its ends to one side or the other of
/// the neighbouring characters, so replicas converge without sharing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Expand {
    /// Neither edge grows (links, comments, unknown marks).
    #[default]
    None,
    /// Text inserted just before the start is covered.
    Before,
    /// Text inserted just after the end is covered (bold, italic, underline,
    /// strike, code).
    After,
    /// Both edges grow.
    Both,
}

impl Expand {
    pub(crate) fn before(self) -> bool {
        matches!(self, Expand::Before | Expand::Both)
    }

    pub(crate) fn after(self) -> bool {
        matches!(self, Expand::After | Expand::Both)
    }
}

/// The built-in marks and how they expand.
fn builtin(name: &str) -> Option<Expand> {
    match name {
        "bold" | "italic" | "underline" | "strike" | "code" => Some(Expand::After),
        "link" | COMMENT => Some(Expand::None),
        _ => None,
    }
}

/// One run of formatted text, as Quill, ProseMirror or Tiptap bindings take it.
#[derive(Clone, Debug, PartialEq)]
pub struct DeltaRun {
    /// The characters.
    pub insert: String,
    /// Their marks (empty for plain text); `comment` holds the sorted ids.
    pub attributes: Attributes,
}

fn invalid(name: &str, reason: &'static str) -> DocError {
    DocError::InvalidMark {
        name: name.to_owned(),
        reason,
    }
}

impl Doc {
    /// Declares how an application-defined mark expands when text is typed at its
    /// edges. Built-in marks are predefined (and may be redeclared); a name never
    /// declared is treated as [`Expand::None`], so a replica can format with a
    /// mark it learnt from a peer. The policy only shapes this replica's future
    /// mark ops: ops already made keep the anchors they were made with.
    pub fn define_mark(&mut self, name: &str, expand: Expand) {
        self.mark_expand.insert(Arc::from(name), expand);
    }

    /// How marks named `name` expand on this replica.
    pub fn mark_expand(&self, name: &str) -> Expand {
        self.mark_expand
            .get(name)
            .copied()
            .or_else(|| builtin(name))
            .unwrap_or_default()
    }

    fn text_state(&self, text: &TextId) -> Result<Option<&TextState>, DocError> {
        self.check_exists(text.id())?;
        Ok(match self.state.get(text.id()) {
            Some(Container::Text(t)) => Some(t),
            _ => None,
        })
    }

    /// The anchors of a mark op over characters `start..end` (`start < end`).
    fn mark_anchors(
        &self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
    ) -> Result<Option<(Anchor, Anchor)>, DocError> {
        let len = self.text_len(text);
        let t = self.text_state(text)?;
        if end > len {
            return Err(DocError::IndexOutOfRange {
                index: end,
                len,
                kind: ContainerKind::Text,
            });
        }
        if start > end {
            return Err(invalid(name, "the range starts after it ends"));
        }
        let Some(t) = t.filter(|_| start < end) else {
            return Ok(None);
        };
        let id = |i: usize| {
            t.seq
                .id_at(i)
                .map_err(|e| super::seq::local_error(e, ContainerKind::Text))
        };
        let expand = self.mark_expand(name);
        let s = match (expand.before(), start) {
            (true, 0) => Anchor::Start,
            (true, _) => Anchor::After(id(start - 1)?),
            (false, _) => Anchor::Before(id(start)?),
        };
        let e = match expand.after() {
            true if end == len => Anchor::End,
            true => Anchor::Before(id(end)?),
            false => Anchor::After(id(end - 1)?),
        };
        Ok(Some((s, e)))
    }

    fn mark_op(
        &mut self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
        value: Value,
        remove: bool,
    ) -> Result<(), DocError> {
        if name.is_empty() {
            return Err(invalid(name, "a mark needs a name"));
        }
        if let Some((s, e)) = self.mark_anchors(text, start, end, name)? {
            self.record_mark(text, s, e, name, value, remove);
        }
        Ok(())
    }

    /// Records a checked mark op between two anchors as a local op.
    fn record_mark(
        &mut self,
        text: &TextId,
        start: Anchor,
        end: Anchor,
        name: &str,
        value: Value,
        remove: bool,
    ) {
        self.local_op(Op::Mark(Box::new(MarkOp {
            obj: text.id().clone(),
            start,
            end,
            name: Arc::from(name),
            value,
            remove,
        })));
    }

    /// Sets mark `name` on characters `start..end` (character indices): `true`
    /// for boolean marks (`bold`, `italic`, `underline`, `strike`, `code`), the
    /// href for `link`, the comment's id for `comment` (comments overlap freely).
    /// Concurrent values of one mark on one character resolve by last writer
    /// wins. An empty range records nothing.
    pub fn text_mark(
        &mut self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
        value: impl Into<Value>,
    ) -> Result<(), DocError> {
        let value = value.into();
        match (name, &value) {
            (_, Value::Null) => {
                return Err(invalid(name, "null is not a mark value: use text_unmark"))
            }
            ("link", v) if !matches!(v, Value::Str(_)) => {
                return Err(invalid(name, "a link's value is its href, a string"))
            }
            (COMMENT, v) if !matches!(v, Value::Str(_)) => {
                return Err(invalid(name, "a comment's value is its id, a string"))
            }
            _ => {}
        }
        self.mark_op(text, start, end, name, value, false)
    }

    /// Removes mark `name` from characters `start..end`. For `comment`, removes
    /// every comment on the range (one op per comment id seen there; use
    /// [`Doc::text_unmark_value`] to remove one).
    pub fn text_unmark(
        &mut self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
    ) -> Result<(), DocError> {
        if !keyed_by_value(name) {
            return self.mark_op(text, start, end, name, Value::Null, true);
        }
        let mut ids: Vec<Value> = Vec::new();
        for run in self.text_delta_range(text, start, end)? {
            if let Some(Value::Array(v)) = run.1.get(name) {
                for id in v {
                    if !ids.contains(id) {
                        ids.push(id.clone());
                    }
                }
            }
        }
        // One user action, so one undo step however the ops fall in time.
        self.undo_group(|d| {
            ids.into_iter()
                .try_for_each(|id| d.mark_op(text, start, end, name, id, true))
        })
    }

    /// Removes the mark `name` holding `value` from characters `start..end`: for
    /// `comment`, that one comment, leaving the others; for other marks the same
    /// as [`Doc::text_unmark`].
    pub fn text_unmark_value(
        &mut self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
        value: &Value,
    ) -> Result<(), DocError> {
        if !keyed_by_value(name) {
            return self.text_unmark(text, start, end, name);
        }
        self.mark_op(text, start, end, name, value.clone(), true)
    }

    /// [`Doc::text_mark`] with UTF-16 offsets (JavaScript string indices).
    pub fn text_mark_utf16(
        &mut self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
        value: impl Into<Value>,
    ) -> Result<(), DocError> {
        let (s, e) = self.utf16_range(text, start, end)?;
        self.text_mark(text, s, e, name, value)
    }

    /// [`Doc::text_unmark`] with UTF-16 offsets.
    pub fn text_unmark_utf16(
        &mut self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
    ) -> Result<(), DocError> {
        let (s, e) = self.utf16_range(text, start, end)?;
        self.text_unmark(text, s, e, name)
    }

    /// [`Doc::text_unmark_value`] with UTF-16 offsets.
    pub fn text_unmark_value_utf16(
        &mut self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
        value: &Value,
    ) -> Result<(), DocError> {
        let (s, e) = self.utf16_range(text, start, end)?;
        self.text_unmark_value(text, s, e, name, value)
    }

    fn utf16_range(
        &self,
        text: &TextId,
        start: usize,
        end: usize,
    ) -> Result<(usize, usize), DocError> {
        Ok((
            self.text_utf16_to_index(text, start)?,
            self.text_utf16_to_index(text, end)?,
        ))
    }

    fn text_delta_range(
        &self,
        text: &TextId,
        start: usize,
        end: usize,
    ) -> Result<Vec<(usize, Attributes)>, DocError> {
        Ok(match self.text_state(text)? {
            Some(t) => t.marks.runs(&t.seq, start, end.min(t.seq.len())),
            None => Vec::new(),
        })
    }

    /// The anchors a mark `name` over characters `start..end` gets on this
    /// replica now (`None` for an empty range). An undo manager keeps them to
    /// re-apply formatting later to exactly these characters, whatever was typed
    /// or deleted since (see [`Doc::text_mark_between`]).
    pub fn text_mark_anchors(
        &self,
        text: &TextId,
        start: usize,
        end: usize,
        name: &str,
    ) -> Result<Option<(Anchor, Anchor)>, DocError> {
        self.mark_anchors(text, start, end, name)
    }

    /// Sets (or with `remove`, removes) mark `name` between two anchors, as
    /// [`Doc::text_mark_anchors`] gave them: how undo re-applies the formatting
    /// a range had before a mark op. For a removal, `value` is `Null`, or the
    /// comment id for `comment`.
    pub fn text_mark_between(
        &mut self,
        text: &TextId,
        start: Anchor,
        end: Anchor,
        name: &str,
        value: Value,
        remove: bool,
    ) -> Result<(), DocError> {
        if name.is_empty() {
            return Err(invalid(name, "a mark needs a name"));
        }
        if !remove && value == Value::Null {
            return Err(invalid(name, "null is not a mark value: remove instead"));
        }
        let known = match self.text_state(text)? {
            Some(t) => [start.id(), end.id()]
                .into_iter()
                .flatten()
                .all(|id| t.seq.contains(id)),
            None => start.id().is_none() && end.id().is_none(),
        };
        if !known {
            return Err(invalid(name, "an anchor names a character this text lacks"));
        }
        self.record_mark(text, start, end, name, value, remove);
        Ok(())
    }

    /// The formatting of characters `start..end` as `(length, attributes)` runs:
    /// what an undo manager records before a mark op, to restore it.
    pub fn text_format_runs(
        &self,
        text: &TextId,
        start: usize,
        end: usize,
    ) -> Result<Vec<(usize, Attributes)>, DocError> {
        let len = self.text_len(text);
        if end > len || start > end {
            return Err(DocError::IndexOutOfRange {
                index: end.max(start),
                len,
                kind: ContainerKind::Text,
            });
        }
        self.text_delta_range(text, start, end)
    }

    /// The text as runs of characters with their marks, adjacent runs with equal
    /// marks merged: the shape Quill deltas and ProseMirror/Tiptap marks take.
    pub fn text_delta(&self, text: &TextId) -> Vec<DeltaRun> {
        let Some(Container::Text(t)) = self.state.get(text.id()) else {
            return Vec::new();
        };
        let s = t.seq.text();
        if t.marks.is_empty() {
            return if s.is_empty() {
                Vec::new()
            } else {
                vec![DeltaRun {
                    insert: s,
                    attributes: Attributes::new(),
                }]
            };
        }
        let mut rest = s.as_str();
        let mut out = Vec::new();
        for (len, attributes) in t.marks.runs(&t.seq, 0, t.seq.len()) {
            let byte = crate::seq::char_end(rest, len).unwrap_or(rest.len());
            let (run, tail) = rest.split_at(byte);
            rest = tail;
            out.push(DeltaRun {
                insert: run.to_owned(),
                attributes,
            });
        }
        out
    }

    /// Number of mark ops a text holds (every op ever applied: superseded ones
    /// still decide the formatting of text inserted later inside them).
    pub fn text_mark_count(&self, text: &TextId) -> usize {
        match self.state.get(text.id()) {
            Some(Container::Text(t)) => t.marks.ops.len(),
            _ => 0,
        }
    }

    /// Where local text typed at `index` goes when deleted characters sit there
    /// and marks end at them (Peritext's rule for boundaries): past every
    /// tombstone after which a mark ends, so that typing at the visible end of a
    /// link whose last characters were deleted is not linked, but not past one
    /// before which a mark starts or ends. `None`: right after the visible
    /// character, as plain insertion puts it. Otherwise the origins: after the
    /// chosen tombstone and before the element that follows it.
    pub(super) fn insert_origin_past_marks(
        t: &mut TextState,
        index: usize,
    ) -> Option<(OpId, Option<OpId>)> {
        if t.marks.is_empty() {
            return None;
        }
        Self::insert_origin_in_gap(t, index)
    }

    /// [`Doc::insert_origin_past_marks`] for a text with marks (out of line
    /// in WebAssembly: the typing path's body fetches what it carries).
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    fn insert_origin_in_gap(t: &mut TextState, index: usize) -> Option<(OpId, Option<OpId>)> {
        let gap = t.seq.gap_tombstones(index, usize::MAX);
        if gap.is_empty() {
            return None;
        }
        // Runs are in document order, and so are the ids inside each: the first
        // `Before` anchor ends the search; the last `After` end before it wins.
        let (marks, mut chosen) = (t.marks.bounds(), None);
        for (r, run) in gap.iter().enumerate() {
            let lo = run.start;
            let hi = OpId::new(lo.replica, lo.counter.saturating_add(run.len));
            let stop = Bounds::range(&marks.befores, lo, hi)
                .first()
                .map(|b| b.counter);
            if let Some(a) = Bounds::range(&marks.after_ends, lo, hi)
                .iter()
                .take_while(|a| stop.is_none_or(|s| a.counter < s))
                .last()
            {
                chosen = Some((r, a.counter - lo.counter));
            }
            if stop.is_some() {
                break;
            }
        }
        let (r, off) = chosen?;
        let run = gap[r];
        let left = OpId::new(run.start.replica, run.start.counter + off);
        let right = if off + 1 < run.len {
            Some(OpId::new(left.replica, left.counter + 1))
        } else if let Some(next) = gap.get(r + 1) {
            Some(next.start)
        } else if index < t.seq.len() {
            t.seq.id_at(index).ok()
        } else {
            None
        };
        Some((left, right))
    }

    /// The insert event of local text `s` at `index` (already inserted).
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub(super) fn text_insert_event(&self, text: &TextId, index: usize, s: &str) -> Event {
        match self.state.get(text.id()) {
            Some(Container::Text(t)) => {
                t.insert_event(text.id(), index, s.to_owned(), self.state.utf16_events)
            }
            _ => Event {
                container: text.id().clone(),
                diff: Diff::Text(vec![TextDelta::Insert(s.to_owned())]),
            },
        }
    }
}
