//! A text loaded from a snapshot whose tree is built when first needed.
//!
//! Importing a snapshot into a fresh document checks every span (ids unique,
//! origins known and on the correct side, lengths agreeing with the text) but
//! leaves laying the spans out in a tree for later: reading the text back, or
//! its length, is served from what the import already holds, and anything else
//! (an edit, a merge, a cursor, a mark, an export) builds it first. Building
//! cannot fail: it lays out spans that were checked.

use std::ops::{Deref, DerefMut};

// Natively a document can be shared between threads; the WebAssembly build has
// one thread, and the lighter cells save the module most of a kilobyte.
#[cfg(not(target_arch = "wasm32"))]
use std::sync::{Mutex as Slot, OnceLock};
#[cfg(target_arch = "wasm32")]
use {std::cell::OnceCell as OnceLock, std::cell::RefCell as Slot};

use crate::seq::{Checked, TextContent, TextSeq};

/// What a text loaded but not yet built holds.
#[derive(Debug)]
struct Pending {
    checked: Checked,
    /// The content store: the visible text with short tombstones' placeholders.
    store: String,
    /// The visible text, when `store` holds placeholders (otherwise it is
    /// `store`): the WebAssembly build's.
    #[cfg(target_arch = "wasm32")]
    visible: Option<String>,
    /// Natively, instead of `visible`: where `store`'s placeholders are, as
    /// (byte offset, count) runs in order. The visible text is then cut out of
    /// `store` when it is read, not copied at every load.
    #[cfg(not(target_arch = "wasm32"))]
    runs: Vec<(usize, usize)>,
    /// Visible characters and UTF-16 units.
    totals: (usize, usize),
}

impl Pending {
    #[cfg(target_arch = "wasm32")]
    fn build(self) -> TextSeq {
        self.checked.build(TextContent::from_text(self.store))
    }

    /// Natively, the store's ASCII-ness from the decoder's counts: its
    /// bytes are the visible text's and the placeholders' (NULs), and the
    /// visible text is ASCII exactly when it has as many characters as
    /// bytes (every other character takes two bytes or more). No walk over
    /// the store.
    #[cfg(not(target_arch = "wasm32"))]
    fn build(self) -> TextSeq {
        let ascii = self.ascii();
        self.checked
            .build(TextContent::from_text_ascii(self.store, ascii))
    }

    /// Whether the store is ASCII, from `totals` and `runs`.
    #[cfg(not(target_arch = "wasm32"))]
    fn ascii(&self) -> bool {
        let nuls: usize = self.runs.iter().map(|&(_, n)| n).sum();
        self.store.len().checked_sub(nuls) == Some(self.totals.0)
    }

    /// The visible text.
    #[cfg(target_arch = "wasm32")]
    fn text(&self) -> String {
        self.visible.as_ref().unwrap_or(&self.store).clone()
    }

    /// The visible text.
    #[cfg(not(target_arch = "wasm32"))]
    fn text(&self) -> String {
        if self.runs.is_empty() {
            return self.store.clone();
        }
        without_runs(&self.store, &self.runs)
    }
}

/// `store` less the placeholder runs `runs` ((byte offset, count), in order,
/// on character boundaries: placeholders are NULs).
#[cfg(not(target_arch = "wasm32"))]
fn without_runs(store: &str, runs: &[(usize, usize)]) -> String {
    let placeholders: usize = runs.iter().map(|&(_, n)| n).sum();
    let mut out = String::with_capacity(store.len().saturating_sub(placeholders));
    let mut from = 0;
    for &(at, n) in runs {
        out.push_str(store.get(from..at).unwrap_or_default());
        from = at + n;
    }
    out.push_str(store.get(from..).unwrap_or_default());
    out
}

/// A text sequence, built now or on first use. Reads of the whole text and its
/// lengths do not build it; everything else goes through `Deref`/`DerefMut`,
/// which build it first.
///
/// A built text is a plain variant: every edit pays one discriminant check,
/// where a once-cell read on every deref cost an edit about nine instructions.
/// A pending one may be built through `&self` (a read that needs the tree),
/// so it keeps its cells; the first `&mut` use turns it into `Built`.
// The built variant stays inline: every edit goes through it, and boxing it
// would add a load per edit (the once-cell it replaces was inline too).
#[allow(clippy::large_enum_variant)]
pub(crate) enum LazyText {
    Built(TextSeq),
    Lazy(Box<Cells>),
}

/// A pending text's cells: `built` is filled by whoever builds it first.
#[derive(Default)]
pub(crate) struct Cells {
    built: OnceLock<TextSeq>,
    /// Set only while `built` is empty (taken by whoever builds it).
    pending: Slot<Option<Box<Pending>>>,
}

impl Default for LazyText {
    fn default() -> Self {
        Self::Built(TextSeq::default())
    }
}

impl LazyText {
    pub(crate) fn built(seq: TextSeq) -> Self {
        Self::Built(seq)
    }

