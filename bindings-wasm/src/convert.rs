//! JavaScript values <-> core values.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use weft_core::{
    Attributes, ContainerId, ContainerKind, Expand, FieldValue, Gravity, Number, Value,
};

use crate::error::{coded, invalid};

const MAX_DEPTH: usize = 64;

/// A text or list index (or length): a non-negative integer.
#[inline]
#[cfg_attr(weft_wasm_speed, optimize(speed))]
pub(crate) fn index(n: f64) -> Result<usize, JsError> {
    if n >= 0.0 && n.fract() == 0.0 {
        // Beyond usize it is out of range for any sequence: saturate and let the
        // core say so with the sequence's length.
        return Ok(if n >= usize::MAX as f64 {
            usize::MAX
        } else {
            n as usize
        });
    }
    Err(bad_index(n))
}

/// JavaScript spells the number, as the caller wrote it: formatting floats in
/// Rust would bring core::fmt's float machinery (about 8 KB) into the module.
#[cold]
#[inline(never)]
fn bad_index(n: f64) -> JsError {
    let shown = String::from(
        js_sys::Number::from(n)
            .to_string_with_radix(10)
            .unwrap_or_default(),
    );
    coded(
        "WEFT_INDEX",
        format!("index {shown} is not a non-negative integer"),
    )
}

/// A field name.
pub(crate) fn key(v: &JsValue) -> Result<String, JsError> {
    v.as_string()
        .ok_or_else(|| invalid("field names are strings".into()))
}

/// Encoded bytes: a `Uint8Array` (a Node `Buffer` is one).
pub(crate) fn bytes(v: &JsValue) -> Result<Vec<u8>, JsError> {
    v.dyn_ref::<Uint8Array>()
        .map(Uint8Array::to_vec)
        .ok_or_else(|| invalid("encoded bytes are a Uint8Array".into()))
}

/// A container kind as the contract spells it.
pub(crate) fn kind(v: &JsValue) -> Result<ContainerKind, JsError> {
    v.as_string()
        .as_deref()
        .and_then(ContainerKind::parse)
        .ok_or_else(|| invalid("container kinds are map, list, text, counter or set".into()))
}

/// Which side a stable position sticks to: `"left"` or `"right"`.
pub(crate) fn gravity(v: &JsValue) -> Result<Gravity, JsError> {
    match v.as_string().as_deref() {
        Some("left") => Ok(Gravity::Left),
        Some("right") => Ok(Gravity::Right),
        _ => Err(invalid("gravity is \"left\" or \"right\"".into())),
    }
}

/// A mark's expand policy: `"none"`, `"before"`, `"after"` or `"both"`.
pub(crate) fn expand(v: &JsValue) -> Result<Expand, JsError> {
    match v.as_string().as_deref() {
        Some("none") => Ok(Expand::None),
        Some("before") => Ok(Expand::Before),
        Some("after") => Ok(Expand::After),
        Some("both") => Ok(Expand::Both),
        _ => Err(invalid(
            "expand is \"none\", \"before\", \"after\" or \"both\"".into(),
        )),
    }
}

/// A counter delta: a finite number or a bigint in i64 (a NaN would stick to the
/// counter forever).
pub(crate) fn number(v: &JsValue) -> Result<Number, JsError> {
    match from_js(v, 0)? {
        Value::Int(i) => Ok(Number::Int(i)),
        Value::Float(f) if f.is_finite() => Ok(Number::Float(f)),
        _ => Err(invalid(
            "a counter delta is a finite number or a bigint".into(),
        )),
    }
}

pub(crate) fn from_js(v: &JsValue, depth: usize) -> Result<Value, JsError> {
    if depth > MAX_DEPTH {
        return Err(invalid(format!(
            "value nested deeper than {MAX_DEPTH} levels"
        )));
    }
    if v.is_null() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return Ok(Value::from_js_number(n));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::Str(s));
    }
    if v.is_bigint() {
        let n = i64::try_from(v.clone()).map_err(|_| invalid("bigint out of i64 range".into()))?;
        return Ok(Value::Int(n));
    }
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        return Ok(Value::Bytes(bytes.to_vec()));
    }
    if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        let mut out = Vec::with_capacity(arr.length() as usize);
        for item in arr.iter() {
            out.push(from_js(&item, depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if v.is_object() && !v.is_function() {
        let entries = Object::entries(v.unchecked_ref());
        let mut out = Vec::with_capacity(entries.length() as usize);
        for entry in entries.iter() {
            let pair: Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            out.push((key, from_js(&pair.get(1), depth + 1)?));
        }
        // Collected: sorted once by key.
        return Ok(Value::Object(out.into_iter().collect()));
    }
    Err(invalid(
        "unsupported value: use null, boolean, number, bigint, string, Uint8Array, array or plain object".into(),
    ))
}

/// Sets an own property even for keys like `__proto__`, which `obj[key] = v`
/// would treat as the prototype.
fn define(obj: &Object, key: &str, value: &JsValue) {
    let desc = Object::new();
    let _ = Reflect::set(&desc, &"value".into(), value);
    let _ = Reflect::set(&desc, &"enumerable".into(), &JsValue::TRUE);
    let _ = Reflect::set(&desc, &"writable".into(), &JsValue::TRUE);
    let _ = Reflect::set(&desc, &"configurable".into(), &JsValue::TRUE);
    Object::define_property(obj, &JsValue::from_str(key), &desc);
}

pub(crate) fn to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Int(i) if Value::is_js_safe_int(*i) => JsValue::from_f64(*i as f64),
        Value::Int(i) => JsValue::from(*i),
        Value::Float(f) => JsValue::from_f64(*f),
        Value::Str(s) => JsValue::from_str(s),
        Value::Bytes(b) => Uint8Array::from(b.as_slice()).into(),
        Value::Array(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Object(map) => {
            let obj = Object::new();
            for (k, item) in map {
                if k == "__proto__" {
                    define(&obj, k, &to_js(item));
                } else {
                    let _ = Reflect::set(&obj, &JsValue::from_str(k), &to_js(item));
                }
            }
            obj.into()
        }
    }
}

/// `{ container, kind }`: how a container shows where a value would.
pub(crate) fn container_ref(id: &ContainerId) -> JsValue {
    let obj = Object::new();
    let _ = Reflect::set(
        &obj,
        &"container".into(),
        &JsValue::from_str(&id.to_id_string()),
    );
    let _ = Reflect::set(&obj, &"kind".into(), &id.kind().as_str().into());
    obj.into()
}

pub(crate) fn field_to_js(f: &FieldValue) -> JsValue {
    match f {
        FieldValue::Value(v) => to_js(v),
        FieldValue::Container(id) => container_ref(id),
    }
}

pub(crate) fn opt_field_to_js(f: Option<&FieldValue>) -> JsValue {
    f.map_or(JsValue::UNDEFINED, field_to_js)
}

pub(crate) fn number_to_js(n: Number) -> JsValue {
    to_js(&n.to_value())
}

/// A plain object from its fields.
pub(crate) fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let obj = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&obj, &JsValue::from_str(k), v);
    }
    obj.into()
}

/// Formatting as an object: mark name -> value.
pub(crate) fn attributes_to_js(attrs: &Attributes) -> JsValue {
    let obj = Object::new();
    for (k, v) in attrs {
        define(&obj, k, &to_js(v));
    }
    obj.into()
}
