//! Container objects: each holds its document's handle and the container's id, so
//! a call is one borrow and one core call.

use napi::bindgen_prelude::*;
use napi_derive::napi;
use weft_core::{ContainerId, ContainerKind, CounterId, ListId, MapId, SetId, TextId};

use crate::convert::{
    self, index, key, string, DeltaOut, FieldOut, FieldsOut, NumberOut, ValuesOut,
};
use crate::error::{doc_error, Code};
use crate::fast::Slot;
use crate::shared::{try_doc, with_doc, Handle};

/// Any container object.
pub type AnyContainer = Either5<CoreMap, CoreList, CoreText, CoreCounter, CoreSet>;

/// The object for container `id` of the document behind `doc`.
pub(crate) fn open(doc: &Handle, id: ContainerId) -> AnyContainer {
    let doc = doc.clone();
    match id.kind() {
        ContainerKind::Map => Either5::A(CoreMap {
            doc,
            id: MapId::from_id(id).expect("kind checked"),
        }),
        ContainerKind::List => Either5::B(CoreList {
            doc,
            id: ListId::from_id(id).expect("kind checked"),
        }),
        ContainerKind::Text => Either5::C(CoreText {
            doc,
            id: TextId::from_id(id).expect("kind checked"),
            fast: Slot::default(),
        }),
        ContainerKind::Counter => Either5::D(CoreCounter {
            doc,
            id: CounterId::from_id(id).expect("kind checked"),
        }),
        ContainerKind::Set => Either5::E(CoreSet {
            doc,
            id: SetId::from_id(id).expect("kind checked"),
        }),
    }
}

/// Plain or rich text. Indices are UTF-16 code units.
#[napi]
pub struct CoreText {
    pub(crate) doc: Handle,
    pub(crate) id: TextId,
    /// Where fast.rs finds this text (see there).
    pub(crate) fast: Slot,
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
        self.fast.release();
    }

    /// This text's slot for the fast calls of weft.js (see fast.rs).
    #[napi(js_name = "__fastSlot", skip_typescript)]
    pub fn fast_slot(&self) -> f64 {
        self.fast.get(&self.doc, Some(&self.id))
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

    /// Applies a mark over [start, end); `value` is `true` for plain marks.
    #[napi(ts_args_type = "start: number, end: number, name: string, value: unknown")]
    pub fn mark(
        &self,
        start: Unknown,
        end: Unknown,
        name: Unknown,
        value: Unknown,
    ) -> Result<(), Code> {
        let (s, e) = (index(&start)?, index(&end)?);
        let name = string(&name, "a mark name")?;
        let v = convert::from_js(&value, 0)?;
        try_doc(
            &self.doc,
            |d| d.text_mark_utf16(&self.id, s, e, &name, v),
            doc_error,
        )
    }

    /// Removes a mark over [start, end); with `value`, only that one (a comment id).
    #[napi(ts_args_type = "start: number, end: number, name: string, value?: unknown")]
    pub fn unmark(
        &self,
        start: Unknown,
        end: Unknown,
        name: Unknown,
        value: Option<Unknown>,
    ) -> Result<(), Code> {
        let (s, e) = (index(&start)?, index(&end)?);
        let name = string(&name, "a mark name")?;
        let value = match value {
            Some(v) if v.get_type().ok() != Some(ValueType::Undefined) => {
                Some(convert::from_js(&v, 0)?)
            }
            _ => None,
        };
        try_doc(
            &self.doc,
            |d| match &value {
                None => d.text_unmark_utf16(&self.id, s, e, &name),
                Some(v) => d.text_unmark_value_utf16(&self.id, s, e, &name, v),
            },
            doc_error,
        )
    }

    /// The text as formatted runs.
    #[napi(ts_return_type = "Array<{ insert: string; attributes?: Record<string, any> }>")]
    pub fn to_delta(&self) -> Result<DeltaOut, Code> {
        with_doc(&self.doc, |d| DeltaOut(d.text_delta(&self.id)))
    }

    /// A stable position that survives concurrent edits, export and import.
    #[napi(ts_args_type = "index: number, gravity: 'left' | 'right'")]
    pub fn cursor(&self, at: Unknown, gravity: Unknown) -> Result<Uint8Array, Code> {
        let (at, g) = (index(&at)?, convert::gravity(&gravity)?);
        let c = try_doc(
            &self.doc,
            |d| d.text_cursor_utf16(&self.id, at, g),
            doc_error,
        )?;
        Ok(Uint8Array::new(c.encode()))
    }
}

