//! Text and list edits and reads on a document.

use super::error::DocError;
use super::map::FieldValue;
use super::seq::{self as seqc, local_error};
use super::state::Container;
use super::Doc;
use crate::change::{NewValue, Op, SeqContent};
use crate::{ContainerId, ContainerKind, ListId, OpId, TextId, Value};

impl Doc {
    /// Makes sure a text that is about to be edited has its state: root-named texts
    /// exist implicitly until first written.
    fn create_text(&mut self, text: &TextId) -> Result<(), DocError> {
        self.check_exists(text.id())?;
        self.state.create(text.id().clone());
        match self.state.get(text.id()) {
            Some(Container::Text(_)) => Ok(()),
            _ => Err(DocError::UnknownContainer(text.id().clone())),
        }
    }

    fn text_ref(&self, text: &TextId) -> Option<&crate::seq::TextSeq> {
        self.lazy_text(text).map(|t| &**t)
    }

    /// The text as loaded: its content and lengths are read without building
    /// a text loaded from a snapshot (see `doc/seq/lazy.rs`).
    fn lazy_text(&self, text: &TextId) -> Option<&super::seq::LazyText> {
        match self.state.get(text.id()) {
            Some(Container::Text(t)) => Some(&t.seq),
            _ => None,
        }
    }

    /// Inserts `s` at character index `index` (Unicode scalar values).
    pub fn text_insert(&mut self, text: &TextId, index: usize, s: &str) -> Result<(), DocError> {
        if s.is_empty() {
            return Ok(());
        }
        let id = OpId::new(self.replica, self.next_counter);
        // One map lookup per keystroke: the text usually exists already.
        let (left, right) = match self.state.find_mut(text.id()) {
            Some(Container::Text(t)) => Self::insert_into_text(t, index, s, id)?,
            Some(_) => return Err(DocError::UnknownContainer(text.id().clone())),
            None => {
                self.create_text(text)?;
                return self.text_insert(text, index, s);
            }
        };
        self.text_inserted(text, index, s, left, right)
    }

