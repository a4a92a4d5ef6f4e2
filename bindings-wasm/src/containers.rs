//! Container objects: each holds its document's handle and the container's id, so
//! a call is one borrow and one core call.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use weft_core::{ContainerId, ContainerKind, CounterId, ListId, MapId, SetId, TextId};

use crate::convert::{self, field_to_js, index, key};
use crate::error::doc_error;
use crate::shared::{try_doc, with_doc, Handle};

/// The object for container `id` of the document behind `doc`.
pub(crate) fn open(doc: &Handle, id: ContainerId) -> JsValue {
    let doc = doc.clone();
    match id.kind() {
        ContainerKind::Map => CoreMap {
            doc,
            id: MapId::from_id(id).expect("kind checked"),
        }
        .into(),
        ContainerKind::List => CoreList {
            doc,
            id: ListId::from_id(id).expect("kind checked"),
        }
        .into(),
        ContainerKind::Text => CoreText {
            doc,
            id: TextId::from_id(id).expect("kind checked"),
        }
        .into(),
        ContainerKind::Counter => CoreCounter {
            doc,
            id: CounterId::from_id(id).expect("kind checked"),
        }
        .into(),
        ContainerKind::Set => CoreSet {
            doc,
            id: SetId::from_id(id).expect("kind checked"),
        }
        .into(),
    }
}

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
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    // The hint lets `insertUnit` (src/fast.rs) take the body in, one call and
    // one `Result` through memory less per keystroke; wasm-bindgen copies it
    // onto the export's shim too, where rustc ignores it and warns.
    #[cfg_attr(weft_wasm_speed, inline, allow(unused_attributes))]
    pub fn insert(&self, index_: f64, text: &str) -> Result<(), JsError> {
        let at = index(index_)?;
        try_doc(
            &self.doc,
            |d| d.text_insert_utf16(&self.id, at, text),
            doc_error,
        )
    }

    /// Deletes `len` UTF-16 code units from `index`.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
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

    /// Applies a mark over [start, end); `value` is `true` for plain marks.
    pub fn mark(
        &self,
        start: f64,
        end: f64,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WeftValue")] value: JsValue,
    ) -> Result<(), JsError> {
        let (s, e) = (index(start)?, index(end)?);
        let name = mark_name(&name)?;
        let v = convert::from_js(&value, 0)?;
        try_doc(
            &self.doc,
            |d| d.text_mark_utf16(&self.id, s, e, &name, v),
            doc_error,
        )
    }

    /// Removes a mark over [start, end); with `value`, only that one (a comment id).
    pub fn unmark(
        &self,
        start: f64,
        end: f64,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WeftValue")] value: JsValue,
    ) -> Result<(), JsError> {
        let (s, e) = (index(start)?, index(end)?);
        let name = mark_name(&name)?;
        if value.is_undefined() {
            return try_doc(
                &self.doc,
                |d| d.text_unmark_utf16(&self.id, s, e, &name),
                doc_error,
            );
        }
        let v = convert::from_js(&value, 0)?;
        try_doc(
            &self.doc,
            |d| d.text_unmark_value_utf16(&self.id, s, e, &name, &v),
            doc_error,
        )
    }

    /// The text as formatted runs.
    #[wasm_bindgen(js_name = toDelta, unchecked_return_type = "DeltaRun[]")]
    pub fn to_delta(&self) -> Result<Array, JsError> {
        let runs = with_doc(&self.doc, |d| d.text_delta(&self.id))?;
        Ok(runs
            .iter()
            .map(|r| {
                let insert = ("insert", JsValue::from_str(&r.insert));
                match r.attributes.is_empty() {
                    true => convert::object(&[insert]),
                    false => convert::object(&[
                        insert,
                        ("attributes", convert::attributes_to_js(&r.attributes)),
                    ]),
                }
            })
            .collect())
    }

    /// A stable position that survives concurrent edits, export and import.
    pub fn cursor(
        &self,
        index_: f64,
        #[wasm_bindgen(unchecked_param_type = "Gravity")] gravity: JsValue,
    ) -> Result<Vec<u8>, JsError> {
        let (at, g) = (index(index_)?, convert::gravity(&gravity)?);
        let c = try_doc(
            &self.doc,
            |d| d.text_cursor_utf16(&self.id, at, g),
            doc_error,
        )?;
        Ok(c.encode())
    }
}

fn mark_name(v: &JsValue) -> Result<String, JsError> {
    v.as_string()
        .ok_or_else(|| crate::error::invalid("a mark name is a string".into()))
}

/// A map nested in a document or another container.
#[wasm_bindgen]
pub struct CoreMap {
    pub(crate) doc: Handle,
    pub(crate) id: MapId,
}

