//! Local undo and redo: the bookkeeping. What each op records and how it is
//! reverted lives in `inverse.rs`; ids that undo and redo re-create in `remap.rs`.
//!
//! Recording is off until [`Doc::set_undo_enabled`](crate::Doc::set_undo_enabled)
//! turns it on (as Yjs and Loro attach an undo manager explicitly): it reads the
//! clock and copies deleted text on every local edit, which bulk replays and
//! servers should not pay for.
//!
//! Only this replica's own local ops are recorded (remote ops never pass through
//! here), so undo never reverts a collaborator's work. Ops are grouped into steps:
//! consecutive ops less than a window apart (500 ms by default, measured with the
//! document's clock source) or inside an explicit group form one step. Undoing a
//! step makes new ordinary ops, computed against the current state, that revert
//! it; those are recorded as a step on the redo stack, whose undoing is the redo.

mod format;
mod inverse;
mod remap;

pub(crate) use inverse::Item;
use remap::Remap;

/// Default time window within which local ops join one undo step.
pub(crate) const DEFAULT_WINDOW_MS: u64 = 500;

/// Whose ops are being recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Ordinary local edits: onto the undo stack; the redo stack is cleared.
    Edit,
    /// An undo in progress: its ops form the next redo step.
    Undo,
    /// A redo in progress: its ops form the next undo step.
    Redo,
}

/// One undo step: what a group of local ops did, in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Step {
    pub(crate) items: Vec<Item>,
    /// The content of the text the step deleted, concatenated (items refer to
    /// byte ranges of it): one buffer instead of a string per deleted run.
    pub(crate) text: String,
}

#[derive(Clone, Debug)]
pub(crate) struct UndoManager {
    undo: Vec<Step>,
    redo: Vec<Step>,
    enabled: bool,
    window_ms: u64,
    /// Nesting depth of explicit groups.
    depth: u32,
    /// Whether the top undo step may take more ops.
    open: bool,
    last_ms: u64,
    mode: Mode,
    /// The step an undo or redo in progress records.
    building: Step,
    /// Ops of the undo or redo in progress that changed only deleted text (a
    /// mark undone over characters all deleted by now): they keep those
    /// characters right for when they come back, but a step made only of them
    /// reverts nothing the user can see, so it does not count as one: its ops
    /// are carried into the next step reverted in the same direction (kept in
    /// `carry` meanwhile), so redo takes them back with it.
    pub(crate) hidden: usize,
    carry: Step,
    pub(crate) remap: Remap,
}

impl Default for UndoManager {
    fn default() -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            enabled: false,
            window_ms: DEFAULT_WINDOW_MS,
            depth: 0,
            open: false,
            last_ms: 0,
            mode: Mode::Edit,
            building: Step::default(),
            hidden: 0,
            carry: Step::default(),
            remap: Remap::default(),
        }
    }
}

impl UndoManager {
    #[inline]
    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    pub(crate) fn set_enabled(&mut self, on: bool) {
        self.enabled = on;
        if !on {
            self.clear();
        }
    }

    /// Whether the next local op's step depends on the time.
    pub(crate) fn needs_time(&self) -> bool {
        self.mode == Mode::Edit && self.depth == 0
    }

    pub(crate) fn mode(&self) -> Mode {
        self.mode
    }

    pub(crate) fn set_window_ms(&mut self, ms: u64) {
        self.window_ms = ms;
    }

    pub(crate) fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub(crate) fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub(crate) fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.carry = Step::default();
        self.remap = Remap::default();
        self.open = false;
    }

    pub(crate) fn group_begin(&mut self) {
        if self.depth == 0 {
            self.open = false;
        }
        self.depth += 1;
    }

    pub(crate) fn group_end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            self.open = false;
        }
    }

    /// The step a local op made at `now_ms` belongs to.
    #[inline]
    pub(crate) fn step_for(&mut self, now_ms: u64) -> &mut Step {
        if self.mode != Mode::Edit {
            return &mut self.building;
        }
        if !self.redo.is_empty() {
            self.redo.clear();
        }
        let join = self.open
            && !self.undo.is_empty()
            && (self.depth > 0 || now_ms.saturating_sub(self.last_ms) < self.window_ms);
        if !join {
            self.undo.push(Step::default());
        }
        self.open = true;
        if self.depth == 0 {
            self.last_ms = now_ms;
        }
        self.undo.last_mut().expect("pushed above")
    }

    /// Takes the step an undo (or redo) reverts and starts recording its ops.
    pub(crate) fn begin(&mut self, mode: Mode) -> Option<Step> {
        self.open = false;
        let step = match mode {
            Mode::Undo => self.undo.pop(),
            Mode::Redo => self.redo.pop(),
            Mode::Edit => None,
        }?;
        self.mode = mode;
        self.building = std::mem::take(&mut self.carry);
        self.hidden = self.building.items.len();
        Some(step)
    }

    /// Ends an undo or redo: what it did becomes a step of the other stack
    /// (nothing if it found nothing left to revert). Returns the number of items
    /// that changed something visible.
    pub(crate) fn finish(&mut self) -> usize {
        let built = std::mem::take(&mut self.building);
        let mode = std::mem::replace(&mut self.mode, Mode::Edit);
        let n = built.items.len();
        if n > 0 && self.hidden >= n {
            self.carry = built;
            return 0;
        }
        if n > 0 {
            match mode {
                Mode::Undo => self.redo.push(built),
                Mode::Redo => self.undo.push(built),
                Mode::Edit => {}
            }
        }
        n - self.hidden.min(n)
    }

    /// Ends an undo or redo that found no more steps: ops carried from hidden
    /// steps still form a step of the other stack, so they can be taken back.
    pub(crate) fn flush(&mut self, mode: Mode) {
        let carried = std::mem::take(&mut self.carry);
        if carried.items.is_empty() {
            return;
        }
        match mode {
            Mode::Undo => self.redo.push(carried),
            Mode::Redo => self.undo.push(carried),
            Mode::Edit => {}
        }
    }
}