/// A map nested in a document or another container.
#[napi]
pub struct CoreMap {
    pub(crate) doc: Handle,
    pub(crate) id: MapId,
}

#[napi]
impl CoreMap {
    /// Stable id, the same on every replica.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"map"`.
    #[napi(getter, ts_return_type = "'map'")]
    pub fn kind(&self) -> &'static str {
        "map"
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

    /// Sets a field to a JSON-like value (last writer wins).
    #[napi(ts_args_type = "key: string, value: unknown")]
    pub fn set(&self, k: Unknown, value: Unknown) -> Result<(), Code> {
        let k = key(&k)?;
        let v = convert::from_js(&value, 0)?;
        try_doc(&self.doc, |d| d.map_set(&self.id, &k, v), doc_error)
    }

    /// A field's value or container, or `undefined` if absent.
    #[napi(ts_args_type = "key: string", ts_return_type = "any")]
    pub fn get(&self, k: Unknown) -> Result<FieldOut, Code> {
        let k = key(&k)?;
        with_doc(&self.doc, |d| FieldOut(d.map_get(&self.id, &k).cloned()))
    }

    /// Deletes a field.
    #[napi(ts_args_type = "key: string")]
    pub fn delete(&self, k: Unknown) -> Result<(), Code> {
        let k = key(&k)?;
        try_doc(&self.doc, |d| d.map_delete(&self.id, &k), doc_error)
    }

    /// Names of the fields that hold something.
    #[napi]
    pub fn keys(&self) -> Result<Vec<String>, Code> {
        with_doc(&self.doc, |d| {
            d.map_keys(&self.id).map(str::to_owned).collect()
        })
    }

    /// Creates a container in a field and opens it.
    #[napi(
        ts_args_type = "key: string, kind: 'map' | 'list' | 'text' | 'counter' | 'set'",
        ts_return_type = "CoreMap | CoreList | CoreText | CoreCounter | CoreSet"
    )]
    pub fn set_container(&self, k: Unknown, kind: Unknown) -> Result<AnyContainer, Code> {
        let (k, kind) = (key(&k)?, convert::kind(&kind)?);
        let id = try_doc(
            &self.doc,
            |d| d.map_put_container(&self.id, &k, kind),
            doc_error,
        )?;
        Ok(open(&self.doc, id))
    }

    /// The map as plain JSON-like data (containers expanded).
    #[napi(js_name = "toJSON", ts_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> Result<convert::JsOut, Code> {
        with_doc(&self.doc, |d| {
            convert::JsOut(d.container_value(self.id.id(), 0))
        })
    }
}

/// A list of values and containers.
#[napi]
pub struct CoreList {
    pub(crate) doc: Handle,
    pub(crate) id: ListId,
}

#[napi]
impl CoreList {
    /// Stable id, the same on every replica.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"list"`.
    #[napi(getter, ts_return_type = "'list'")]
    pub fn kind(&self) -> &'static str {
        "list"
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

    /// Inserts values at `index` (weft.js spreads the rest arguments into one
    /// array for this method).
    #[napi(ts_args_type = "index: number, ...values: unknown[]")]
    pub fn insert(&self, at: Unknown, values: Unknown) -> Result<(), Code> {
        let at = index(&at)?;
        // Every value is converted before the first is inserted: a bad one
        // changes nothing.
        let values = match convert::from_js(&values, 0)? {
            weft_core::Value::Array(items) => items,
            _ => return Err(crate::error::invalid("list values come as an array")),
        };
        try_doc(
            &self.doc,
            |d| {
                // One call, one undo step, however many values.
                let grouped = values.len() > 1;
                if grouped {
                    d.undo_group_begin();
                }
                let done = values
                    .into_iter()
                    .enumerate()
                    .try_for_each(|(i, v)| d.list_insert(&self.id, at + i, v));
                if grouped {
                    d.undo_group_end();
                }
                done
            },
            doc_error,
        )
    }

