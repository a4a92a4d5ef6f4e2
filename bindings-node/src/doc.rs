//! `WeftDoc`: one replica of a document.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use weft_core::clock::{ClockSource, FixedClock, SystemClock};
use weft_core::encoding::{decode_version, encode_version};
use weft_core::{ContainerId, Doc, ReplicaId, VersionVector};

use crate::containers::{open, AnyContainer, CoreCounter, CoreList, CoreMap, CoreSet, CoreText};
use crate::convert::{self, key, FieldOut, JsOut};
use crate::error::{coded, decode_error, doc_error, import_error, Code};
use crate::events::EventsOut;
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
    #[napi(constructor, ts_args_type = "replica: bigint")]
    pub fn new(replica: Unknown) -> Result<Self, Code> {
        let mut doc = Doc::new(ReplicaId(convert::replica_id(&replica)?));
        doc.set_utf16_events(true);
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

    /// Pins physical time to `ms` (milliseconds since the Unix epoch), for
    /// reproducible bytes in tests and replays; without an argument, reads the
    /// system clock again.
    #[napi(ts_args_type = "ms?: number")]
    pub fn set_clock(&self, ms: Option<Unknown>) -> Result<(), Code> {
        let ms = match ms {
            Some(v) if v.get_type().ok() != Some(ValueType::Undefined) => {
                // SAFETY: the f64 conversion checks the value's type itself.
                Some(unsafe { v.cast::<f64>() }.unwrap_or(f64::NAN))
            }
            _ => None,
        };
        let source: Arc<dyn ClockSource> = match ms {
            Some(ms) if ms >= 0.0 && ms.fract() == 0.0 => Arc::new(FixedClock::new(ms as u64)),
            Some(_) => {
                return Err(crate::error::invalid(
                    "a time is a non-negative integer of ms",
                ))
            }
            None => Arc::new(SystemClock),
        };
        with_doc(&self.doc, |d| d.set_clock(source))
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

    /// Opens (creating if needed) the list in a root field.
    #[napi(ts_args_type = "key: string")]
    pub fn list(&self, k: Unknown) -> Result<CoreList, Code> {
        let k = key(&k)?;
        let id = try_doc(&self.doc, |d| d.list(&k), doc_error)?;
        Ok(CoreList {
            doc: self.doc.clone(),
            id,
        })
    }

    /// Opens (creating if needed) the map in a root field.
    #[napi(ts_args_type = "key: string")]
    pub fn map(&self, k: Unknown) -> Result<CoreMap, Code> {
        let k = key(&k)?;
        let id = try_doc(&self.doc, |d| d.map(&k), doc_error)?;
        Ok(CoreMap {
            doc: self.doc.clone(),
            id,
        })
    }

    /// Opens (creating if needed) the counter in a root field.
    #[napi(ts_args_type = "key: string")]
    pub fn counter(&self, k: Unknown) -> Result<CoreCounter, Code> {
        let k = key(&k)?;
        let id = try_doc(&self.doc, |d| d.counter(&k), doc_error)?;
        Ok(CoreCounter {
            doc: self.doc.clone(),
            id,
        })
    }

    /// Opens (creating if needed) the add-wins set in a root field.
    #[napi(ts_args_type = "key: string")]
    pub fn or_set(&self, k: Unknown) -> Result<CoreSet, Code> {
        let k = key(&k)?;
        let id = try_doc(&self.doc, |d| d.or_set(&k), doc_error)?;
        Ok(CoreSet {
            doc: self.doc.clone(),
            id,
        })
    }

    /// Opens a container by its stable id (from a `ContainerRef` or an event).
    #[napi(
        ts_args_type = "id: string",
        ts_return_type = "CoreMap | CoreList | CoreText | CoreCounter | CoreSet"
    )]
    pub fn container(&self, id: Unknown) -> Result<AnyContainer, Code> {
        let unknown = || {
            coded(
                "WEFT_UNKNOWN_CONTAINER",
                "no such container in this document: use an id from a ContainerRef or an event",
            )
        };
        let id = convert::string(&id, "a container id")
            .ok()
            .as_deref()
            .and_then(ContainerId::parse)
            .ok_or_else(unknown)?;
        if !with_doc(&self.doc, |d| d.has_container(&id))? {
            return Err(unknown());
        }
        Ok(open(&self.doc, id))
    }

    /// Starts or stops recording events; `takeEvents` drains them.
    #[napi(ts_args_type = "on: boolean")]
    pub fn record_events(&self, on: Unknown) -> Result<(), Code> {
        let on = match on.get_type().ok() {
            // SAFETY: checked to be a boolean.
            Some(ValueType::Boolean) => unsafe { on.cast::<bool>() }.unwrap_or(false),
            _ => return Err(crate::error::invalid("recordEvents takes a boolean")),
        };
        with_doc(&self.doc, |d| d.record_events(on))
    }

    /// The events recorded since the last call, in the order ops applied.
    #[napi(ts_return_type = "any[]")]
    pub fn take_events(&self) -> Result<EventsOut, Code> {
        with_doc(&self.doc, |d| EventsOut(d.take_events()))
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
