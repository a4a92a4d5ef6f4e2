//! JSON-like scalar values held by fields.

use crate::VecMap;

/// A JSON-like value. Fields holding a `Value` are last-writer-wins registers: a
/// write replaces the whole value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// The absence of a value that was nevertheless written.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A signed 64-bit integer.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// A UTF-8 string.
    Str(String),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// A plain array (replaced as a whole, not merged element-wise).
    Array(Vec<Value>),
    /// A plain object (replaced as a whole, not merged key-wise), keys in order.
    Object(VecMap<String, Value>),
}

/// The largest integer JavaScript's `number` holds exactly (2^53 - 1).
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

impl Value {
    /// A JavaScript `number` as a value: integral numbers within the safe range
    /// become `Int`, so a value written from JavaScript reads back the same through
    /// every binding (and merges with integers written from Rust); others `Float`.
    pub fn from_js_number(n: f64) -> Value {
        if n.fract() == 0.0
            && n.abs() <= MAX_SAFE_INTEGER as f64
            && !(n == 0.0 && n.is_sign_negative())
        {
            Value::Int(n as i64)
        } else {
            Value::Float(n)
        }
    }

    /// Whether an integer survives a round trip through a JavaScript `number`;
    /// bindings hand larger ones out as bigints.
    pub fn is_js_safe_int(i: i64) -> bool {
        i.unsigned_abs() <= MAX_SAFE_INTEGER as u64
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

/// A counter delta or total: integers stay exact, floats are allowed too.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// An exact integer (wrapping on overflow, never panicking).
    Int(i64),
    /// A float.
    Float(f64),
}

impl Number {
    /// The number as a [`Value`].
    pub fn to_value(self) -> Value {
        match self {
            Number::Int(i) => Value::Int(i),
            Number::Float(f) => Value::Float(f),
        }
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        Number::Int(v)
    }
}

impl From<f64> for Number {
    fn from(v: f64) -> Self {
        Number::Float(v)
    }
}