    /// Inserts a new container at `index` and opens it.
    #[napi(
        ts_args_type = "index: number, kind: 'map' | 'list' | 'text' | 'counter' | 'set'",
        ts_return_type = "CoreMap | CoreList | CoreText | CoreCounter | CoreSet"
    )]
    pub fn insert_container(&self, at: Unknown, kind: Unknown) -> Result<AnyContainer, Code> {
        let (at, kind) = (index(&at)?, convert::kind(&kind)?);
        let id = try_doc(
            &self.doc,
            |d| d.list_insert_container(&self.id, at, kind),
            doc_error,
        )?;
        Ok(open(&self.doc, id))
    }

    /// Deletes `len` elements from `index`.
    #[napi(ts_args_type = "index: number, len: number")]
    pub fn delete(&self, at: Unknown, len: Unknown) -> Result<(), Code> {
        let (at, len) = (index(&at)?, index(&len)?);
        try_doc(&self.doc, |d| d.list_delete(&self.id, at, len), doc_error)
    }

    /// The element at `index`, or `undefined` past the end.
    #[napi(ts_args_type = "index: number", ts_return_type = "any")]
    pub fn get(&self, at: Unknown) -> Result<FieldOut, Code> {
        let at = index(&at)?;
        with_doc(&self.doc, |d| FieldOut(d.list_get(&self.id, at)))
    }

    /// The number of elements.
    #[napi(getter)]
    pub fn length(&self) -> Result<u32, Code> {
        with_doc(&self.doc, |d| d.list_len(&self.id) as u32)
    }

    /// Every element, in order.
    #[napi(ts_return_type = "any[]")]
    pub fn to_array(&self) -> Result<FieldsOut, Code> {
        with_doc(&self.doc, |d| FieldsOut(d.list_values(&self.id)))
    }

    /// A stable position (see `WeftDoc.cursorIndex`).
    #[napi(ts_args_type = "index: number, gravity: 'left' | 'right'")]
    pub fn cursor(&self, at: Unknown, gravity: Unknown) -> Result<Uint8Array, Code> {
        let (at, g) = (index(&at)?, convert::gravity(&gravity)?);
        let c = try_doc(&self.doc, |d| d.list_cursor(&self.id, at, g), doc_error)?;
        Ok(Uint8Array::new(c.encode()))
    }
}

/// A PN-counter.
#[napi]
pub struct CoreCounter {
    pub(crate) doc: Handle,
    pub(crate) id: CounterId,
}

#[napi]
impl CoreCounter {
    /// Stable id, the same on every replica.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"counter"`.
    #[napi(getter, ts_return_type = "'counter'")]
    pub fn kind(&self) -> &'static str {
        "counter"
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

    /// Adds `delta` (negative to subtract).
    #[napi(ts_args_type = "delta: number | bigint")]
    pub fn add(&self, delta: Unknown) -> Result<(), Code> {
        let delta = convert::number(&delta)?;
        try_doc(&self.doc, |d| d.counter_add(&self.id, delta), doc_error)
    }

    /// The total.
    #[napi(getter, ts_return_type = "number | bigint")]
    pub fn value(&self) -> Result<NumberOut, Code> {
        with_doc(&self.doc, |d| NumberOut(d.counter_value(&self.id)))
    }
}

/// An add-wins observed-remove set of scalars.
#[napi]
pub struct CoreSet {
    pub(crate) doc: Handle,
    pub(crate) id: SetId,
}

#[napi]
impl CoreSet {
    /// Stable id, the same on every replica.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"set"`.
    #[napi(getter, ts_return_type = "'set'")]
    pub fn kind(&self) -> &'static str {
        "set"
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

    /// Adds a member.
    #[napi(ts_args_type = "member: unknown")]
    pub fn add(&self, member: Unknown) -> Result<(), Code> {
        let m = convert::from_js(&member, 0)?;
        try_doc(&self.doc, |d| d.set_add(&self.id, m), doc_error)
    }

    /// Removes a member; whether it was present.
    #[napi(ts_args_type = "member: unknown")]
    pub fn remove(&self, member: Unknown) -> Result<bool, Code> {
        let m = convert::from_js(&member, 0)?;
        try_doc(&self.doc, |d| d.set_remove(&self.id, &m), doc_error)
    }

    /// Whether a member is present.
    #[napi(ts_args_type = "member: unknown")]
    pub fn has(&self, member: Unknown) -> Result<bool, Code> {
        let m = convert::from_js(&member, 0)?;
        with_doc(&self.doc, |d| d.set_contains(&self.id, &m))
    }

    /// The members, in a canonical order.
    #[napi(ts_return_type = "any[]")]
    pub fn values(&self) -> Result<ValuesOut, Code> {
        with_doc(&self.doc, |d| ValuesOut(d.set_members(&self.id)))
    }
}