#[wasm_bindgen]
impl CoreMap {
    /// Stable id, the same on every replica.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"map"`.
    #[wasm_bindgen(getter, unchecked_return_type = "\"map\"")]
    pub fn kind(&self) -> String {
        "map".into()
    }

    /// Releases this object now; further use throws `WEFT_FREED`.
    #[wasm_bindgen(skip_typescript)]
    pub fn free(&mut self) {
        self.doc = None;
    }

    /// Sets a field to a JSON-like value (last writer wins).
    pub fn set(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WeftValue")] value: JsValue,
    ) -> Result<(), JsError> {
        let k = key(&k)?;
        let v = convert::from_js(&value, 0)?;
        try_doc(&self.doc, |d| d.map_set(&self.id, &k, v), doc_error)
    }

    /// A field's value or container, or `undefined` if absent.
    #[wasm_bindgen(unchecked_return_type = "WeftRead")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<JsValue, JsError> {
        let k = key(&k)?;
        let f = with_doc(&self.doc, |d| d.map_get(&self.id, &k).cloned())?;
        Ok(convert::opt_field_to_js(f.as_ref()))
    }

    /// Deletes a field.
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
    ) -> Result<(), JsError> {
        let k = key(&k)?;
        try_doc(&self.doc, |d| d.map_delete(&self.id, &k), doc_error)
    }

    /// Names of the fields that hold something.
    // An `Array` built here rather than a `Vec<String>`, whose conversion code
    // would serve only the two `keys` methods.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn keys(&self) -> Result<Array, JsError> {
        with_doc(&self.doc, |d| {
            d.map_keys(&self.id).map(JsValue::from_str).collect()
        })
    }

    /// Creates a container in a field and opens it.
    #[wasm_bindgen(
        js_name = setContainer,
        unchecked_return_type = "CoreMap | CoreList | CoreText | CoreCounter | CoreSet"
    )]
    pub fn set_container(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] k: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ContainerKind")] kind: JsValue,
    ) -> Result<JsValue, JsError> {
        let (k, kind) = (key(&k)?, convert::kind(&kind)?);
        let id = try_doc(
            &self.doc,
            |d| d.map_put_container(&self.id, &k, kind),
            doc_error,
        )?;
        Ok(open(&self.doc, id))
    }

    /// The map as plain JSON-like data (containers expanded).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "Record<string, unknown>")]
    pub fn to_json(&self) -> Result<JsValue, JsError> {
        let v = with_doc(&self.doc, |d| d.container_value(self.id.id(), 0))?;
        Ok(convert::to_js(&v))
    }
}

/// A list of values and containers.
#[wasm_bindgen]
pub struct CoreList {
    pub(crate) doc: Handle,
    pub(crate) id: ListId,
}

#[wasm_bindgen]
impl CoreList {
    /// Stable id, the same on every replica.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"list"`.
    #[wasm_bindgen(getter, unchecked_return_type = "\"list\"")]
    pub fn kind(&self) -> String {
        "list".into()
    }

    /// Releases this object now; further use throws `WEFT_FREED`.
    #[wasm_bindgen(skip_typescript)]
    pub fn free(&mut self) {
        self.doc = None;
    }

