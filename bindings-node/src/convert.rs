//! JavaScript values <-> core values, and core errors -> JavaScript errors.

use napi::bindgen_prelude::*;
use napi::{sys, JsValue, ValueType};
use weft_core::{
    Attributes, ContainerId, ContainerKind, Expand, FieldValue, Gravity, Number, Value,
};

use crate::error::{coded, invalid, Code};

const MAX_DEPTH: usize = 64;

fn internal(e: Error) -> Error<Code> {
    invalid(e.reason.clone())
}

pub(crate) fn replica_id(v: &Unknown<'_>) -> Result<u64, Code> {
    let bad = || invalid("replica id must be a bigint in 0..2^64");
    if v.get_type().ok() != Some(ValueType::BigInt) {
        return Err(bad());
    }
    // SAFETY: checked to be a bigint.
    let (signed, value, lossless) = unsafe { v.cast::<BigInt>() }.map_err(|_| bad())?.get_u64();
    if signed || !lossless {
        return Err(bad());
    }
    Ok(value)
}

/// A text or list index (or length): a non-negative integer.
#[inline]
pub(crate) fn index(v: &Unknown<'_>) -> Result<usize, Code> {
    // SAFETY: the f64 conversion checks the value's type itself.
    let n = unsafe { v.cast::<f64>() }.unwrap_or(f64::NAN);
    if n >= 0.0 && n.fract() == 0.0 {
        // Beyond usize it is out of range for any sequence: saturate and let the
        // core say so with the sequence's length.
        return Ok(if n >= usize::MAX as f64 {
            usize::MAX
        } else {
            n as usize
        });
    }
    Err(coded("WEFT_INDEX", "an index is a non-negative integer"))
}

/// A string argument (field names, text).
#[inline]
pub(crate) fn string(v: &Unknown<'_>, what: &str) -> Result<String, Code> {
    // SAFETY: the string conversion checks the value's type itself.
    unsafe { v.cast::<String>() }.map_err(|_| invalid(format!("{what} must be a string")))
}

/// A field name.
pub(crate) fn key(v: &Unknown<'_>) -> Result<String, Code> {
    string(v, "a field name")
}

/// Encoded bytes: a `Uint8Array` (a `Buffer` is one).
pub(crate) fn bytes(v: &Unknown<'_>) -> Result<Uint8Array, Code> {
    let ok = v.is_typedarray().unwrap_or(false);
    // SAFETY: checked to be a typed array; the cast checks the element type.
    ok.then(|| unsafe { v.cast::<Uint8Array>() }.ok())
        .flatten()
        .ok_or_else(|| invalid("encoded bytes are a Uint8Array"))
}

/// A container kind as the contract spells it.
pub(crate) fn kind(v: &Unknown<'_>) -> Result<ContainerKind, Code> {
    string(v, "a container kind")
        .ok()
        .as_deref()
        .and_then(ContainerKind::parse)
        .ok_or_else(|| invalid("container kinds are map, list, text, counter or set"))
}

/// Which side a stable position sticks to: `"left"` or `"right"`.
pub(crate) fn gravity(v: &Unknown<'_>) -> Result<Gravity, Code> {
    match string(v, "gravity").ok().as_deref() {
        Some("left") => Ok(Gravity::Left),
        Some("right") => Ok(Gravity::Right),
        _ => Err(invalid("gravity is \"left\" or \"right\"")),
    }
}

/// A mark's expand policy: `"none"`, `"before"`, `"after"` or `"both"`.
pub(crate) fn expand(v: &Unknown<'_>) -> Result<Expand, Code> {
    match string(v, "expand").ok().as_deref() {
        Some("none") => Ok(Expand::None),
        Some("before") => Ok(Expand::Before),
        Some("after") => Ok(Expand::After),
        Some("both") => Ok(Expand::Both),
        _ => Err(invalid(
            "expand is \"none\", \"before\", \"after\" or \"both\"",
        )),
    }
}

/// A boolean argument.
pub(crate) fn boolean(v: &Unknown<'_>, what: &str) -> Result<bool, Code> {
    match v.get_type().ok() {
        // SAFETY: checked to be a boolean.
        Some(ValueType::Boolean) => Ok(unsafe { v.cast::<bool>() }.unwrap_or(false)),
        _ => Err(invalid(format!("{what} takes a boolean"))),
    }
}

/// A counter delta: a finite number or a bigint in i64 (a NaN would stick to the
/// counter forever).
pub(crate) fn number(v: &Unknown<'_>) -> Result<Number, Code> {
    match from_js(v, 0)? {
        Value::Int(i) => Ok(Number::Int(i)),
        Value::Float(f) if f.is_finite() => Ok(Number::Float(f)),
        _ => Err(invalid("a counter delta is a finite number or a bigint")),
    }
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
                let mut out = Vec::with_capacity(len as usize);
                for i in 0..len {
                    let key: String = names.get_element(i).map_err(internal)?;
                    let item: Unknown = obj.get_named_property(&key).map_err(internal)?;
                    out.push((key, from_js(&item, depth + 1)?));
                }
                // Collected: sorted once by key.
                Ok(Value::Object(out.into_iter().collect()))
            }
            _ => Err(invalid(
                "unsupported value: use null, boolean, number, bigint, string, Uint8Array, array or plain object",
            )),
        }
    }
}

/// A field's content on its way out: a value, a `ContainerRef`, or `undefined`.
pub struct FieldOut(pub Option<FieldValue>);

impl ToNapiValue for FieldOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe {
            match &val.0 {
                None => Undefined::to_napi_value(env, ()),
                Some(f) => field_to_js(env, f),
            }
        }
    }
}

