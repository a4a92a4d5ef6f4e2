//! `WeftDoc`: one replica of a document.

use std::cell::RefCell;
use std::rc::Rc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use weft_core::encoding::{decode_version, encode_version};
use weft_core::{Doc, ReplicaId, VersionVector};

use crate::containers::CoreText;
use crate::convert::{self, key, FieldOut, JsOut};
use crate::error::{decode_error, doc_error, import_error, Code};
use crate::shared::{try_doc, with_doc, Handle};

/// What an import did.
#[napi(object)]
pub struct ImportReport {
    /// Changes applied now.
    pub applied: u32,
    /// Changes waiting in the causal buffer for their dependencies.
    pub buffered: u32,
}

/// A replica of one document.
#[napi(js_name = "WeftDoc")]
pub struct WeftDoc {
    doc: Handle,
}

#[napi]
impl WeftDoc {
    /// An empty document owned by `replica` (a 64-bit id as a bigint).
    #[napi(constructor)]
    pub fn new(replica: BigInt) -> Result<Self, Code> {
        let doc = Doc::new(ReplicaId(convert::replica_id(replica)?));
        Ok(Self {
            doc: Some(Rc::new(RefCell::new(Some(doc)))),
        })
    }

    /// Releases the core's memory now; containers opened from this document and
    /// further calls throw `WEFT_FREED`.
    #[napi]
    pub fn free(&mut self) {
        if let Some(cell) = self.doc.take() {
            if let Ok(mut d) = cell.try_borrow_mut() {
                d.take();
            }
        }
    }

    /// Same as `free()`, for `using`.
    #[napi(js_name = "[Symbol.dispose]")]
    pub fn dispose(&mut self) {
        self.free();
    }

    /// The replica id as a bigint.
    #[napi(getter)]
    pub fn replica(&self) -> Result<BigInt, Code> {
        with_doc(&self.doc, |d| BigInt::from(d.replica().0))
    }

    /// Sets a root field to a JSON-like value (last writer wins).
    #[napi(ts_args_type = "key: string, value: unknown")]
    pub fn set(&self, k: Unknown, value: Unknown) -> Result<(), Code> {
        let k = key(&k)?;
        let v = convert::from_js(&value, 0)?;
        with_doc(&self.doc, |d| d.set(&k, v))
    }

    /// A root field's value or container, or `undefined` if absent.
    #[napi(ts_args_type = "key: string", ts_return_type = "any")]
    pub fn get(&self, k: Unknown) -> Result<FieldOut, Code> {
        let k = key(&k)?;
        with_doc(&self.doc, |d| FieldOut(d.field(&k).cloned()))
    }

    /// Deletes a root field.
    #[napi(ts_args_type = "key: string")]
    pub fn delete(&self, k: Unknown) -> Result<(), Code> {
        let k = key(&k)?;
        with_doc(&self.doc, |d| d.delete(&k))
    }

    /// Names of the root fields that hold something.
    #[napi]
    pub fn keys(&self) -> Result<Vec<String>, Code> {
        with_doc(&self.doc, |d| d.keys().map(str::to_owned).collect())
    }

    /// The whole document as plain JSON-like data (containers expanded).
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> Result<JsOut, Code> {
        with_doc(&self.doc, |d| JsOut(d.to_value()))
    }

    /// Opens (creating if needed) the text in a root field.
    #[napi(ts_args_type = "key: string")]
    pub fn text(&self, k: Unknown) -> Result<CoreText, Code> {
        let k = key(&k)?;
        let id = try_doc(&self.doc, |d| d.text(&k), doc_error)?;
        Ok(CoreText {
            doc: self.doc.clone(),
            id,
        })
    }

    /// Seals pending local ops into a change.
    #[napi]
    pub fn commit(&self) -> Result<(), Code> {
        with_doc(&self.doc, |d| {
            d.commit();
        })
    }

    /// The encoded version vector (what this replica has seen).
    #[napi]
    pub fn version(&self) -> Result<Uint8Array, Code> {
        with_doc(&self.doc, |d| Uint8Array::new(encode_version(d.version())))
    }

    /// Changes a peer at `since` (an encoded version) lacks, as bytes.
    #[napi(ts_args_type = "since?: Uint8Array")]
    pub fn export_changes(&self, since: Option<Unknown>) -> Result<Uint8Array, Code> {
        let since = match since {
            Some(v) if v.get_type().ok() != Some(ValueType::Undefined) => {
                decode_version(&convert::bytes(&v)?).map_err(decode_error)?
            }
            _ => VersionVector::new(),
        };
        with_doc(&self.doc, |d| Uint8Array::new(d.export_changes(&since)))
    }

    /// The whole document with its history.
    #[napi]
    pub fn export_snapshot(&self) -> Result<Uint8Array, Code> {
        with_doc(&self.doc, |d| Uint8Array::new(d.export_snapshot()))
    }

    /// The current state only, for a fast first load.
    #[napi]
    pub fn export_state(&self) -> Result<Uint8Array, Code> {
        with_doc(&self.doc, |d| Uint8Array::new(d.export_state()))
    }

    /// Merges any encoded bytes; on error nothing changes.
    #[napi(ts_args_type = "bytes: Uint8Array")]
    pub fn import(&self, bytes: Unknown) -> Result<ImportReport, Code> {
        let bytes = convert::bytes(&bytes)?;
        let r = try_doc(&self.doc, |d| d.import(&bytes), import_error)?;
        Ok(ImportReport {
            applied: r.applied as u32,
            buffered: r.buffered as u32,
        })
    }
}
