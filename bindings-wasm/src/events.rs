//! Core events as the contract's `WeftEvent` objects.

use js_sys::Array;
use wasm_bindgen::prelude::*;
use weft_core::{Diff, Event, ListDelta, TextDelta};

use crate::convert::{attributes_to_js, field_to_js, number_to_js, object, opt_field_to_js, to_js};

fn text_op(d: &TextDelta) -> JsValue {
    match d {
        TextDelta::Retain(n) => object(&[("retain", (*n as f64).into())]),
        TextDelta::Insert(s) => object(&[("insert", s.as_str().into())]),
        TextDelta::Delete(n) => object(&[("delete", (*n as f64).into())]),
        TextDelta::Format(n, attrs) => object(&[
            ("retain", (*n as f64).into()),
            ("attributes", attributes_to_js(attrs)),
        ]),
        TextDelta::InsertFormatted(s, attrs) => object(&[
            ("insert", s.as_str().into()),
            ("attributes", attributes_to_js(attrs)),
        ]),
    }
}

fn list_op(d: &ListDelta) -> JsValue {
    match d {
        ListDelta::Retain(n) => object(&[("retain", (*n as f64).into())]),
        ListDelta::Insert(items) => object(&[(
            "insert",
            items.iter().map(field_to_js).collect::<Array>().into(),
        )]),
        ListDelta::Delete(n) => object(&[("delete", (*n as f64).into())]),
    }
}

/// One event, or `None` for a kind of change this binding does not know yet.
pub(crate) fn event(e: &Event) -> Option<JsValue> {
    let container: JsValue = e.container.to_id_string().into();
    Some(match &e.diff {
        Diff::Map { key, value } => object(&[
            ("container", container),
            ("kind", "map".into()),
            ("key", (&**key).into()),
            ("value", opt_field_to_js(value.as_ref())),
        ]),
        Diff::Text(deltas) => object(&[
            ("container", container),
            ("kind", "text".into()),
            (
                "delta",
                deltas.iter().map(text_op).collect::<Array>().into(),
            ),
        ]),
        Diff::List(deltas) => object(&[
            ("container", container),
            ("kind", "list".into()),
            (
                "delta",
                deltas.iter().map(list_op).collect::<Array>().into(),
            ),
        ]),
        Diff::Counter(n) => object(&[
            ("container", container),
            ("kind", "counter".into()),
            ("value", number_to_js(*n)),
        ]),
        Diff::Set { member, present } => object(&[
            ("container", container),
            ("kind", "set".into()),
            ("member", to_js(member)),
            ("present", (*present).into()),
        ]),
        _ => return None,
    })
}
