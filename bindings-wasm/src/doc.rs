//! `WeftDoc`: one replica of a document.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use weft_core::clock::{ClockSource, FixedClock};
use weft_core::encoding::{decode_version, encode_version};
use weft_core::{
    ContainerId, ContainerKind, Cursor, Doc, ImportReport, ReplicaId, UndoOutcome, VersionVector,
};

use crate::containers::open;
use crate::convert::{self, key};
use crate::error::{coded, decode_error, doc_error, import_error, invalid};
use crate::events::event;
use crate::shared::{try_doc, with_doc, Handle};

/// A replica of one document.
#[wasm_bindgen(js_name = WeftDoc)]
pub struct WeftDoc {
    pub(crate) doc: Handle,
}

thread_local! {
    /// The host's time, read once per task (see `setHostClock`); negative when
    /// it must be read again.
    static TASK_MS: Cell<f64> = const { Cell::new(-1.0) };
    /// What install.js gave to have the reading above dropped once the current
    /// task ends.
    static EXPIRE_LATER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Lets hybrid logical clocks read `Date.now()` once per task: `expire_later` is
/// called when a reading is kept, and must arrange for `expireHostClock()` to be
/// called once the current task is over (install.js queues a microtask). Every
/// change opened reads the clock, and reading it per keystroke cost more than the
/// edit; within one synchronous task the stamps share a millisecond and the
/// clock's logical counter orders them. Without it, every read is `Date.now()`.
#[wasm_bindgen(js_name = setHostClock, skip_typescript)]
pub fn set_host_clock(expire_later: js_sys::Function) {
    TASK_MS.with(|t| t.set(-1.0));
    EXPIRE_LATER.with(|c| *c.borrow_mut() = Some(expire_later));
}

/// Drops the reading kept for the task that just ended.
#[wasm_bindgen(js_name = expireHostClock, skip_typescript)]
pub fn expire_host_clock() {
    TASK_MS.with(|t| t.set(-1.0));
}

/// The host's time: kept for the current task when install.js set that up.
#[cfg(target_arch = "wasm32")]
fn host_now() -> u64 {
    let kept = TASK_MS.with(Cell::get);
    if kept >= 0.0 {
        return kept as u64;
    }
    let now = js_sys::Date::now();
    EXPIRE_LATER.with(|c| {
        if let Some(f) = c.borrow().as_ref() {
            if f.call0(&JsValue::UNDEFINED).is_ok() {
                TASK_MS.with(|t| t.set(now));
            }
        }
    });
    now as u64
}

/// The std clock has no time source in wasm32-unknown-unknown: hybrid logical
/// clocks read the host's instead.
fn host_clock() -> Arc<dyn ClockSource> {
    #[cfg(target_arch = "wasm32")]
    return Arc::new(host_now);
    #[cfg(not(target_arch = "wasm32"))]
    return Arc::new(weft_core::clock::SystemClock);
}

/// Where the caret of an undo or redo belongs: the container, and its index in
/// UTF-16 units for a text (read while the document is borrowed).
fn caret(d: &Doc, o: Option<UndoOutcome>) -> Option<(Option<String>, Option<f64>)> {
    let o = o?;
    Some(match o.caret {
        Some(c) => {
            let index = d.cursor_index_utf16(&c.cursor).unwrap_or(c.index);
            (Some(c.cursor.container.to_id_string()), Some(index as f64))
        }
        None => (None, None),
    })
}

fn outcome(o: Option<(Option<String>, Option<f64>)>) -> JsValue {
    let Some((container, index)) = o else {
        return JsValue::UNDEFINED;
    };
    let obj = Object::new();
    if let Some(c) = container {
        let _ = Reflect::set(&obj, &"container".into(), &c.into());
    }
    if let Some(i) = index {
        let _ = Reflect::set(&obj, &"index".into(), &i.into());
    }
    obj.into()
}

fn report(r: ImportReport) -> JsValue {
    let obj = Object::new();
    let _ = Reflect::set(&obj, &"applied".into(), &(r.applied as f64).into());
    let _ = Reflect::set(&obj, &"buffered".into(), &(r.buffered as f64).into());
    obj.into()
}

impl WeftDoc {
    /// The root field `k`'s container of `kind` (created if absent), as the
    /// object of its class: one copy for the five openers below. They return it
    /// as a `JsValue` (declared as their class), which `open` makes as
    /// `container` does: a typed return made each export carry its own copy of
    /// the object's construction and conversion, about 330 bytes each.
    #[inline(never)]
    fn root(&self, k: &JsValue, kind: ContainerKind) -> Result<JsValue, JsError> {
        let k = key(k)?;
        let id = try_doc(&self.doc, |d| d.root_container(&k, kind), doc_error)?;
        Ok(open(&self.doc, id))
    }

    /// `undo` (or with `redo`, `redo`) and its outcome as a JavaScript object:
    /// one copy of the call and the conversion for both exports.
    #[inline(never)]
    fn undo_redo(&self, redo: bool) -> Result<JsValue, JsError> {
        let step = |d: &mut Doc| {
            let o = if redo { d.redo() } else { d.undo() };
            o.map(|o| caret(d, o))
        };
        let out = try_doc(&self.doc, step, doc_error)?;
        Ok(outcome(out))
    }
}

#[wasm_bindgen(js_class = WeftDoc)]
impl WeftDoc {
    /// An empty document owned by `replica` (a 64-bit id as a bigint).
    #[wasm_bindgen(constructor)]
    pub fn new(replica: JsValue) -> Result<WeftDoc, JsError> {
        let replica = u64::try_from(replica)
            .map_err(|_| invalid("replica id must be a bigint in 0..2^64".into()))?;
        let mut doc = Doc::new(ReplicaId(replica));
        doc.set_clock(host_clock());
        doc.set_utf16_events(true);
        // The contract's undo() covers every local edit: recording is on unless
        // a caller opts out (setUndoEnabled(false), e.g. for benchmarks).
        doc.set_undo_enabled(true);
        Ok(WeftDoc {
            doc: Some(Rc::new(RefCell::new(Some(doc)))),
        })
    }

    /// Releases the core's memory now; containers opened from this document and
    /// further calls throw `WEFT_FREED`. (Replaces the generated `free`, which
    /// would leave containers holding the document.)
    #[wasm_bindgen(skip_typescript)]
    pub fn free(&mut self) {
        if let Some(cell) = self.doc.take() {
            if let Ok(mut d) = cell.try_borrow_mut() {
                d.take();
            }
        }
    }

    /// Pins physical time to `ms` (milliseconds since the Unix epoch), for
    /// reproducible bytes in tests and replays; without an argument, reads the
    /// host's clock again.
    #[wasm_bindgen(js_name = setClock)]
    pub fn set_clock(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] ms: JsValue,
    ) -> Result<(), JsError> {
        let ms = match ms.is_undefined() {
            true => None,
            false => Some(ms.as_f64().unwrap_or(f64::NAN)),
        };
        let source: Arc<dyn ClockSource> = match ms {
            Some(ms) if ms >= 0.0 && ms.fract() == 0.0 => Arc::new(FixedClock::new(ms as u64)),
            Some(_) => return Err(invalid("a time is a non-negative integer of ms".into())),
            None => host_clock(),
        };
        with_doc(&self.doc, |d| d.set_clock(source))
    }

    /// Panics inside the core, to test that a trap becomes a `WEFT_PANIC` error
    /// and the instance restarts (install.js). Not part of the API.
    #[wasm_bindgen(js_name = __debugPanic, skip_typescript)]
    pub fn debug_panic(&self) -> Result<(), JsError> {
        with_doc(&self.doc, |_| panic!("__debugPanic"))
    }

    /// The replica id as a bigint.
    #[wasm_bindgen(getter)]
    pub fn replica(&self) -> Result<u64, JsError> {
        with_doc(&self.doc, |d| d.replica().0)
    }

    /// Sets a root field to a JSON-like value (last writer wins).
    pub fn set(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WeftValue")] value: JsValue,
    ) -> Result<(), JsError> {
        let k = key(&k)?;
        let v = convert::from_js(&value, 0)?;
        with_doc(&self.doc, |d| d.set(&k, v))
    }

    /// A root field's value or container, or `undefined` if absent.
    #[wasm_bindgen(unchecked_return_type = "WeftRead")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<JsValue, JsError> {
        let k = key(&k)?;
        let f = with_doc(&self.doc, |d| d.field(&k).cloned())?;
        Ok(convert::opt_field_to_js(f.as_ref()))
    }

    /// Deletes a root field.
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<(), JsError> {
        let k = key(&k)?;
        with_doc(&self.doc, |d| d.delete(&k))
    }

    /// Names of the root fields that hold something.
    // An `Array`, as `CoreMap::keys`.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn keys(&self) -> Result<js_sys::Array, JsError> {
        with_doc(&self.doc, |d| d.keys().map(JsValue::from_str).collect())
    }

    /// The whole document as plain JSON-like data (containers expanded).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> Result<JsValue, JsError> {
        let v = with_doc(&self.doc, |d| d.to_value())?;
        Ok(convert::to_js(&v))
    }

    /// Opens (creating if needed) the text in a root field.
    #[wasm_bindgen(unchecked_return_type = "CoreText")]
    pub fn text(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<JsValue, JsError> {
        self.root(&k, ContainerKind::Text)
    }

    /// Opens (creating if needed) the list in a root field.
    #[wasm_bindgen(unchecked_return_type = "CoreList")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<JsValue, JsError> {
        self.root(&k, ContainerKind::List)
    }

    /// Opens (creating if needed) the map in a root field.
    #[wasm_bindgen(unchecked_return_type = "CoreMap")]
    pub fn map(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<JsValue, JsError> {
        self.root(&k, ContainerKind::Map)
    }

    /// Opens (creating if needed) the counter in a root field.
    #[wasm_bindgen(unchecked_return_type = "CoreCounter")]
    pub fn counter(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<JsValue, JsError> {
        self.root(&k, ContainerKind::Counter)
    }

    /// Opens (creating if needed) the add-wins set in a root field.
    #[wasm_bindgen(js_name = orSet, unchecked_return_type = "CoreSet")]
    pub fn or_set(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<JsValue, JsError> {
        self.root(&k, ContainerKind::Set)
    }

    /// Opens a container by its stable id (from a `ContainerRef` or an event).
    #[wasm_bindgen(unchecked_return_type = "CoreMap | CoreList | CoreText | CoreCounter | CoreSet")]
    pub fn container(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<JsValue, JsError> {
        let unknown = || {
            coded(
                "WEFT_UNKNOWN_CONTAINER",
                "no such container in this document: use an id from a ContainerRef or an event"
                    .into(),
            )
        };
        let id = id
            .as_string()
            .as_deref()
            .and_then(ContainerId::parse)
            .ok_or_else(unknown)?;
        if !with_doc(&self.doc, |d| d.has_container(&id))? {
            return Err(unknown());
        }
        Ok(open(&self.doc, id))
    }

    /// Starts or stops recording events; `takeEvents` drains them.
    #[wasm_bindgen(js_name = recordEvents)]
    pub fn record_events(
        &self,
        #[wasm_bindgen(unchecked_param_type = "boolean")] on: JsValue,
    ) -> Result<(), JsError> {
        let on = on
            .as_bool()
            .ok_or_else(|| invalid("recordEvents takes a boolean".into()))?;
        with_doc(&self.doc, |d| d.record_events(on))
    }

    /// The events recorded since the last call, in the order ops applied.
    #[wasm_bindgen(js_name = takeEvents, unchecked_return_type = "WeftEvent[]")]
    pub fn take_events(&self) -> Result<js_sys::Array, JsError> {
        let events = with_doc(&self.doc, |d| d.take_events())?;
        Ok(events.iter().filter_map(event).collect())
    }

    /// The UTF-16 index (element index for a list) a stable position resolves to now.
    #[wasm_bindgen(js_name = cursorIndex)]
    pub fn cursor_index(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] cursor: JsValue,
    ) -> Result<f64, JsError> {
        let cursor = Cursor::decode(&convert::bytes(&cursor)?).map_err(decode_error)?;
        let i = try_doc(&self.doc, |d| d.cursor_index_utf16(&cursor), doc_error)?;
        Ok(i as f64)
    }

    /// Declares an application mark's expand policy (built-ins are predefined).
    #[wasm_bindgen(js_name = defineMark)]
    pub fn define_mark(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Expand")] expand: JsValue,
    ) -> Result<(), JsError> {
        let name = name
            .as_string()
            .ok_or_else(|| invalid("a mark name is a string".into()))?;
        let expand = convert::expand(&expand)?;
        with_doc(&self.doc, |d| d.define_mark(&name, expand))
    }

    /// Undoes this replica's last change group; `undefined` if there is none.
    #[wasm_bindgen(unchecked_return_type = "UndoOutcome | undefined")]
    pub fn undo(&self) -> Result<JsValue, JsError> {
        self.undo_redo(false)
    }

    /// Redoes the last undone change group; `undefined` if there is none.
    #[wasm_bindgen(unchecked_return_type = "UndoOutcome | undefined")]
    pub fn redo(&self) -> Result<JsValue, JsError> {
        self.undo_redo(true)
    }

    /// Whether there is something to undo.
    #[wasm_bindgen(js_name = canUndo)]
    pub fn can_undo(&self) -> Result<bool, JsError> {
        with_doc(&self.doc, |d| d.can_undo())
    }

    /// Whether there is something to redo.
    #[wasm_bindgen(js_name = canRedo)]
    pub fn can_redo(&self) -> Result<bool, JsError> {
        with_doc(&self.doc, |d| d.can_redo())
    }

    /// Local changes closer than this (ms) are undone together.
    #[wasm_bindgen(js_name = setUndoWindow)]
    pub fn set_undo_window(&self, ms: f64) -> Result<(), JsError> {
        let ms = convert::index(ms)
            .map_err(|_| invalid("an undo window is a non-negative integer of ms".into()))?;
        with_doc(&self.doc, |d| d.set_undo_window_ms(ms as u64))
    }

    /// Groups everything until `undoGroupEnd` into one undo step.
    #[wasm_bindgen(js_name = undoGroupBegin)]
    pub fn undo_group_begin(&self) -> Result<(), JsError> {
        with_doc(&self.doc, |d| d.undo_group_begin())
    }

    /// Ends the group `undoGroupBegin` started.
    #[wasm_bindgen(js_name = undoGroupEnd)]
    pub fn undo_group_end(&self) -> Result<(), JsError> {
        with_doc(&self.doc, |d| d.undo_group_end())
    }

    /// Turns undo recording on (the default) or off; off, local edits cost less
    /// and `undo()` has nothing to undo.
    #[wasm_bindgen(js_name = setUndoEnabled)]
    pub fn set_undo_enabled(
        &self,
        #[wasm_bindgen(unchecked_param_type = "boolean")] on: JsValue,
    ) -> Result<(), JsError> {
        let on = on
            .as_bool()
            .ok_or_else(|| invalid("setUndoEnabled takes a boolean".into()))?;
        with_doc(&self.doc, |d| d.set_undo_enabled(on))
    }

    /// Seals pending local ops into a change.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    // The hint lets `commitFast` (src/fast.rs) take the body in; wasm-bindgen
    // copies it onto the export's shim too, where rustc ignores it and warns.
    #[cfg_attr(weft_wasm_speed, inline, allow(unused_attributes))]
    pub fn commit(&self) -> Result<(), JsError> {
        with_doc(&self.doc, |d| {
            d.commit();
        })
    }

    /// The encoded version vector (what this replica has seen).
    pub fn version(&self) -> Result<Vec<u8>, JsError> {
        with_doc(&self.doc, |d| encode_version(d.version()))
    }

    /// Changes a peer at `since` (an encoded version) lacks, as bytes.
    #[wasm_bindgen(js_name = exportChanges)]
    pub fn export_changes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] since: JsValue,
    ) -> Result<Vec<u8>, JsError> {
        let since = match since.is_undefined() {
            true => VersionVector::new(),
            false => decode_version(&convert::bytes(&since)?).map_err(decode_error)?,
        };
        with_doc(&self.doc, |d| d.export_changes(&since))
    }

    /// The whole document with its history.
    #[wasm_bindgen(js_name = exportSnapshot)]
    pub fn export_snapshot(&self) -> Result<Vec<u8>, JsError> {
        with_doc(&self.doc, |d| d.export_snapshot())
    }

    /// The current state only, for a fast first load.
    #[wasm_bindgen(js_name = exportState)]
    pub fn export_state(&self) -> Result<Vec<u8>, JsError> {
        with_doc(&self.doc, |d| d.export_state())
    }

    /// Merges any encoded bytes; on error nothing changes.
    #[wasm_bindgen(unchecked_return_type = "ImportReport")]
    pub fn import(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<JsValue, JsError> {
        let bytes = convert::bytes(&bytes)?;
        let r = try_doc(&self.doc, |d| d.import(&bytes), import_error)?;
        Ok(report(r))
    }
}