    /// A text whose spans were checked, with `store` its content (as
    /// [`Checked::build`] takes it) and `visible` its text if that differs.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn pending(checked: Checked, store: String, visible: Option<String>) -> Self {
        let totals = checked.totals();
        Self::Lazy(Box::new(Cells {
            built: OnceLock::new(),
            pending: Slot::new(Some(Box::new(Pending {
                checked,
                store,
                visible,
                totals,
            }))),
        }))
    }

    /// [`LazyText::pending`] natively, with `runs` where `store`'s
    /// placeholders are (byte offset, count; empty if it has none) and
    /// `totals` its visible characters and UTF-16 units (as
    /// [`Checked::totals`] gives them), counted by the decoder.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn pending_runs(
        checked: Checked,
        store: String,
        runs: Vec<(usize, usize)>,
        totals: (usize, usize),
    ) -> Self {
        debug_assert_eq!(totals, checked.totals());
        Self::Lazy(Box::new(Cells {
            built: OnceLock::new(),
            pending: Slot::new(Some(Box::new(Pending {
                checked,
                store,
                runs,
                totals,
            }))),
        }))
    }

    /// Whether the tree is still to be built (for tests and benchmarks).
    pub(crate) fn is_pending(&self) -> bool {
        match self {
            Self::Built(_) => false,
            Self::Lazy(c) => c.built.get().is_none(),
        }
    }

    /// The sequence, built now if it was not.
    #[inline]
    fn get(&self) -> &TextSeq {
        match self {
            Self::Built(seq) => seq,
            Self::Lazy(c) => c.get(),
        }
    }

    /// The built sequence, by value, building it if need be (out of line:
    /// only a text's first edit after loading comes here).
    #[cold]
    #[inline(never)]
    fn make_built(&mut self) {
        if let Self::Lazy(c) = self {
            let seq = match c.built.take() {
                Some(seq) => seq,
                None => c.take_built(),
            };
            *self = Self::Built(seq);
        }
    }

    /// The text and its lengths, without building, while pending.
    fn peek<R>(&self, f: impl FnOnce(&Pending) -> R) -> Option<R> {
        match self {
            Self::Built(_) => None,
            Self::Lazy(c) => c.peek(f),
        }
    }

    /// The visible text.
    pub(crate) fn text(&self) -> String {
        self.peek(Pending::text)
            .unwrap_or_else(|| self.get().text())
    }

    /// Number of visible characters.
    pub(crate) fn len(&self) -> usize {
        self.peek(|p| p.totals.0)
            .unwrap_or_else(|| self.get().len())
    }

    /// Visible length in UTF-16 code units.
    pub(crate) fn len_utf16(&self) -> usize {
        self.peek(|p| p.totals.1)
            .unwrap_or_else(|| self.get().len_utf16())
    }
}

impl Cells {
    #[cfg(not(target_arch = "wasm32"))]
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Box<Pending>>> {
        // Building never panics, so the lock is never poisoned; if it were,
        // what it guards is still whole.
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    // Never borrowed twice at once: each borrow ends within the call, and
    // building (inside one) does not reach this text again.
    #[cfg(target_arch = "wasm32")]
    fn lock(&self) -> std::cell::RefMut<'_, Option<Box<Pending>>> {
        self.pending.borrow_mut()
    }

    #[inline]
    fn get(&self) -> &TextSeq {
        match self.built.get() {
            Some(seq) => seq,
            None => self.build(),
        }
    }

    #[cold]
    #[inline(never)]
    fn build(&self) -> &TextSeq {
        self.built.get_or_init(|| self.take_built())
    }

    /// Builds the pending text (an empty one if it was taken already).
    fn take_built(&self) -> TextSeq {
        match self.lock().take() {
            Some(p) => p.build(),
            None => TextSeq::default(),
        }
    }

    fn peek<R>(&self, f: impl FnOnce(&Pending) -> R) -> Option<R> {
        if self.built.get().is_some() {
            return None;
        }
        self.lock().as_deref().map(f)
    }
}

impl Deref for LazyText {
    type Target = TextSeq;

    fn deref(&self) -> &TextSeq {
        self.get()
    }
}

impl DerefMut for LazyText {
    #[inline]
    fn deref_mut(&mut self) -> &mut TextSeq {
        if let Self::Lazy(_) = self {
            self.make_built();
        }
        match self {
            Self::Built(seq) => seq,
            // `make_built` has just made it so.
            Self::Lazy(_) => unreachable!(),
        }
    }
}

impl Clone for LazyText {
    /// Builds the text first: a copy of a document is made to be worked on.
    fn clone(&self) -> Self {
        Self::Built(self.get().clone())
    }
}

impl std::fmt::Debug for LazyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Built(seq) => seq.fmt(f),
            Self::Lazy(c) => match c.built.get() {
                Some(seq) => seq.fmt(f),
                None => f.write_str("LazyText(pending)"),
            },
        }
    }
}
