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
    checked: Checked<TextContent>,
    /// The content store: the visible text with short tombstones' placeholders.
    store: String,
    /// The visible text, when `store` holds placeholders (otherwise it is `store`).
    visible: Option<String>,
    /// Visible characters and UTF-16 units.
    totals: (usize, usize),
}

impl Pending {
    fn build(self) -> TextSeq {
        self.checked.build(TextContent::from_text(self.store))
    }
}

/// A text sequence, built now or on first use. Reads of the whole text and its
/// lengths do not build it; everything else goes through `Deref`/`DerefMut`,
/// which build it first.
#[derive(Default)]
pub(crate) struct LazyText {
    built: OnceLock<TextSeq>,
    /// Set only while `built` is empty (taken by whoever builds it).
    pending: Slot<Option<Box<Pending>>>,
}

impl LazyText {
    pub(crate) fn built(seq: TextSeq) -> Self {
        Self {
            built: OnceLock::from(seq),
            pending: Slot::new(None),
        }
    }

    /// A text whose spans were checked, with `store` its content (as
    /// [`Checked::build`] takes it) and `visible` its text if that differs.
    pub(crate) fn pending(
        checked: Checked<TextContent>,
        store: String,
        visible: Option<String>,
    ) -> Self {
        let totals = checked.totals();
        Self {
            built: OnceLock::new(),
            pending: Slot::new(Some(Box::new(Pending {
                checked,
                store,
                visible,
                totals,
            }))),
        }
    }

    /// Whether the tree is still to be built (for tests and benchmarks).
    pub(crate) fn is_pending(&self) -> bool {
        self.built.get().is_none()
    }

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

    /// The sequence, built now if it was not. The check is all that every
    /// edit and read pays: building is out of line.
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
        self.built.get_or_init(|| match self.lock().take() {
            Some(p) => p.build(),
            None => TextSeq::default(),
        })
    }

    /// The text and its lengths, without building, while pending.
    fn peek<R>(&self, f: impl FnOnce(&Pending) -> R) -> Option<R> {
        if self.built.get().is_some() {
            return None;
        }
        self.lock().as_deref().map(f)
    }

    /// The visible text.
    pub(crate) fn text(&self) -> String {
        self.peek(|p| p.visible.as_ref().unwrap_or(&p.store).clone())
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

impl Deref for LazyText {
    type Target = TextSeq;

    fn deref(&self) -> &TextSeq {
        self.get()
    }
}

impl DerefMut for LazyText {
    #[cfg_attr(weft_wasm_speed, inline)]
    fn deref_mut(&mut self) -> &mut TextSeq {
        if self.built.get().is_none() {
            self.build();
        }
        match self.built.get_mut() {
            Some(seq) => seq,
            // `get` has just filled it.
            None => unreachable!(),
        }
    }
}

impl Clone for LazyText {
    /// Builds the text first: a copy of a document is made to be worked on.
    fn clone(&self) -> Self {
        Self::built(self.get().clone())
    }
}

impl std::fmt::Debug for LazyText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.built.get() {
            Some(seq) => seq.fmt(f),
            None => f.write_str("LazyText(pending)"),
        }
    }
}
