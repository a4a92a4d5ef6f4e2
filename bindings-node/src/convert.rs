//! JavaScript values <-> core values, and core errors -> JavaScript errors.

use std::collections::BTreeMap;

use napi::bindgen_prelude::*;
use napi::{sys, JsValue, ValueType};
use weft_core::{ImportError, Value};

const MAX_DEPTH: usize = 64;

/// The stable `code` a thrown error carries (napi-rs puts it on `error.code`).
pub struct Code(&'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

fn coded(code: &'static str, message: impl Into<String>) -> Error<Code> {
    Error::new(Code(code), message.into())
}

pub(crate) fn import_error(e: ImportError) -> Error<Code> {
    coded(e.code(), e.to_string())
}

fn invalid(message: impl Into<String>) -> Error<Code> {
    coded("WEFT_INVALID_VALUE", message)
}

fn internal(e: Error) -> Error<Code> {
    coded("WEFT_INVALID_VALUE", e.reason.clone())
}

pub(crate) fn replica_id(v: BigInt) -> Result<u64, Code> {
    let (signed, value, lossless) = v.get_u64();
    if signed || !lossless {
        return Err(invalid("replica id must be a bigint in 0..2^64"));
    }
    Ok(value)
}

pub(crate) fn from_js(v: &Unknown<'_>, depth: usize) -> Result<Value, Code> {
    if depth > MAX_DEPTH {
        return Err(invalid(format!(
            "value nested deeper than {MAX_DEPTH} levels"
        )));
    }
    // SAFETY: each cast below matches the type napi reported for the value.
    unsafe {
        match v.get_type().map_err(internal)? {
            ValueType::Null => Ok(Value::Null),
            ValueType::Boolean => Ok(Value::Bool(v.cast::<bool>().map_err(internal)?)),
            ValueType::Number => Ok(Value::from_js_number(v.cast::<f64>().map_err(internal)?)),
            ValueType::String => Ok(Value::Str(v.cast::<String>().map_err(internal)?)),
            ValueType::BigInt => {
                let (n, lossless) = v.cast::<BigInt>().map_err(internal)?.get_i64();
                if !lossless {
                    return Err(invalid("bigint out of i64 range"));
                }
                Ok(Value::Int(n))
            }
            ValueType::Object if v.is_typedarray().map_err(internal)? => {
                let bytes = v
                    .cast::<Uint8Array>()
                    .map_err(|_| invalid("only Uint8Array is accepted as bytes"))?;
                Ok(Value::Bytes(bytes.to_vec()))
            }
            ValueType::Object if v.is_array().map_err(internal)? => {
                let arr = v.cast::<Object>().map_err(internal)?;
                let len = arr.get_array_length().map_err(internal)?;
                let mut out = Vec::with_capacity(len as usize);
                for i in 0..len {
                    let item: Unknown = arr.get_element(i).map_err(internal)?;
                    out.push(from_js(&item, depth + 1)?);
                }
                Ok(Value::Array(out))
            }
            ValueType::Object => {
                let obj = v.cast::<Object>().map_err(internal)?;
                let names = obj.get_property_names().map_err(internal)?;
                let len = names.get_array_length().map_err(internal)?;
                let mut out = BTreeMap::new();
                for i in 0..len {
                    let key: String = names.get_element(i).map_err(internal)?;
                    let item: Unknown = obj.get_named_property(&key).map_err(internal)?;
                    out.insert(key, from_js(&item, depth + 1)?);
                }
                Ok(Value::Object(out))
            }
            _ => Err(invalid(
                "unsupported value: use null, boolean, number, bigint, string, Uint8Array, array or plain object",
            )),
        }
    }
}

/// A core value on its way out to JavaScript.
pub struct JsOut<'a>(pub &'a Value);

impl ToNapiValue for JsOut<'_> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe { to_js(env, val.0) }
    }
}

unsafe fn to_js(env: sys::napi_env, v: &Value) -> napi::Result<sys::napi_value> {
    unsafe {
        match v {
            Value::Null => Null::to_napi_value(env, Null),
            Value::Bool(b) => bool::to_napi_value(env, *b),
            Value::Int(i) if Value::is_js_safe_int(*i) => f64::to_napi_value(env, *i as f64),
            Value::Int(i) => BigInt::to_napi_value(env, BigInt::from(*i)),
            Value::Float(f) => f64::to_napi_value(env, *f),
            Value::Str(s) => String::to_napi_value(env, s.clone()),
            Value::Bytes(b) => Uint8Array::to_napi_value(env, Uint8Array::new(b.clone())),
            Value::Array(items) => {
                let mut arr = std::ptr::null_mut();
                napi::check_status!(sys::napi_create_array_with_length(
                    env,
                    items.len(),
                    &mut arr
                ))?;
                for (i, item) in items.iter().enumerate() {
                    let js = to_js(env, item)?;
                    napi::check_status!(sys::napi_set_element(env, arr, i as u32, js))?;
                }
                Ok(arr)
            }
            Value::Object(map) => {
                let mut obj = std::ptr::null_mut();
                napi::check_status!(sys::napi_create_object(env, &mut obj))?;
                for (k, item) in map {
                    let key = String::to_napi_value(env, k.clone())?;
                    let js = to_js(env, item)?;
                    napi::check_status!(sys::napi_set_property(env, obj, key, js))?;
                }
                Ok(obj)
            }
        }
    }
}
