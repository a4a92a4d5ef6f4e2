//! Hot-path twins of `text.insert`, `text.delete`, `text.length` and `doc.commit`.
//!
//! A method returning `Result<_, JsError>` makes wasm-bindgen's glue read the
//! outcome back through a `DataView` of the module's memory, and on Node 20 each
//! read checks `memory.buffer`, a slow host getter: two or three of them cost most
//! of a call. These twins return a plain number instead and keep the error here;
//! install.js calls them under the public names and throws `takeError()` when they
//! report one, so callers see the same typed errors. They are hidden from the
//! declarations and removed from the prototypes by install.js.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::containers::CoreText;
use crate::doc::WeftDoc;

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

#[wasm_bindgen]
impl CoreText {
    /// `insert`, returning 1 with the error kept instead of throwing it.
    #[wasm_bindgen(js_name = insertFast, skip_typescript)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn insert_fast(&self, index_: f64, text: &str) -> u32 {
        status(self.insert(index_, text))
    }

    /// `insert` of one UTF-16 code unit that is not a surrogate (the usual
    /// keystroke): it crosses as a number, so the call allocates nothing and is
    /// one entry into the module instead of two (the glue's string copy
    /// allocates in the module's memory first).
    #[wasm_bindgen(js_name = insertUnit, skip_typescript)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn insert_unit(&self, index_: f64, unit: u32) -> u32 {
        match char::from_u32(unit) {
            Some(c) => status(self.insert(index_, c.encode_utf8(&mut [0; 4]))),
            None => status(Err(crate::error::invalid(
                "a single code unit must not be a surrogate".into(),
            ))),
        }
    }

    /// `delete`, returning 1 with the error kept instead of throwing it.
    #[wasm_bindgen(js_name = deleteFast, skip_typescript)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn delete_fast(&self, index_: f64, len: f64) -> u32 {
        status(self.delete(index_, len))
    }

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

#[wasm_bindgen]
impl WeftDoc {
    /// `commit`, returning 1 with the error kept instead of throwing it.
    #[wasm_bindgen(js_name = commitFast, skip_typescript)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn commit_fast(&self) -> u32 {
        status(self.commit())
    }
}