    /// What follows a local insert into the sequence: its event and its op.
    /// Shared by `text_insert` and WebAssembly's UTF-16 insert: inlined
    /// natively, where `text_insert` is its one caller and the edit path is
    /// layout-sensitive; in WebAssembly left to the compiler, which keeps it
    /// as one body for both callers (350 B gzipped smaller than two copies).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    fn text_inserted(
        &mut self,
        text: &TextId,
        index: usize,
        s: &str,
        left: Option<OpId>,
        right: Option<OpId>,
    ) -> Result<(), DocError> {
        if self.events.is_some() {
            let event = self.text_insert_event(text, index, s);
            if let Some(ev) = self.events.as_mut() {
                ev.push(event);
            }
        }
        // A keystroke is one byte, always ASCII: no call to `is_ascii`, which the
        // WASM build keeps out of line (its word-at-a-time loop is too big).
        let n = if s.len() == 1 || s.is_ascii() {
            s.len()
        } else {
            s.chars().count()
        };
        self.record_text_insert(text.id(), left, right, s, n as u64);
        Ok(())
    }

    /// [`Doc::text_delete_some`] on a text not created yet. Out of line, and a
    /// call rather than the delete calling itself: turned into a loop, that
    /// made the delete set up its registers for a second round on every call.
    /// (WebAssembly's size build inlines its one call back again.)
    #[cfg_attr(not(target_arch = "wasm32"), cold, inline(never))]
    fn text_delete_created(
        &mut self,
        text: &TextId,
        index: usize,
        len: usize,
    ) -> Result<(), DocError> {
        self.create_text(text)?;
        self.text_delete_some(text, index, len)
    }

    /// Applies a local insert of `s` with first id `id` to `t`; returns its origins.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn insert_into_text(
        t: &mut super::seq::TextState,
        index: usize,
        s: &str,
        id: OpId,
    ) -> Result<(Option<OpId>, Option<OpId>), DocError> {
        // Only a text with marks may place typing past deleted characters.
        let past_marks = Self::insert_origin_past_marks(t, index);
        let seq = &mut t.seq;
        Ok(match past_marks {
            // The origins are taken out before `?`, not the whole op: moving
            // the 72-byte `InsertOp` out of its `Result` was a `memcpy` that
            // WebAssembly makes a `memory.copy`, which V8 runs as a call into
            // C, once per keystroke.
            None => seq
                .insert(index, s, id)
                .map(|op| (op.origin_left, op.origin_right))
                .map_err(|e| local_error(e, ContainerKind::Text))?,
            Some((left, right)) => {
                let op = crate::seq::InsertOp {
                    id,
                    origin_left: Some(left),
                    origin_right: right,
                    content: s,
                };
                seq.apply_insert(&op)
                    .map_err(|e| local_error(e, ContainerKind::Text))?;
                (Some(left), right)
            }
        })
    }

    /// Deletes `len` characters from character index `index`.
    #[inline]
    pub fn text_delete(&mut self, text: &TextId, index: usize, len: usize) -> Result<(), DocError> {
        // Editors call this for every change, most of which delete nothing.
        if len == 0 {
            return Ok(());
        }
        self.text_delete_some(text, index, len)
    }

    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn text_delete_some(
        &mut self,
        text: &TextId,
        index: usize,
        len: usize,
    ) -> Result<(), DocError> {
        let want_utf16 = self.events.is_some() && self.state.utf16_events;
        // The runs are written in place (the state and the spare buffers are
        // separate fields): taking the buffer out and putting it back cost
        // two moves of its three words per delete.
        let runs = &mut self.spare.runs;
        runs.clear();
        let mut at_n = (index, len);
        // One map lookup per keystroke: the text usually exists already.
        let deleted = match self.state.find_mut(text.id()) {
            Some(Container::Text(t)) => {
                let seq = &mut t.seq;
                // Measured before the delete, while the characters are still there.
                if want_utf16 {
                    let end = index.saturating_add(len);
                    if let (Ok(a), Ok(b)) = (seq.index_to_utf16(index), seq.index_to_utf16(end)) {
                        at_n = (a, b - a);
                    }
                }
                seq.delete_into(index, len, runs)
                    .map_err(|e| local_error(e, ContainerKind::Text))
            }
            Some(_) => Err(DocError::UnknownContainer(text.id().clone())),
            None => return self.text_delete_created(text, index, len),
        };
        deleted?;
        let (at, n) = at_n;
        self.text_deleted(text, at, n);
        Ok(())
    }

    /// What follows a local delete from the sequence: its event and its ops.
    #[inline(always)]
    fn text_deleted(&mut self, text: &TextId, at: usize, n: usize) {
        if let Some(ev) = self.events.as_mut() {
            ev.push(seqc::text_delete_event(text.id(), at, n));
        }
        self.record_deletes(text.id());
    }

    /// Inserts `s` at UTF-16 offset `utf16` (JavaScript string indices).
    /// (WebAssembly has its own, in the `wasm` module below.)
    #[cfg(not(target_arch = "wasm32"))]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn text_insert_utf16(
        &mut self,
        text: &TextId,
        utf16: usize,
        s: &str,
    ) -> Result<(), DocError> {
        let (index, _) = self.text_utf16_span(text, utf16, 0)?;
        self.text_insert(text, index, s)
    }

    /// Deletes the characters covering UTF-16 offsets `utf16..utf16 + len`.
    /// (WebAssembly has its own, in the `wasm` module below.)
    #[cfg(not(target_arch = "wasm32"))]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn text_delete_utf16(
        &mut self,
        text: &TextId,
        utf16: usize,
        len: usize,
    ) -> Result<(), DocError> {
        let (start, end) = self.text_utf16_span(text, utf16, len)?;
        self.text_delete(text, start, end - start)
    }

    /// The character indices at UTF-16 offsets `utf16` and `utf16 + len`, the
    /// text found as the edit after will find it (the container found last, no
    /// name hashed): every edit from JavaScript converts its offsets first.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn text_utf16_span(
        &mut self,
        text: &TextId,
        utf16: usize,
        len: usize,
    ) -> Result<(usize, usize), DocError> {
        let seq = match self.state.find_mut(text.id()) {
            Some(Container::Text(t)) => Some(&*t.seq),
            _ => None,
        };
        let start = utf16_in(seq, utf16)?;
        Ok((
            start,
            if len == 0 {
                start
            } else {
                utf16_in(seq, utf16.saturating_add(len))?
            },
        ))
    }

    /// The character index at UTF-16 offset `utf16`.
    pub fn text_utf16_to_index(&self, text: &TextId, utf16: usize) -> Result<usize, DocError> {
        utf16_in(self.text_ref(text), utf16)
    }

    /// The text's current content.
    pub fn text_string(&self, text: &TextId) -> String {
        self.lazy_text(text).map(|s| s.text()).unwrap_or_default()
    }

    /// The text's length in characters.
    pub fn text_len(&self, text: &TextId) -> usize {
        self.lazy_text(text).map_or(0, |s| s.len())
    }

    /// The text's length in UTF-16 code units.
    pub fn text_len_utf16(&self, text: &TextId) -> usize {
        self.lazy_text(text).map_or(0, |s| s.len_utf16())
    }

    fn list_seq_mut(&mut self, list: &ListId) -> Result<&mut super::seq::ListState, DocError> {
        self.check_exists(list.id())?;
        match self.state.get_mut(list.id()) {
            Container::List(l) => Ok(l),
            _ => Err(DocError::UnknownContainer(list.id().clone())),
        }
    }

    fn list_insert_new(
        &mut self,
        list: &ListId,
        index: usize,
        item: NewValue,
    ) -> Result<OpId, DocError> {
        let id = OpId::new(self.replica, self.next_counter);
        let values = seqc::list_values(std::slice::from_ref(&item));
        let l = self.list_seq_mut(list)?;
        let op = l
            .seq
            .insert(index, &values, id)
            .map_err(|e| local_error(e, ContainerKind::List))?;
        let (left, right) = (op.origin_left, op.origin_right);
        let shown = match &item {
            NewValue::Container(kind) => {
                l.containers.insert(id, *kind);
                let cid = ContainerId::Created { id, kind: *kind };
                self.state.create(cid.clone());
                FieldValue::Container(cid)
            }
            NewValue::Value(v) => FieldValue::Value(v.clone()),
        };
        if let Some(ev) = self.events.as_mut() {
            ev.push(seqc::list_insert_event(list.id(), index, vec![shown]));
        }
        self.record_local(
            Op::SeqInsert {
                obj: list.id().clone(),
                left,
                right,
                content: SeqContent::Values(vec![item]),
            },
            false,
        );
        Ok(id)
    }

    /// Inserts a scalar at `index`.
    pub fn list_insert(
        &mut self,
        list: &ListId,
        index: usize,
        value: impl Into<Value>,
    ) -> Result<(), DocError> {
        self.list_insert_new(list, index, NewValue::Value(value.into()))
            .map(|_| ())
    }

    /// Inserts a new empty container of `kind` at `index` and returns its id.
    pub fn list_insert_container(
        &mut self,
        list: &ListId,
        index: usize,
        kind: ContainerKind,
    ) -> Result<ContainerId, DocError> {
        let id = self.list_insert_new(list, index, NewValue::Container(kind))?;
        Ok(ContainerId::Created { id, kind })
    }

    /// Deletes `len` elements from `index`.
    pub fn list_delete(&mut self, list: &ListId, index: usize, len: usize) -> Result<(), DocError> {
        if len == 0 {
            return Ok(());
        }
        let l = self.list_seq_mut(list)?;
        let runs = l
            .seq
            .delete(index, len)
            .map_err(|e| local_error(e, ContainerKind::List))?;
        if let Some(ev) = self.events.as_mut() {
            ev.push(seqc::list_delete_event(list.id(), index, len));
        }
        for run in runs {
            self.record_local(
                Op::SeqDelete {
                    obj: list.id().clone(),
                    target: run.start,
                    len: run.len,
                    reversed: false,
                },
                false,
            );
        }
        Ok(())
    }

    fn list_ref(&self, list: &ListId) -> Option<&super::seq::ListState> {
        match self.state.get(list.id()) {
            Some(Container::List(l)) => Some(l),
            _ => None,
        }
    }

    /// The element at `index`.
    pub fn list_get(&self, list: &ListId, index: usize) -> Option<FieldValue> {
        self.list_ref(list)?.get(index)
    }

    /// The list's length.
    pub fn list_len(&self, list: &ListId) -> usize {
        self.list_ref(list).map_or(0, |l| l.seq.len())
    }

    /// Every element, in order.
    pub fn list_values(&self, list: &ListId) -> Vec<FieldValue> {
        self.list_ref(list).map(|l| l.values()).unwrap_or_default()
    }
}

