//! Undo and redo of this replica's own local edits (see `undo/mod.rs` for how
//! steps are recorded and reverted).

use super::error::DocError;
use super::undo::Mode;
use super::Doc;
use crate::cursor::Cursor;

/// Where the caret belongs after an undo or redo: in the text or list the step
/// edited, at the place it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caret {
    /// The position as a stable cursor (its `container` is the text or list).
    pub cursor: Cursor,
    /// The position as an index now (characters for a text; convert with
    /// [`Doc::cursor_index_utf16`] for UTF-16).
    pub index: usize,
}

/// What an undo or redo did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoOutcome {
    /// How many reverting edits it made (ordinary local ops: they sync like any
    /// other edit).
    pub edits: usize,
    /// Where the caret belongs, if the step edited a text or list.
    pub caret: Option<Caret>,
}

impl Doc {
    /// Reverts this replica's most recent undo step that still has an effect
    /// (recording must be on: [`Doc::set_undo_enabled`]),
    /// with new ops computed against the current state (remote edits made since
    /// are kept). Returns `None` when there is nothing left to undo.
    ///
    /// A step is the local edits made less than the undo window apart (see
    /// [`Doc::set_undo_window_ms`]) or inside one explicit group
    /// ([`Doc::undo_group_begin`]). Other replicas' edits are never reverted:
    /// text is deleted by id only if it is still there, a field only if no one
    /// else wrote it since, set members lose only the tags this replica added.
    /// Formatting is taken back only on the characters where this replica's
    /// marks are still the latest, which get what the older marks give them (the
    /// formatting they had before, or for text others typed inside since, what it
    /// would have had); text that undo brings back gets its formatting back.
    ///
    /// ```
    /// use weft_core::{Doc, ReplicaId};
    ///
    /// let mut doc = Doc::new(ReplicaId(1));
    /// doc.set_undo_enabled(true);
    /// let t = doc.text("t")?;
    /// doc.text_insert(&t, 0, "hello")?;
    /// doc.undo_group(|d| d.text_delete(&t, 0, 1))?;
    /// assert_eq!(doc.text_string(&t), "ello");
    /// let out = doc.undo()?.expect("a step to undo");
    /// assert_eq!(doc.text_string(&t), "hello");
    /// assert_eq!(out.caret.map(|c| c.index), Some(1));
    /// doc.redo()?;
    /// assert_eq!(doc.text_string(&t), "ello");
    /// # Ok::<(), weft_core::DocError>(())
    /// ```
    pub fn undo(&mut self) -> Result<Option<UndoOutcome>, DocError> {
        self.undo_redo(Mode::Undo)
    }

    /// Re-applies the most recently undone step (computed against the current
    /// state, like [`Doc::undo`]). Any new local edit clears what can be redone.
    pub fn redo(&mut self) -> Result<Option<UndoOutcome>, DocError> {
        self.undo_redo(Mode::Redo)
    }

    /// Whether [`Doc::undo`] has a step to try.
    pub fn can_undo(&self) -> bool {
        self.undo.can_undo()
    }

    /// Whether [`Doc::redo`] has a step to try.
    pub fn can_redo(&self) -> bool {
        self.undo.can_redo()
    }

    /// Sets the window (ms, by the document's clock source) within which
    /// consecutive local edits join one undo step (default 500; 0: every edit
    /// is its own step).
    pub fn set_undo_window_ms(&mut self, ms: u64) {
        self.undo.set_window_ms(ms);
    }

    /// Turns recording of undo steps on or off (off by default, as in Yjs and
    /// Loro, where an undo manager is attached explicitly: recording reads the
    /// clock and copies deleted text on every local edit, which replays and
    /// servers should not pay for). Turning it off forgets the history; only
    /// edits made while it is on can be undone.
    pub fn set_undo_enabled(&mut self, on: bool) {
        self.undo.set_enabled(on);
    }

    /// Forgets every undo and redo step (e.g. after loading a document, so the
    /// user cannot undo past it).
    pub fn clear_undo(&mut self) {
        self.undo.clear();
    }

    /// Starts an explicit group: every local edit until the matching
    /// [`Doc::undo_group_end`] forms one undo step, however long it takes.
    /// Groups nest; the outermost one decides.
    pub fn undo_group_begin(&mut self) {
        self.undo.group_begin();
    }

    /// Ends the group started by [`Doc::undo_group_begin`].
    pub fn undo_group_end(&mut self) {
        self.undo.group_end();
    }

    /// Runs `f` as one undo step (see [`Doc::undo_group_begin`]).
    pub fn undo_group<R>(&mut self, f: impl FnOnce(&mut Doc) -> R) -> R {
        self.undo_group_begin();
        let out = f(self);
        self.undo_group_end();
        out
    }

    fn undo_redo(&mut self, mode: Mode) -> Result<Option<UndoOutcome>, DocError> {
        // A step whose edits were all overtaken (its text deleted by others, its
        // fields overwritten) reverts nothing: it is dropped and the next tried,
        // as editors do.
        while let Some(step) = self.undo.begin(mode) {
            let mut carets = Vec::new();
            let mut failed = None;
            for item in step.items.iter().rev() {
                match self.invert(&step, item) {
                    Ok(Some(c)) => carets.push(c),
                    Ok(None) => {}
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            let edits = self.undo.finish();
            if let Some(e) = failed {
                self.undo.flush(mode);
                return Err(e);
            }
            if edits == 0 {
                continue;
            }
            // The caret goes to the end of what the step changed (the last place in
            // the sequence it edited last).
            let target = carets.last().map(|c| c.container.clone());
            let caret = carets
                .into_iter()
                .filter(|c| Some(&c.container) == target.as_ref())
                .filter_map(|cursor| {
                    let index = self.cursor_index(&cursor).ok()?;
                    Some(Caret { cursor, index })
                })
                .max_by_key(|c| c.index);
            return Ok(Some(UndoOutcome { edits, caret }));
        }
        self.undo.flush(mode);
        Ok(None)
    }
}
