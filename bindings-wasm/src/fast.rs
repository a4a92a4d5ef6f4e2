//! Hot-path twins of `text.insert`, `text.delete`, `text.length` and `doc.commit`.
//!
//! A method returning `Result<_, JsError>` makes wasm-bindgen's glue read the
//! outcome back through a `DataView` of the module's memory, and on Node 20 each
//! read checks `memory.buffer`, a slow host getter: two or three of them cost most
//! of a call. These twins return a plain number instead and keep the error here;
//! install.js calls them under the public names and throws `takeError()` when they
//! report one, so callers see the same typed errors. They are hidden from the
//! declarations: `lengthFast` is removed from the prototype by install.js; the
//! others are free functions taking the object's pointer (see [`object`]), under
//! the names their method twins had (the module's exports are unchanged).
//!
//! Each twin is `inline(never)` in the speed build: wasm-bindgen calls it from
//! a wrapper closure that carries no `optimize(speed)`, and LLVM, inlining the
//! twin's one call there, compiled its body for size (the object's borrow, the
//! text's `insert` left as calls). Kept apart, the body is built for speed;
//! wasm-opt still joins the two afterwards (one caller), so the module has no
//! more functions or calls than before (docs/benchmarks.md, `wasmspeed9`).

use std::cell::RefCell;

use wasm_bindgen::__rt::{Ref, WasmRefCell};
use wasm_bindgen::prelude::*;

use crate::containers::CoreText;
use crate::doc::WeftDoc;
use crate::error::freed;

thread_local! {
    /// The error of the last fast call that failed, until `takeError()` takes it.
    static LAST: RefCell<Option<JsError>> = const { RefCell::new(None) };
}

/// 0 when `r` is `Ok`; otherwise keeps the error and returns 1.
#[cfg_attr(weft_wasm_speed, optimize(speed))]
#[cfg_attr(weft_wasm_speed, inline)]
fn status(r: Result<(), JsError>) -> u32 {
    match r {
        Ok(()) => 0,
        Err(e) => {
            LAST.with(|c| *c.borrow_mut() = Some(e));
            1
        }
    }
}

/// The error the last failed fast call kept (`undefined` if none).
#[wasm_bindgen(js_name = takeError, skip_typescript)]
pub fn take_error() -> JsValue {
    LAST.with(|c| c.borrow_mut().take())
        .map_or(JsValue::UNDEFINED, JsValue::from)
}

/// The object behind a JavaScript wrapper's `__wbg_ptr`, borrowed for one call
/// (`None` for the 0 of a wrapper whose object was taken).
///
/// wasm-bindgen's own `&self` shims do the same through `RefFromWasmAbi`, plus a
/// reference count held for the call (in case JavaScript run by the call freed
/// the object) and three calls that a size-built module keeps out of line: about
/// 90 instructions per crossing (docs/benchmarks.md, branch `wasmspeed4`).
/// Nothing can deallocate the object during these calls: the wrapper is alive
/// (it is `this`), so its FinalizationRegistry entry cannot run, and the
/// classes' own `free()` methods take the place of the glue's generated one
/// (the one call that drops the object): they only empty the handle through
/// `&mut self`, which the borrow kept here refuses (wasm-bindgen's
/// `borrow_fail`) should JavaScript run by the call (the clock, an error's
/// construction) re-enter.
///
/// # Safety
///
/// `ptr` is the `__wbg_ptr` of a live wrapper of a `T` from this instance
/// (install.js checks its `__wbg_inst` first): wasm-bindgen made it with
/// `Rc::into_raw(Rc::new(WasmRefCell::new(value)))` and keeps it alive until
/// the wrapper is freed or collected, which cannot happen during the call.
#[inline(always)]
unsafe fn object<'a, T>(ptr: u32) -> Option<Ref<'a, T>> {
    // SAFETY: see above; a null pointer becomes `None`.
    let cell = unsafe { (ptr as usize as *const WasmRefCell<T>).as_ref() }?;
    Some(cell.borrow())
}

/// `text.insert`, returning 1 with the error kept instead of throwing it. Called
/// with the text's `__wbg_ptr` (see [`object`]); the export keeps the name and
/// signature of the method it replaced, so the declarations are unchanged.
#[wasm_bindgen(js_name = coretext_insertFast, skip_typescript)]
#[cfg_attr(weft_wasm_speed, optimize(speed), inline(never))]
pub fn insert_fast(text: u32, index_: f64, s: &str) -> u32 {
    // SAFETY: install.js passes a live CoreText's pointer (see `object`).
    match unsafe { object::<CoreText>(text) } {
        Some(t) => status(t.insert(index_, s)),
        None => status(Err(freed())),
    }
}

/// `insert` of one UTF-16 code unit that is not a surrogate (the usual
/// keystroke): it crosses as a number, so the call allocates nothing and is
/// one entry into the module instead of two (the glue's string copy
/// allocates in the module's memory first).
#[wasm_bindgen(js_name = coretext_insertUnit, skip_typescript)]
#[cfg_attr(weft_wasm_speed, optimize(speed), inline(never))]
pub fn insert_unit(text: u32, index_: f64, unit: u32) -> u32 {
    // SAFETY: install.js passes a live CoreText's pointer (see `object`).
    let Some(t) = (unsafe { object::<CoreText>(text) }) else {
        return status(Err(freed()));
    };
    let mut utf8 = [0; 4];
    let s: &str = if unit < 0x80 {
        // ASCII, the usual keystroke: its one byte is the UTF-8 (no encoder call).
        utf8[0] = unit as u8;
        // SAFETY: one byte below 0x80 is valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(&utf8[..1]) }
    } else {
        match char::from_u32(unit) {
            Some(c) => c.encode_utf8(&mut utf8),
            None => {
                return status(Err(crate::error::invalid(
                    "a single code unit must not be a surrogate".into(),
                )))
            }
        }
    };
    // One call site: `CoreText::insert` is inlined here once.
    status(t.insert(index_, s))
}

/// `text.delete`, returning 1 with the error kept instead of throwing it.
#[wasm_bindgen(js_name = coretext_deleteFast, skip_typescript)]
#[cfg_attr(weft_wasm_speed, optimize(speed))]
pub fn delete_fast(text: u32, index_: f64, len: f64) -> u32 {
    // SAFETY: install.js passes a live CoreText's pointer (see `object`).
    match unsafe { object::<CoreText>(text) } {
        Some(t) => status(t.delete(index_, len)),
        None => status(Err(freed())),
    }
}

/// `doc.commit`, returning 1 with the error kept instead of throwing it.
#[wasm_bindgen(js_name = weftdoc_commitFast, skip_typescript)]
#[cfg_attr(weft_wasm_speed, optimize(speed), inline(never))]
pub fn commit_fast(doc: u32) -> u32 {
    // SAFETY: install.js passes a live WeftDoc's pointer (see `object`).
    match unsafe { object::<WeftDoc>(doc) } {
        Some(d) => status(d.commit()),
        None => status(Err(freed())),
    }
}

#[wasm_bindgen]
impl CoreText {
    /// `length`, or -1 with the error kept.
    #[wasm_bindgen(js_name = lengthFast, skip_typescript)]
    pub fn length_fast(&self) -> f64 {
        match self.length() {
            Ok(n) => n,
            Err(e) => {
                status(Err(e));
                -1.0
            }
        }
    }
}