    /// Inserts values at `index` (install.js spreads the rest arguments into
    /// `values`; the declaration is in the custom section).
    // `values` is a JavaScript `Array` read in place: a `Vec<JsValue>`
    // parameter would bring wasm-bindgen's array-passing code to the module
    // and the glue for this one method.
    #[wasm_bindgen(skip_typescript)]
    pub fn insert(&self, index_: f64, values: Array) -> Result<(), JsError> {
        let at = index(index_)?;
        // Every value is converted before the first is inserted: a bad one
        // changes nothing.
        let values = values
            .iter()
            .map(|v| convert::from_js(&v, 0))
            .collect::<Result<Vec<_>, _>>()?;
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
    #[wasm_bindgen(
        js_name = insertContainer,
        unchecked_return_type = "CoreMap | CoreList | CoreText | CoreCounter | CoreSet"
    )]
    pub fn insert_container(
        &self,
        index_: f64,
        #[wasm_bindgen(unchecked_param_type = "ContainerKind")] kind: JsValue,
    ) -> Result<JsValue, JsError> {
        let (at, kind) = (index(index_)?, convert::kind(&kind)?);
        let id = try_doc(
            &self.doc,
            |d| d.list_insert_container(&self.id, at, kind),
            doc_error,
        )?;
        Ok(open(&self.doc, id))
    }

    /// Deletes `len` elements from `index`.
    pub fn delete(&self, index_: f64, len: f64) -> Result<(), JsError> {
        let (at, len) = (index(index_)?, index(len)?);
        try_doc(&self.doc, |d| d.list_delete(&self.id, at, len), doc_error)
    }

    /// The element at `index`, or `undefined` past the end.
    #[wasm_bindgen(unchecked_return_type = "WeftRead")]
    pub fn get(&self, index_: f64) -> Result<JsValue, JsError> {
        let at = index(index_)?;
        let f = with_doc(&self.doc, |d| d.list_get(&self.id, at))?;
        Ok(convert::opt_field_to_js(f.as_ref()))
    }

    /// The number of elements.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> Result<f64, JsError> {
        with_doc(&self.doc, |d| d.list_len(&self.id) as f64)
    }

    /// Every element, in order.
    #[wasm_bindgen(js_name = toArray, unchecked_return_type = "WeftRead[]")]
    pub fn to_array(&self) -> Result<Array, JsError> {
        let items = with_doc(&self.doc, |d| d.list_values(&self.id))?;
        Ok(items.iter().map(field_to_js).collect())
    }

    /// A stable position (see `WeftDoc.cursorIndex`).
    pub fn cursor(
        &self,
        index_: f64,
        #[wasm_bindgen(unchecked_param_type = "Gravity")] gravity: JsValue,
    ) -> Result<Vec<u8>, JsError> {
        let (at, g) = (index(index_)?, convert::gravity(&gravity)?);
        let c = try_doc(&self.doc, |d| d.list_cursor(&self.id, at, g), doc_error)?;
        Ok(c.encode())
    }
}

/// A PN-counter.
#[wasm_bindgen]
pub struct CoreCounter {
    pub(crate) doc: Handle,
    pub(crate) id: CounterId,
}

#[wasm_bindgen]
impl CoreCounter {
    /// Stable id, the same on every replica.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"counter"`.
    #[wasm_bindgen(getter, unchecked_return_type = "\"counter\"")]
    pub fn kind(&self) -> String {
        "counter".into()
    }

    /// Releases this object now; further use throws `WEFT_FREED`.
    #[wasm_bindgen(skip_typescript)]
    pub fn free(&mut self) {
        self.doc = None;
    }

    /// Adds `delta` (negative to subtract).
    pub fn add(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number | bigint")] delta: JsValue,
    ) -> Result<(), JsError> {
        let delta = convert::number(&delta)?;
        try_doc(&self.doc, |d| d.counter_add(&self.id, delta), doc_error)
    }

    /// The total.
    #[wasm_bindgen(getter, unchecked_return_type = "number | bigint")]
    pub fn value(&self) -> Result<JsValue, JsError> {
        let n = with_doc(&self.doc, |d| d.counter_value(&self.id))?;
        Ok(convert::number_to_js(n))
    }
}

/// An add-wins observed-remove set of scalars.
#[wasm_bindgen]
pub struct CoreSet {
    pub(crate) doc: Handle,
    pub(crate) id: SetId,
}

#[wasm_bindgen]
impl CoreSet {
    /// Stable id, the same on every replica.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.id.id().to_id_string()
    }

    /// Always `"set"`.
    #[wasm_bindgen(getter, unchecked_return_type = "\"set\"")]
    pub fn kind(&self) -> String {
        "set".into()
    }

    /// Releases this object now; further use throws `WEFT_FREED`.
    #[wasm_bindgen(skip_typescript)]
    pub fn free(&mut self) {
        self.doc = None;
    }

    /// Adds a member.
    pub fn add(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WeftValue")] member: JsValue,
    ) -> Result<(), JsError> {
        let m = convert::from_js(&member, 0)?;
        try_doc(&self.doc, |d| d.set_add(&self.id, m), doc_error)
    }

    /// Removes a member; whether it was present.
    pub fn remove(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WeftValue")] member: JsValue,
    ) -> Result<bool, JsError> {
        let m = convert::from_js(&member, 0)?;
        try_doc(&self.doc, |d| d.set_remove(&self.id, &m), doc_error)
    }

    /// Whether a member is present.
    pub fn has(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WeftValue")] member: JsValue,
    ) -> Result<bool, JsError> {
        let m = convert::from_js(&member, 0)?;
        with_doc(&self.doc, |d| d.set_contains(&self.id, &m))
    }

    /// The members, in a canonical order.
    #[wasm_bindgen(unchecked_return_type = "WeftValue[]")]
    pub fn values(&self) -> Result<Array, JsError> {
        let members = with_doc(&self.doc, |d| d.set_members(&self.id))?;
        Ok(members.iter().map(convert::to_js).collect())
    }
}
