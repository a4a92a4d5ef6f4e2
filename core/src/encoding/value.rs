//! The encoding of JSON-like values, shared by every payload.

use super::reader::Reader;
use super::writer::Writer;
use super::DecodeError;
use crate::change::NewValue;
use crate::{ContainerKind, Value};

/// Deeper nesting is refused so that hostile input cannot exhaust the stack.
pub(crate) const MAX_DEPTH: usize = 64;

const TAG_NULL: u8 = 0;
const TAG_FALSE: u8 = 1;
const TAG_TRUE: u8 = 2;
const TAG_INT: u8 = 3;
const TAG_FLOAT: u8 = 4;
const TAG_STR: u8 = 5;
const TAG_BYTES: u8 = 6;
const TAG_ARRAY: u8 = 7;
const TAG_OBJECT: u8 = 8;

pub(crate) fn write_value(w: &mut Writer, v: &Value) {
    match v {
        Value::Null => w.u8(TAG_NULL),
        Value::Bool(false) => w.u8(TAG_FALSE),
        Value::Bool(true) => w.u8(TAG_TRUE),
        Value::Int(i) => {
            w.u8(TAG_INT);
            w.ivarint(*i);
        }
        Value::Float(f) => {
            w.u8(TAG_FLOAT);
            w.f64(*f);
        }
        Value::Str(s) => {
            w.u8(TAG_STR);
            w.str(s);
        }
        Value::Bytes(b) => {
            w.u8(TAG_BYTES);
            w.bytes(b);
        }
        Value::Array(items) => {
            w.u8(TAG_ARRAY);
            w.uvarint(items.len() as u64);
            for item in items {
                write_value(w, item);
            }
        }
        Value::Object(map) => {
            w.u8(TAG_OBJECT);
            w.uvarint(map.len() as u64);
            for (k, item) in map {
                w.str(k);
                write_value(w, item);
            }
        }
    }
}

/// The canonical bytes of a value: set members are keyed by them.
pub(crate) fn value_key(v: &Value) -> Vec<u8> {
    let mut w = Writer::new();
    write_value(&mut w, v);
    w.buf
}

pub(crate) fn read_value(r: &mut Reader<'_>, depth: usize) -> Result<Value, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::TooDeep(MAX_DEPTH));
    }
    let offset = r.offset();
    Ok(match r.u8()? {
        TAG_NULL => Value::Null,
        TAG_FALSE => Value::Bool(false),
        TAG_TRUE => Value::Bool(true),
        TAG_INT => Value::Int(r.ivarint()?),
        TAG_FLOAT => Value::Float(r.f64()?),
        TAG_STR => Value::Str(r.str()?.to_owned()),
        TAG_BYTES => Value::Bytes(r.bytes()?.to_vec()),
        TAG_ARRAY => {
            let n = r.count(1)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(read_value(r, depth + 1)?);
            }
            Value::Array(items)
        }
        TAG_OBJECT => {
            let n = r.count(2)?;
            // Collected, not inserted one by one: sorted once, whatever order a
            // peer wrote the keys in.
            let mut entries = Vec::with_capacity(n);
            for _ in 0..n {
                let k = r.str()?.to_owned();
                entries.push((k, read_value(r, depth + 1)?));
            }
            Value::Object(entries.into_iter().collect())
        }
        tag => return Err(DecodeError::UnknownTag { tag, offset }),
    })
}

/// A list element or map field's new value: `kind` 0 for a value (read from
/// `r`), else 1 + the tag of a new container's kind. `offset`: where the kind
/// was read, for the error. Shared by the change columns and the log's rows.
pub(crate) fn read_new_value(
    kind: u64,
    offset: usize,
    r: &mut Reader<'_>,
) -> Result<NewValue, DecodeError> {
    Ok(match kind {
        0 => NewValue::Value(read_value(r, 0)?),
        k => NewValue::Container(
            u8::try_from(k - 1)
                .ok()
                .and_then(ContainerKind::from_tag)
                .ok_or(DecodeError::UnknownTag {
                    tag: k as u8,
                    offset,
                })?,
        ),
    })
}