/// `{ container, kind }`: how a container shows where a value would.
pub(crate) unsafe fn container_ref(
    env: sys::napi_env,
    id: &ContainerId,
) -> napi::Result<sys::napi_value> {
    unsafe {
        let mut obj = std::ptr::null_mut();
        napi::check_status!(sys::napi_create_object(env, &mut obj))?;
        let c = String::to_napi_value(env, id.to_id_string())?;
        let k = <&str>::to_napi_value(env, id.kind().as_str())?;
        napi::check_status!(sys::napi_set_named_property(
            env,
            obj,
            c"container".as_ptr(),
            c
        ))?;
        napi::check_status!(sys::napi_set_named_property(env, obj, c"kind".as_ptr(), k))?;
        Ok(obj)
    }
}

pub(crate) unsafe fn field_to_js(
    env: sys::napi_env,
    f: &FieldValue,
) -> napi::Result<sys::napi_value> {
    unsafe {
        match f {
            FieldValue::Value(v) => to_js(env, v),
            FieldValue::Container(id) => container_ref(env, id),
        }
    }
}

/// A core value on its way out to JavaScript.
pub struct JsOut(pub Value);

impl ToNapiValue for JsOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe { to_js(env, &val.0) }
    }
}

pub(crate) unsafe fn to_js(env: sys::napi_env, v: &Value) -> napi::Result<sys::napi_value> {
    unsafe {
        match v {
            Value::Null => Null::to_napi_value(env, Null),
            Value::Bool(b) => bool::to_napi_value(env, *b),
            Value::Int(i) if Value::is_js_safe_int(*i) => f64::to_napi_value(env, *i as f64),
            Value::Int(i) => BigInt::to_napi_value(env, BigInt::from(*i)),
            Value::Float(f) => f64::to_napi_value(env, *f),
            Value::Str(s) => <&str>::to_napi_value(env, s.as_str()),
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
                    let key = <&str>::to_napi_value(env, k.as_str())?;
                    let js = to_js(env, item)?;
                    // Defined, not assigned: `__proto__` is a key like any other.
                    let desc = sys::napi_property_descriptor {
                        utf8name: std::ptr::null(),
                        name: key,
                        method: None,
                        getter: None,
                        setter: None,
                        value: js,
                        attributes: sys::PropertyAttributes::writable
                            | sys::PropertyAttributes::enumerable
                            | sys::PropertyAttributes::configurable,
                        data: std::ptr::null_mut(),
                    };
                    napi::check_status!(sys::napi_define_properties(env, obj, 1, &desc))?;
                }
                Ok(obj)
            }
        }
    }
}

/// Sets `obj[name] = value`.
pub(crate) unsafe fn set(
    env: sys::napi_env,
    obj: sys::napi_value,
    name: &std::ffi::CStr,
    value: sys::napi_value,
) -> napi::Result<()> {
    unsafe { napi::check_status!(sys::napi_set_named_property(env, obj, name.as_ptr(), value)) }
}

/// A new plain object.
pub(crate) unsafe fn object(env: sys::napi_env) -> napi::Result<sys::napi_value> {
    unsafe {
        let mut obj = std::ptr::null_mut();
        napi::check_status!(sys::napi_create_object(env, &mut obj))?;
        Ok(obj)
    }
}

/// A new array of `items`.
pub(crate) unsafe fn array<T>(
    env: sys::napi_env,
    items: &[T],
    mut each: impl FnMut(&T) -> napi::Result<sys::napi_value>,
) -> napi::Result<sys::napi_value> {
    unsafe {
        let mut arr = std::ptr::null_mut();
        napi::check_status!(sys::napi_create_array_with_length(
            env,
            items.len(),
            &mut arr
        ))?;
        for (i, item) in items.iter().enumerate() {
            let js = each(item)?;
            napi::check_status!(sys::napi_set_element(env, arr, i as u32, js))?;
        }
        Ok(arr)
    }
}

/// A counter total: a number, or a bigint beyond 2^53.
pub struct NumberOut(pub Number);

impl ToNapiValue for NumberOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe { to_js(env, &val.0.to_value()) }
    }
}

/// Many values or containers.
pub struct FieldsOut(pub Vec<FieldValue>);

impl ToNapiValue for FieldsOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe { array(env, &val.0, |f| field_to_js(env, f)) }
    }
}

/// Many values.
pub struct ValuesOut(pub Vec<Value>);

impl ToNapiValue for ValuesOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe { array(env, &val.0, |v| to_js(env, v)) }
    }
}

/// Formatting as an object: mark name -> value.
pub(crate) unsafe fn attributes_to_js(
    env: sys::napi_env,
    attrs: &Attributes,
) -> napi::Result<sys::napi_value> {
    unsafe {
        let obj = object(env)?;
        for (k, v) in attrs {
            let key = <&str>::to_napi_value(env, k)?;
            let js = to_js(env, v)?;
            napi::check_status!(sys::napi_set_property(env, obj, key, js))?;
        }
        Ok(obj)
    }
}

/// Formatted runs of text.
pub struct DeltaOut(pub Vec<weft_core::DeltaRun>);

impl ToNapiValue for DeltaOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        unsafe {
            array(env, &val.0, |r| {
                let obj = object(env)?;
                set(env, obj, c"insert", <&str>::to_napi_value(env, &r.insert)?)?;
                if !r.attributes.is_empty() {
                    set(
                        env,
                        obj,
                        c"attributes",
                        attributes_to_js(env, &r.attributes)?,
                    )?;
                }
                Ok(obj)
            })
        }
    }
}
