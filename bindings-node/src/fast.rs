//! Hot-path functions for `text.insert`, `text.delete`, `text.length` and
//! `doc.commit`.
//!
//! napi-rs (3.16) records every `&self` method call in a process-wide borrow table
//! (a mutex-guarded hash map, plus allocations) before running it: most of the cost
//! of a near-empty call. Free functions taking plain values skip that. Each object
//! that uses them gets a numeric slot once (`__fastSlot`, cached by weft.js on the
//! object) naming its document handle and text here; the object removes its slot
//! when freed or collected, so a slot never outlives it and is never reused.

// The #[napi] exports are only reachable from JavaScript: a unit-test build of
// the crate sees them as unused.
#![cfg_attr(test, allow(dead_code))]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use weft_core::TextId;

use crate::convert::{index, string};
use crate::error::{doc_error, freed, Code, Res};
use crate::shared::{try_doc, with_doc, Handle};

struct Entry {
    doc: Handle,
    text: Option<TextId>,
}

thread_local! {
    static SLOTS: RefCell<HashMap<u64, Entry>> = RefCell::new(HashMap::new());
    static NEXT: Cell<u64> = const { Cell::new(1) };
}

/// The slot of an object: 0 until it first asks for one.
#[derive(Default)]
pub(crate) struct Slot(Cell<u64>);

impl Slot {
    /// This object's slot, registering `doc` (and `text`) on first use.
    pub(crate) fn get(&self, doc: &Handle, text: Option<&TextId>) -> f64 {
        if self.0.get() == 0 {
            let id = NEXT.with(|n| {
                let id = n.get();
                n.set(id + 1);
                id
            });
            SLOTS.with(|s| {
                s.borrow_mut().insert(
                    id,
                    Entry {
                        doc: doc.clone(),
                        text: text.cloned(),
                    },
                )
            });
            self.0.set(id);
        }
        // Ids stay far below 2^53: exact as a JavaScript number.
        self.0.get() as f64
    }

    /// Forgets the slot: calls through it report `WEFT_FREED` from now on.
    pub(crate) fn release(&self) {
        let id = self.0.replace(0);
        if id != 0 {
            // During thread teardown the table may be gone already: nothing to remove.
            let _ = SLOTS.try_with(|s| s.borrow_mut().remove(&id));
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.release();
    }
}

/// Runs `f` with the document handle and text of `slot`, or fails with `WEFT_FREED`.
fn with_slot<R>(slot: f64, f: impl FnOnce(&Handle, Option<&TextId>) -> Res<R>) -> Res<R> {
    // The handle is cloned out so that no table borrow is held while the core runs.
    let (doc, text) = SLOTS
        .with(|s| {
            s.borrow()
                .get(&(slot as u64))
                .map(|e| (e.doc.clone(), e.text.clone()))
        })
        .ok_or_else(freed)?;
    f(&doc, text.as_ref())
}

fn text_of(t: Option<&TextId>) -> Res<&TextId> {
    t.ok_or_else(freed)
}

/// `text.insert` through a slot.
#[napi(js_name = "__textInsert", skip_typescript)]
pub fn text_insert(slot: f64, at: Unknown, text: Unknown) -> Result<(), Code> {
    let at = index(&at)?;
    let text = string(&text, "inserted text")?;
    with_slot(slot, |doc, t| {
        let t = text_of(t)?;
        try_doc(doc, |d| d.text_insert_utf16(t, at, &text), doc_error)
    })
}

/// `text.delete` through a slot.
#[napi(js_name = "__textDelete", skip_typescript)]
pub fn text_delete(slot: f64, at: Unknown, len: Unknown) -> Result<(), Code> {
    let (at, len) = (index(&at)?, index(&len)?);
    with_slot(slot, |doc, t| {
        let t = text_of(t)?;
        try_doc(doc, |d| d.text_delete_utf16(t, at, len), doc_error)
    })
}

/// `text.length` through a slot.
#[napi(js_name = "__textLength", skip_typescript)]
pub fn text_length(slot: f64) -> Result<u32, Code> {
    with_slot(slot, |doc, t| {
        let t = text_of(t)?;
        with_doc(doc, |d| d.text_len_utf16(t) as u32)
    })
}

/// `doc.commit` through a slot.
#[napi(js_name = "__docCommit", skip_typescript)]
pub fn doc_commit(slot: f64) -> Result<(), Code> {
    with_slot(slot, |doc, _| {
        with_doc(doc, |d| {
            d.commit();
        })
    })
}
