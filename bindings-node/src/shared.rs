//! One document shared by its `WeftDoc` object and every container object opened
//! from it: containers keep the document alive, and `free()` on the document
//! empties the cell so that they report `WEFT_FREED`.

use std::cell::RefCell;
use std::rc::Rc;

use weft_core::Doc;

use crate::error::{coded, freed, Res};

/// `None` inside: the document was freed. `None` outside: this object was.
pub(crate) type Handle = Option<Rc<RefCell<Option<Doc>>>>;

/// Runs `f` on the document, or fails with `WEFT_FREED`.
#[inline]
pub(crate) fn with_doc<R>(h: &Handle, f: impl FnOnce(&mut Doc) -> R) -> Res<R> {
    let cell = h.as_ref().ok_or_else(freed)?;
    // Values are converted before and after the borrow, never inside it, so no
    // JavaScript runs while it is held; a failure here is a bug, not a user error.
    let mut guard = cell
        .try_borrow_mut()
        .map_err(|_| coded("WEFT_PANIC", "re-entrant call into a document"))?;
    let doc = guard.as_mut().ok_or_else(freed)?;
    Ok(f(doc))
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