/// The character index at UTF-16 offset `utf16` of `seq`, a text not created yet
/// when `None` (empty, so only offset 0 is in it).
#[cfg_attr(weft_wasm_speed, optimize(speed))]
#[cfg_attr(weft_wasm_speed, inline)]
fn utf16_in(seq: Option<&crate::seq::TextSeq>, utf16: usize) -> Result<usize, DocError> {
    match seq {
        Some(seq) => seq
            .utf16_to_index(utf16)
            .map_err(|e| local_error(e, ContainerKind::Text)),
        None if utf16 == 0 => Ok(0),
        None => Err(DocError::IndexOutOfRange {
            index: utf16,
            len: 0,
            kind: ContainerKind::Text,
        }),
    }
}

/// The UTF-16 edits of the WebAssembly build, through which every edit from
/// JavaScript comes: the text is found once, for the offset and the edit, and a
/// BMP-only text's offset is its index, inline (docs/benchmarks.md, branches
/// `wasmspeed6` and `wasmspeed7`). Less code per keystroke, so fewer
/// instruction-cache misses, which is what separates the module's replay from
/// its peers'. Native code keeps the two-step path above (a UTF-16 conversion,
/// then the index edit): this version, compiled natively, ran the native replay
/// 7% slower on the clock at the same instruction count (layout), so it is
/// compiled for WebAssembly only. The index edits above stay the one source of
/// the edits' rules: these share their tails (`text_inserted`,
/// `text_deleted`).
/// `utf16_edits_check_offsets_and_record_as_index_edits` and the bindings'
/// tests (sdk/test/wasm.test.ts) check that both give the same ops.
#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::super::seq::local_error;
    use super::super::state::Container;
    use super::super::{Doc, DocError};
    use super::utf16_in;
    use crate::{ContainerKind, OpId, TextId};

    impl Doc {
        /// Inserts `s` at UTF-16 offset `utf16` (JavaScript string indices).
        #[cfg_attr(weft_wasm_speed, optimize(speed))]
        pub fn text_insert_utf16(
            &mut self,
            text: &TextId,
            utf16: usize,
            s: &str,
        ) -> Result<(), DocError> {
            let id = OpId::new(self.replica, self.next_counter);
            let (index, (left, right)) = match self.state.find_mut(text.id()) {
                Some(Container::Text(t)) if !s.is_empty() => {
                    let index = utf16_at(&t.seq, utf16)?;
                    (index, Self::insert_into_text(t, index, s, id)?)
                }
                _ => return self.text_insert_utf16_other(text, utf16, s),
            };
            self.text_inserted(text, index, s, left, right)
        }

        /// [`Doc::text_insert_utf16`] of nothing, or into a text not created
        /// yet (or a container of another kind): out of line. It does not call
        /// `text_insert`, so that the sequence insert and the op's recording
        /// have one caller in the module each and are inlined into the edit.
        #[inline(never)]
        fn text_insert_utf16_other(
            &mut self,
            text: &TextId,
            utf16: usize,
            s: &str,
        ) -> Result<(), DocError> {
            self.text_utf16_span(text, utf16, 0)?;
            if s.is_empty() {
                return Ok(());
            }
            match self.state.find_mut(text.id()) {
                Some(Container::Text(_)) => {}
                Some(_) => return Err(DocError::UnknownContainer(text.id().clone())),
                None => self.create_text(text)?,
            }
            // Only offset 0 is in a text not created yet: the insert goes there.
            self.text_insert_utf16(text, 0, s)
        }

        /// Deletes the characters covering UTF-16 offsets `utf16..utf16 + len`.
        #[cfg_attr(weft_wasm_speed, optimize(speed))]
        pub fn text_delete_utf16(
            &mut self,
            text: &TextId,
            utf16: usize,
            len: usize,
        ) -> Result<(), DocError> {
            let want_utf16 = self.events.is_some() && self.state.utf16_events;
            let runs = &mut self.spare.runs;
            let t = match self.state.find_mut(text.id()) {
                Some(Container::Text(t)) => t,
                // A text not created yet (or a container of another kind)
                // holds only offset 0: the span is checked, nothing deleted.
                _ => return self.text_utf16_span(text, utf16, len).map(|_| ()),
            };
            let index = utf16_at(&t.seq, utf16)?;
            let end = if len == 0 {
                index
            } else {
                utf16_at(&t.seq, utf16.saturating_add(len))?
            };
            // Editors call this for every change, most of which delete nothing.
            if end == index {
                return Ok(());
            }
            let len = end - index;
            // From here as `text_delete_some` on a created text.
            runs.clear();
            let mut at_n = (index, len);
            let seq = &mut t.seq;
            if want_utf16 {
                if let (Ok(a), Ok(b)) = (seq.index_to_utf16(index), seq.index_to_utf16(end)) {
                    at_n = (a, b - a);
                }
            }
            seq.delete_into(index, len, runs)
                .map_err(|e| local_error(e, ContainerKind::Text))?;
            let (at, n) = at_n;
            self.text_deleted(text, at, n);
            Ok(())
        }
    }

    /// [`utf16_in`] of a created text, with the usual case inline: a text
    /// without characters outside the BMP, where offsets are indices. The
    /// descent by UTF-16 counts stays out of line, so that the edits it is
    /// inlined into stay small.
    #[inline(always)]
    fn utf16_at(seq: &super::super::seq::LazyText, utf16: usize) -> Result<usize, DocError> {
        let seq: &crate::seq::TextSeq = seq;
        if utf16 <= seq.len_utf16() && seq.len() == seq.len_utf16() {
            return Ok(utf16);
        }
        utf16_past_bmp(seq, utf16)
    }

    /// [`utf16_at`] when the offset is past the end or the text holds
    /// characters outside the BMP.
    #[inline(never)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn utf16_past_bmp(seq: &crate::seq::TextSeq, utf16: usize) -> Result<usize, DocError> {
        utf16_in(Some(seq), utf16)
    }
}
