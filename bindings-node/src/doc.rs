//! `WeftDoc`: one replica of a document.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use weft_core::clock::{ClockSource, FixedClock, SystemClock};
use weft_core::encoding::{decode_version, encode_version};
use weft_core::{ContainerId, Cursor, Doc, ReplicaId, VersionVector};

use crate::containers::{open, AnyContainer, CoreCounter, CoreList, CoreMap, CoreSet, CoreText};
use crate::convert::{self, key, FieldOut, JsOut};
use crate::error::{coded, decode_error, doc_error, import_error, Code};
use crate::events::EventsOut;
use crate::fast::Slot;
use crate::shared::{free, new_handle, try_doc, with_doc, Handle};

/// What an import did.
#[napi(object)]
pub struct ImportReport {
    /// Changes applied now.
    pub applied: u32,
    /// Changes waiting in the causal buffer for their dependencies.
    pub buffered: u32,
}

/// Where the caret belongs after an undo or redo.
#[napi(object)]
pub struct UndoOutcome {
    /// The container the undone change touched, if it was a text or a list.
    pub container: Option<String>,
    /// The caret's index in it (UTF-16 units for text).
    pub index: Option<u32>,
}

/// The caret of an undo or redo: the container, and its index in UTF-16 units
/// for a text (read while the document is borrowed).
fn caret(d: &Doc, o: Option<weft_core::UndoOutcome>) -> Option<UndoOutcome> {
    let o = o?;
    Some(match o.caret {
        Some(c) => UndoOutcome {
            index: Some(d.cursor_index_utf16(&c.cursor).unwrap_or(c.index) as u32),
            container: Some(c.cursor.container.to_id_string()),
        },
        None => UndoOutcome {
            container: None,
            index: None,
        },
    })
}

/// A replica of one document.
#[napi(js_name = "WeftDoc")]
pub struct WeftDoc {
    doc: Handle,
    /// Where fast.rs finds this document (see there).
    fast: Slot,
}

#[napi]
impl WeftDoc {
    /// An empty document owned by `replica` (a 64-bit id as a bigint).
    #[napi(constructor, ts_args_type = "replica: bigint")]
    pub fn new(replica: Unknown) -> Result<Self, Code> {
        let mut doc = Doc::new(ReplicaId(convert::replica_id(&replica)?));
        doc.set_utf16_events(true);
        // The contract's undo() covers every local edit: recording is on unless
        // a caller opts out (setUndoEnabled(false), e.g. for benchmarks).
        doc.set_undo_enabled(true);
        Ok(Self {
            doc: new_handle(doc),
            fast: Slot::default(),
        })
    }

    /// Releases the core's memory now; containers opened from this document and
    /// further calls throw `WEFT_FREED`.
    #[napi]
    pub fn free(&mut self) {
        free(&mut self.doc);
        self.fast.release();
    }

    /// This document's slot for the fast calls of weft.js (see fast.rs).
    #[napi(js_name = "__fastSlot", skip_typescript)]
    pub fn fast_slot(&self) -> f64 {
        self.fast.get(&self.doc, None)
    }

    /// Panics inside the core, to test that a panic becomes a `WEFT_PANIC` error
    /// and poisons only this document. Not part of the API.
    #[napi(js_name = "__debugPanic", skip_typescript)]
    pub fn debug_panic(&self) -> Result<(), Code> {
        with_doc(&self.doc, |_| panic!("__debugPanic"))
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
            fast: Slot::default(),
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
        let on = convert::boolean(&on, "recordEvents")?;
        with_doc(&self.doc, |d| d.record_events(on))
    }

    /// The events recorded since the last call, in the order ops applied.
    #[napi(ts_return_type = "any[]")]
    pub fn take_events(&self) -> Result<EventsOut, Code> {
        with_doc(&self.doc, |d| EventsOut(d.take_events()))
    }

    /// The UTF-16 index (element index for a list) a stable position resolves to now.
    #[napi(ts_args_type = "cursor: Uint8Array")]
    pub fn cursor_index(&self, cursor: Unknown) -> Result<u32, Code> {
        let cursor = Cursor::decode(&convert::bytes(&cursor)?).map_err(decode_error)?;
        let i = try_doc(&self.doc, |d| d.cursor_index_utf16(&cursor), doc_error)?;
        Ok(i as u32)
    }

    /// Declares an application mark's expand policy (built-ins are predefined).
    #[napi(ts_args_type = "name: string, expand: 'none' | 'before' | 'after' | 'both'")]
    pub fn define_mark(&self, name: Unknown, expand: Unknown) -> Result<(), Code> {
        let name = convert::string(&name, "a mark name")?;
        let expand = convert::expand(&expand)?;
        with_doc(&self.doc, |d| d.define_mark(&name, expand))
    }

    /// Undoes this replica's last change group; `undefined` if there is none.
    #[napi(ts_return_type = "UndoOutcome | undefined")]
    pub fn undo(&self) -> Result<Either<UndoOutcome, Undefined>, Code> {
        let out = try_doc(&self.doc, |d| d.undo().map(|o| caret(d, o)), doc_error)?;
        Ok(out.map_or(Either::B(()), Either::A))
    }

    /// Redoes the last undone change group; `undefined` if there is none.
    #[napi(ts_return_type = "UndoOutcome | undefined")]
    pub fn redo(&self) -> Result<Either<UndoOutcome, Undefined>, Code> {
        let out = try_doc(&self.doc, |d| d.redo().map(|o| caret(d, o)), doc_error)?;
        Ok(out.map_or(Either::B(()), Either::A))
    }

    /// Whether there is something to undo.
    #[napi]
    pub fn can_undo(&self) -> Result<bool, Code> {
        with_doc(&self.doc, |d| d.can_undo())
    }

    /// Whether there is something to redo.
    #[napi]
    pub fn can_redo(&self) -> Result<bool, Code> {
        with_doc(&self.doc, |d| d.can_redo())
    }

    /// Local changes closer than this (ms) are undone together.
    #[napi(ts_args_type = "ms: number")]
    pub fn set_undo_window(&self, ms: Unknown) -> Result<(), Code> {
        let ms = convert::index(&ms)
            .map_err(|_| crate::error::invalid("an undo window is a non-negative integer of ms"))?;
        with_doc(&self.doc, |d| d.set_undo_window_ms(ms as u64))
    }

    /// Groups everything until `undoGroupEnd` into one undo step.
    #[napi]
    pub fn undo_group_begin(&self) -> Result<(), Code> {
        with_doc(&self.doc, |d| d.undo_group_begin())
    }

    /// Ends the group `undoGroupBegin` started.
    #[napi]
    pub fn undo_group_end(&self) -> Result<(), Code> {
        with_doc(&self.doc, |d| d.undo_group_end())
    }

    /// Turns undo recording on (the default) or off; off, local edits cost less
    /// and `undo()` has nothing to undo.
    #[napi(ts_args_type = "on: boolean")]
    pub fn set_undo_enabled(&self, on: Unknown) -> Result<(), Code> {
        let on = convert::boolean(&on, "setUndoEnabled")?;
        with_doc(&self.doc, |d| d.set_undo_enabled(on))
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
