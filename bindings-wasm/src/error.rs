//! Core errors as JavaScript `Error`s with a stable `code`.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use weft_core::{DecodeError, DocError, ImportError};

/// An `Error` carrying `code`, so callers branch without parsing messages.
pub(crate) fn coded(code: &str, message: String) -> JsError {
    let err = JsError::new(&message);
    let js: JsValue = err.clone().into();
    let _ = Reflect::set(&js, &"code".into(), &code.into());
    err
}

pub(crate) fn freed() -> JsError {
    coded(
        "WEFT_FREED",
        "this object (or its document) was freed: open it again from a live document".into(),
    )
}

pub(crate) fn import_error(e: ImportError) -> JsError {
    coded(e.code(), e.to_string())
}

pub(crate) fn decode_error(e: DecodeError) -> JsError {
    import_error(ImportError::from(e))
}

pub(crate) fn doc_error(e: DocError) -> JsError {
    coded(e.code(), e.to_string())
}

pub(crate) fn invalid(message: String) -> JsError {
    coded("WEFT_INVALID_VALUE", message)
}
