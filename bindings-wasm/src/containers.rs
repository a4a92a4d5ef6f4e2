//! Container objects: each holds its document's handle and the container's id, so
//! a call is one borrow and one core call.

use wasm_bindgen::prelude::*;
use weft_core::TextId;

use crate::convert::index;
use crate::error::doc_error;
use crate::shared::{try_doc, with_doc, Handle};

/// Plain or rich text. Indices are UTF-16 code units.
#[wasm_bindgen]
pub struct CoreText {
    pub(crate) doc: Handle,
    pub(crate) id: TextId,
}

#[wasm_bindgen]
impl CoreText {
    /// Stable id, the same on every replica.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"text"`.
    #[wasm_bindgen(getter, unchecked_return_type = "\"text\"")]
    pub fn kind(&self) -> String {
        "text".into()
    }

    /// Releases this object now; further use throws `WEFT_FREED`.
    #[wasm_bindgen(skip_typescript)]
    pub fn free(&mut self) {
        self.doc = None;
    }

    /// Inserts `text` at UTF-16 offset `index`.
    pub fn insert(&self, index_: f64, text: &str) -> Result<(), JsError> {
        let at = index(index_)?;
        try_doc(
            &self.doc,
            |d| d.text_insert_utf16(&self.id, at, text),
            doc_error,
        )
    }

    /// Deletes `len` UTF-16 code units from `index`.
    pub fn delete(&self, index_: f64, len: f64) -> Result<(), JsError> {
        let (at, len) = (index(index_)?, index(len)?);
        try_doc(
            &self.doc,
            |d| d.text_delete_utf16(&self.id, at, len),
            doc_error,
        )
    }

    /// The length in UTF-16 code units.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> Result<f64, JsError> {
        with_doc(&self.doc, |d| d.text_len_utf16(&self.id) as f64)
    }

    /// The text.
    #[wasm_bindgen(js_name = toString)]
    pub fn to_string_js(&self) -> Result<String, JsError> {
        with_doc(&self.doc, |d| d.text_string(&self.id))
    }
}
