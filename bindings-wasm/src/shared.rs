//! One document shared by its `WeftDoc` object and every container object opened
//! from it: containers keep the document alive, and `free()` on the document
//! empties the cell so that they report `WEFT_FREED` instead of reading freed memory.

use std::cell::{RefCell, RefMut};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use weft_core::Doc;

use crate::error::{coded, freed};

/// `None` inside: the document was freed. `None` outside: this object was.
pub(crate) type Handle = Option<Rc<RefCell<Option<Doc>>>>;

/// The document behind `h`, borrowed, or `WEFT_FREED`. Not inlined: every export
/// goes through it, and a copy of these checks in each of them cost about 10 KB of
/// WASM. Except in the few functions built for speed (text edits, commit): a
/// size-built caller never takes an inline hint.
#[cfg_attr(not(weft_wasm_speed), inline(never))]
#[cfg_attr(weft_wasm_speed, inline)]
#[cfg_attr(weft_wasm_speed, optimize(speed))]
fn borrow(h: &Handle) -> Result<RefMut<'_, Doc>, JsError> {
    let cell = h.as_ref().ok_or_else(freed)?;
    // Values are converted before and after the borrow, never inside it, so no
    // JavaScript runs while it is held; a failure here is a bug, not a user error.
    let guard = cell
        .try_borrow_mut()
        .map_err(|_| coded("WEFT_PANIC", "re-entrant call into a document".into()))?;
    RefMut::filter_map(guard, Option::as_mut).map_err(|_| freed())
}

/// Runs `f` on the document, or fails with `WEFT_FREED`.
#[inline]
pub(crate) fn with_doc<R>(h: &Handle, f: impl FnOnce(&mut Doc) -> R) -> Result<R, JsError> {
    let mut doc = borrow(h)?;
    Ok(f(&mut doc))
}

/// Runs a fallible `f` on the document.
#[inline]
pub(crate) fn try_doc<R, E>(
    h: &Handle,
    f: impl FnOnce(&mut Doc) -> Result<R, E>,
    err: impl FnOnce(E) -> JsError,
) -> Result<R, JsError> {
    with_doc(h, f)?.map_err(err)
}
