//! Core errors as JavaScript `Error`s with a stable `code` (napi-rs puts the code
//! of an `Error<Code>` on `error.code`).

use napi::bindgen_prelude::*;
use weft_core::{DecodeError, DocError, ImportError};

/// The stable `code` a thrown error carries.
pub struct Code(&'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

pub(crate) type Res<T> = std::result::Result<T, Error<Code>>;

pub(crate) fn coded(code: &'static str, message: impl Into<String>) -> Error<Code> {
    Error::new(Code(code), message.into())
}

pub(crate) fn freed() -> Error<Code> {
    coded(
        "WEFT_FREED",
        "this object (or its document) was freed: open it again from a live document",
    )
}

pub(crate) fn import_error(e: ImportError) -> Error<Code> {
    coded(e.code(), e.to_string())
}

pub(crate) fn decode_error(e: DecodeError) -> Error<Code> {
    import_error(ImportError::from(e))
}

pub(crate) fn doc_error(e: DocError) -> Error<Code> {
    coded(e.code(), e.to_string())
}

pub(crate) fn invalid(message: impl Into<String>) -> Error<Code> {
    coded("WEFT_INVALID_VALUE", message)
}
