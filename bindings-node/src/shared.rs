//! One document shared by its `WeftDoc` object and every container object opened
//! from it: containers keep the document alive, and `free()` on the document
//! empties the slot so that they report `WEFT_FREED`.

use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use weft_core::Doc;

use crate::error::{coded, freed, Res};

/// What a document object holds.
// One slot per document: boxing the live document would only add an indirection
// to every call.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Slot {
    Live(Doc),
    /// Released by `free()`.
    Freed,
    /// A call panicked inside the core: its state cannot be trusted any more.
    Poisoned,
}

/// `None`: this object was freed.
pub(crate) type Handle = Option<Rc<RefCell<Slot>>>;

pub(crate) fn new_handle(doc: Doc) -> Handle {
    Some(Rc::new(RefCell::new(Slot::Live(doc))))
}

/// Frees the document behind `h` for every object that shares it.
pub(crate) fn free(h: &mut Handle) {
    if let Some(cell) = h.take() {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            if let Slot::Live(_) = *slot {
                *slot = Slot::Freed;
            }
        }
    }
}

fn poisoned() -> napi::Error<crate::error::Code> {
    coded(
        "WEFT_PANIC",
        "an internal error stopped this document (a bug in Weft, please report it): \
         open it again from its last export",
    )
}

/// Runs `f` on the document, or fails with `WEFT_FREED`. A panic in the core
/// becomes a `WEFT_PANIC` error instead of ending the process, and poisons this
/// document (other documents are untouched).
#[inline]
pub(crate) fn with_doc<R>(h: &Handle, f: impl FnOnce(&mut Doc) -> R) -> Res<R> {
    let cell = h.as_ref().ok_or_else(freed)?;
    // Values are converted before and after the borrow, never inside it, so no
    // JavaScript runs while it is held; a failure here is a bug, not a user error.
    let mut slot = cell
        .try_borrow_mut()
        .map_err(|_| coded("WEFT_PANIC", "re-entrant call into a document"))?;
    let doc = match &mut *slot {
        Slot::Live(doc) => doc,
        Slot::Freed => return Err(freed()),
        Slot::Poisoned => return Err(poisoned()),
    };
    match catch_unwind(AssertUnwindSafe(|| f(doc))) {
        Ok(r) => Ok(r),
        Err(payload) => {
            // Neither the half-changed document nor the payload is dropped: either
            // could panic again in its destructor, which would abort.
            if let Slot::Live(doc) = std::mem::replace(&mut *slot, Slot::Poisoned) {
                std::mem::forget(doc);
            }
            std::mem::forget(payload);
            Err(poisoned())
        }
    }
}

/// Runs a fallible `f` on the document.
#[inline]
pub(crate) fn try_doc<R, E>(
    h: &Handle,
    f: impl FnOnce(&mut Doc) -> Result<R, E>,
    err: impl FnOnce(E) -> napi::Error<crate::error::Code>,
) -> Res<R> {
    with_doc(h, f)?.map_err(err)
}
