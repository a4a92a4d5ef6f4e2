//! Container objects: each holds its document's handle and the container's id, so
//! a call is one borrow and one core call.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use weft_core::TextId;

use crate::convert::{index, string};
use crate::error::{doc_error, Code};
use crate::shared::{try_doc, with_doc, Handle};

/// Plain or rich text. Indices are UTF-16 code units.
#[napi]
pub struct CoreText {
    pub(crate) doc: Handle,
    pub(crate) id: TextId,
}

#[napi]
impl CoreText {
    /// Stable id, the same on every replica.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"text"`.
    #[napi(getter, ts_return_type = "'text'")]
    pub fn kind(&self) -> &'static str {
        "text"
    }

    /// Releases this object now; further use throws `WEFT_FREED`.
    #[napi]
    pub fn free(&mut self) {
        self.doc = None;
    }

    /// Same as `free()`, for `using`.
    #[napi(js_name = "[Symbol.dispose]")]
    pub fn dispose(&mut self) {
        self.free();
    }

    /// Inserts `text` at UTF-16 offset `index`.
    #[napi(ts_args_type = "index: number, text: string")]
    pub fn insert(&self, at: Unknown, text: Unknown) -> Result<(), Code> {
        let at = index(&at)?;
        let text = string(&text, "inserted text")?;
        try_doc(
            &self.doc,
            |d| d.text_insert_utf16(&self.id, at, &text),
            doc_error,
        )
    }

    /// Deletes `len` UTF-16 code units from `index`.
    #[napi(ts_args_type = "index: number, len: number")]
    pub fn delete(&self, at: Unknown, len: Unknown) -> Result<(), Code> {
        let (at, len) = (index(&at)?, index(&len)?);
        try_doc(
            &self.doc,
            |d| d.text_delete_utf16(&self.id, at, len),
            doc_error,
        )
    }

    /// The length in UTF-16 code units.
    #[napi(getter)]
    pub fn length(&self) -> Result<u32, Code> {
        with_doc(&self.doc, |d| d.text_len_utf16(&self.id) as u32)
    }

    /// The text.
    #[napi(js_name = "toString")]
    pub fn to_string_js(&self) -> Result<String, Code> {
        with_doc(&self.doc, |d| d.text_string(&self.id))
    }
}
