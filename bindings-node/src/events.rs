//! Core events as the contract's `WeftEvent` objects.

use napi::bindgen_prelude::*;
use napi::sys;
use weft_core::{Diff, Event, ListDelta, TextDelta};

use crate::convert::{array, attributes_to_js, field_to_js, object, set, to_js};

/// Events on their way out to JavaScript.
pub struct EventsOut(pub Vec<Event>);

impl ToNapiValue for EventsOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        // Kinds of change this binding does not know yet are left out.
        let known: Vec<&Event> = val.0.iter().filter(|e| kind(&e.diff).is_some()).collect();
        unsafe { array(env, &known, |e| event(env, e)) }
    }
}

fn kind(d: &Diff) -> Option<&'static str> {
    Some(match d {
        Diff::Map { .. } => "map",
        Diff::Text(_) => "text",
        Diff::List(_) => "list",
        Diff::Counter(_) => "counter",
        Diff::Set { .. } => "set",
        _ => return None,
    })
}

unsafe fn num(env: sys::napi_env, n: usize) -> napi::Result<sys::napi_value> {
    unsafe { f64::to_napi_value(env, n as f64) }
}

unsafe fn step(
    env: sys::napi_env,
    name: &std::ffi::CStr,
    value: sys::napi_value,
) -> napi::Result<sys::napi_value> {
    unsafe {
        let obj = object(env)?;
        set(env, obj, name, value)?;
        Ok(obj)
    }
}

unsafe fn text_op(env: sys::napi_env, d: &TextDelta) -> napi::Result<sys::napi_value> {
    unsafe {
        match d {
            TextDelta::Retain(n) => step(env, c"retain", num(env, *n)?),
            TextDelta::Insert(s) => step(env, c"insert", <&str>::to_napi_value(env, s)?),
            TextDelta::Delete(n) => step(env, c"delete", num(env, *n)?),
            TextDelta::Format(n, attrs) => {
                let obj = step(env, c"retain", num(env, *n)?)?;
                set(env, obj, c"attributes", attributes_to_js(env, attrs)?)?;
                Ok(obj)
            }
            TextDelta::InsertFormatted(s, attrs) => {
                let obj = step(env, c"insert", <&str>::to_napi_value(env, s)?)?;
                set(env, obj, c"attributes", attributes_to_js(env, attrs)?)?;
                Ok(obj)
            }
        }
    }
}

unsafe fn list_op(env: sys::napi_env, d: &ListDelta) -> napi::Result<sys::napi_value> {
    unsafe {
        match d {
            ListDelta::Retain(n) => step(env, c"retain", num(env, *n)?),
            ListDelta::Insert(items) => {
                step(env, c"insert", array(env, items, |f| field_to_js(env, f))?)
            }
            ListDelta::Delete(n) => step(env, c"delete", num(env, *n)?),
        }
    }
}

unsafe fn event(env: sys::napi_env, e: &&Event) -> napi::Result<sys::napi_value> {
    unsafe {
        let obj = object(env)?;
        let container = String::to_napi_value(env, e.container.to_id_string())?;
        set(env, obj, c"container", container)?;
        let kind = kind(&e.diff).unwrap_or("map");
        set(env, obj, c"kind", <&str>::to_napi_value(env, kind)?)?;
        match &e.diff {
            Diff::Map { key, value } => {
                set(env, obj, c"key", <&str>::to_napi_value(env, key)?)?;
                let v = match value {
                    Some(f) => field_to_js(env, f)?,
                    None => Undefined::to_napi_value(env, ())?,
                };
                set(env, obj, c"value", v)?;
            }
            Diff::Text(deltas) => {
                set(env, obj, c"delta", array(env, deltas, |d| text_op(env, d))?)?;
            }
            Diff::List(deltas) => {
                set(env, obj, c"delta", array(env, deltas, |d| list_op(env, d))?)?;
            }
            Diff::Counter(n) => set(env, obj, c"value", to_js(env, &n.to_value())?)?,
            Diff::Set { member, present } => {
                set(env, obj, c"member", to_js(env, member)?)?;
                set(env, obj, c"present", bool::to_napi_value(env, *present)?)?;
            }
            _ => {}
        }
        Ok(obj)
    }
}
