//! JavaScript values <-> core values, and core errors -> JavaScript errors.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use weft_core::{ImportError, Value};

const MAX_DEPTH: usize = 64;

fn coded(code: &str, message: String) -> JsError {
    let err = JsError::new(&message);
    let js: JsValue = err.clone().into();
    // The stable `code` lets callers branch without parsing messages.
    let _ = Reflect::set(&js, &"code".into(), &code.into());
    err
}

pub(crate) fn import_error(e: ImportError) -> JsError {
    coded(e.code(), e.to_string())
}

pub(crate) fn from_js(v: &JsValue, depth: usize) -> Result<Value, JsError> {
    if depth > MAX_DEPTH {
        return Err(coded(
            "WEFT_INVALID_VALUE",
            format!("value nested deeper than {MAX_DEPTH} levels"),
        ));
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
        let n = i64::try_from(v.clone())
            .map_err(|_| coded("WEFT_INVALID_VALUE", "bigint out of i64 range".into()))?;
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
        let mut out = BTreeMap::new();
        for entry in Object::entries(v.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            out.insert(key, from_js(&pair.get(1), depth + 1)?);
        }
        return Ok(Value::Object(out));
    }
    Err(coded(
        "WEFT_INVALID_VALUE",
        "unsupported value: use null, boolean, number, bigint, string, Uint8Array, array or plain object".into(),
    ))
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
                let _ = Reflect::set(&obj, &JsValue::from_str(k), &to_js(item));
            }
            obj.into()
        }
    }
}
