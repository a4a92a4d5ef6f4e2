//! Replays the scripts of `scenarios.json` on the Rust core and describes what they
//! produce (bytes as hex, values as tagged JSON). Shared by the vectors test, which
//! checks the committed `expected.json`, and `cargo run -p weft-core --example
//! vectors`, which rewrites it. The JavaScript bindings replay the same scripts
//! (sdk/test/vectors.test.ts) and must produce the same bytes.

use std::sync::Arc;

use serde_json::{json, Map, Value as Json};
use weft_core::clock::FixedClock;
use weft_core::{Diff, Doc, Event, FieldValue, ListDelta, Number, ReplicaId, TextDelta, Value};

/// The clock of the fresh replicas that import the vectors (after every script's).
pub const FRESH_MS: u64 = 1_800_000_000_000;

pub const SCENARIOS: &str = include_str!("scenarios.json");

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A tagged JSON value as a core value (integral numbers are integers, as in
/// JavaScript).
pub fn value_from_json(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::from_js_number(n.as_f64().expect("number")),
        },
        Json::String(s) => Value::Str(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(value_from_json).collect()),
        Json::Object(m) => {
            if let Some(Json::String(s)) = m.get("$int") {
                return Value::Int(s.parse().expect("$int"));
            }
            if let Some(Json::String(s)) = m.get("$bytes") {
                return Value::Bytes(unhex(s));
            }
            if let Some(f) = m.get("$float") {
                return Value::Float(f.as_f64().expect("$float"));
            }
            Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), value_from_json(v)))
                    .collect(),
            )
        }
    }
}

/// A core value as tagged JSON (the inverse of [`value_from_json`]).
pub fn value_to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) if Value::is_js_safe_int(*i) => json!(i),
        Value::Int(i) => json!({ "$int": i.to_string() }),
        Value::Float(f) if f.fract() == 0.0 => json!({ "$float": f }),
        Value::Float(f) => json!(f),
        Value::Str(s) => json!(s),
        Value::Bytes(b) => json!({ "$bytes": hex(b) }),
        Value::Array(items) => Json::Array(items.iter().map(value_to_json).collect()),
        Value::Object(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), value_to_json(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

fn field_to_json(f: &FieldValue) -> Json {
    match f {
        FieldValue::Value(v) => value_to_json(v),
        FieldValue::Container(id) => {
            json!({ "container": id.to_id_string(), "kind": id.kind().as_str() })
        }
    }
}

fn attributes_to_json(attrs: &weft_core::Attributes) -> Json {
    Json::Object(
        attrs
            .iter()
            .map(|(k, v)| (k.to_string(), value_to_json(v)))
            .collect(),
    )
}

fn number_to_json(n: Number) -> Json {
    value_to_json(&n.to_value())
}

/// An event in the shape of the TypeScript contract's `WeftEvent`.
pub fn event_to_json(e: &Event) -> Json {
    let container = e.container.to_id_string();
    match &e.diff {
        Diff::Map { key, value } => {
            let mut m = json!({ "container": container, "kind": "map", "key": &**key });
            if let Some(v) = value {
                m["value"] = field_to_json(v);
            }
            m
        }
        Diff::Text(deltas) => {
            let delta: Vec<Json> = deltas
                .iter()
                .map(|d| match d {
                    TextDelta::Retain(n) => json!({ "retain": n }),
                    TextDelta::Insert(s) => json!({ "insert": s }),
                    TextDelta::Delete(n) => json!({ "delete": n }),
                    TextDelta::Format(n, attrs) => {
                        json!({ "retain": n, "attributes": attributes_to_json(attrs) })
                    }
                    TextDelta::InsertFormatted(s, attrs) => {
                        json!({ "insert": s, "attributes": attributes_to_json(attrs) })
                    }
                })
                .collect();
            json!({ "container": container, "kind": "text", "delta": delta })
        }
        Diff::List(deltas) => {
            let delta: Vec<Json> = deltas
                .iter()
                .map(|d| match d {
                    ListDelta::Retain(n) => json!({ "retain": n }),
                    ListDelta::Insert(items) => {
                        json!({ "insert": items.iter().map(field_to_json).collect::<Vec<_>>() })
                    }
                    ListDelta::Delete(n) => json!({ "delete": n }),
                })
                .collect();
            json!({ "container": container, "kind": "list", "delta": delta })
        }
        Diff::Counter(n) => {
            json!({ "container": container, "kind": "counter", "value": number_to_json(*n) })
        }
        Diff::Set { member, present } => json!({
            "container": container, "kind": "set",
            "member": value_to_json(member), "present": present
        }),
        other => json!({ "container": container, "unknown": format!("{other:?}") }),
    }
}

fn s(j: &Json) -> &str {
    j.as_str().expect("a string argument")
}

fn n(j: &Json) -> usize {
    j.as_u64().expect("an index") as usize
}

/// Replays one scenario; returns its replicas.
pub fn replay(scenario: &Json) -> Vec<Doc> {
    let mut docs: Vec<Doc> = scenario["replicas"]
        .as_array()
        .expect("replicas")
        .iter()
        .map(|r| {
            let id = u64::from_str_radix(s(r), 16).expect("hex replica id");
            Doc::with_clock(ReplicaId(id), Arc::new(FixedClock::new(0)))
        })
        .collect();
    for step in scenario["steps"].as_array().expect("steps") {
        let step = step.as_array().expect("a step is an array");
        let at = n(&step[0]);
        let a = &step[2..];
        let doc = &mut docs[at];
        match s(&step[1]) {
            "time" => doc.set_clock(Arc::new(FixedClock::new(a[0].as_u64().expect("ms")))),
            "set" => doc.set(s(&a[0]), value_from_json(&a[1])),
            "delete" => doc.delete(s(&a[0])),
            "commit" => {
                doc.commit();
            }
            "text_insert" => {
                let t = doc.text(s(&a[0])).unwrap();
                doc.text_insert_utf16(&t, n(&a[1]), s(&a[2])).unwrap();
            }
            "text_delete" => {
                let t = doc.text(s(&a[0])).unwrap();
                doc.text_delete_utf16(&t, n(&a[1]), n(&a[2])).unwrap();
            }
            "mark" => {
                let t = doc.text(s(&a[0])).unwrap();
                doc.text_mark_utf16(&t, n(&a[1]), n(&a[2]), s(&a[3]), value_from_json(&a[4]))
                    .unwrap();
            }
            "unmark" => {
                let t = doc.text(s(&a[0])).unwrap();
                doc.text_unmark_utf16(&t, n(&a[1]), n(&a[2]), s(&a[3]))
                    .unwrap();
            }
            "map_set" => {
                let m = doc.map(s(&a[0])).unwrap();
                doc.map_set(&m, s(&a[1]), value_from_json(&a[2])).unwrap();
            }
            "map_delete" => {
                let m = doc.map(s(&a[0])).unwrap();
                doc.map_delete(&m, s(&a[1])).unwrap();
            }
            "list_insert" => {
                let l = doc.list(s(&a[0])).unwrap();
                doc.list_insert(&l, n(&a[1]), value_from_json(&a[2]))
                    .unwrap();
            }
            "list_delete" => {
                let l = doc.list(s(&a[0])).unwrap();
                doc.list_delete(&l, n(&a[1]), n(&a[2])).unwrap();
            }
            "counter_add" => {
                let c = doc.counter(s(&a[0])).unwrap();
                let delta = match value_from_json(&a[1]) {
                    Value::Int(i) => Number::Int(i),
                    Value::Float(f) => Number::Float(f),
                    other => panic!("counter delta {other:?}"),
                };
                doc.counter_add(&c, delta).unwrap();
            }
            "set_add" => {
                let set = doc.or_set(s(&a[0])).unwrap();
                doc.set_add(&set, value_from_json(&a[1])).unwrap();
            }
            "set_remove" => {
                let set = doc.or_set(s(&a[0])).unwrap();
                doc.set_remove(&set, &value_from_json(&a[1])).unwrap();
            }
            "sync" => {
                let to = n(&a[0]);
                let since = docs[to].version().clone();
                let bytes = docs[at].export_changes(&since);
                docs[to].import(&bytes).unwrap();
            }
            other => panic!("unknown step {other}"),
        }
    }
    docs
}

/// The formatted runs of every text in a root field, by field.
pub fn deltas(doc: &mut Doc) -> Json {
    let fields: Vec<String> = doc.keys().map(str::to_owned).collect();
    let mut out = Map::new();
    for f in fields {
        if let Some(FieldValue::Container(id)) = doc.field(&f) {
            if id.kind() != weft_core::ContainerKind::Text {
                continue;
            }
        } else {
            continue;
        }
        let t = doc.text(&f).expect("a text");
        let runs: Vec<Json> = doc
            .text_delta(&t)
            .iter()
            .map(|r| match r.attributes.is_empty() {
                true => json!({ "insert": r.insert }),
                false => {
                    json!({ "insert": r.insert, "attributes": attributes_to_json(&r.attributes) })
                }
            })
            .collect();
        out.insert(f, Json::Array(runs));
    }
    Json::Object(out)
}

/// Events a fresh replica records while importing `changes`, text in UTF-16 units.
pub fn import_events(changes: &[u8]) -> Vec<Json> {
    let mut fresh = Doc::with_clock(ReplicaId(0xee), Arc::new(FixedClock::new(FRESH_MS)));
    fresh.set_utf16_events(true);
    fresh.record_events(true);
    fresh.import(changes).unwrap();
    fresh.take_events().iter().map(event_to_json).collect()
}

/// What the committed `expected.json` holds for every scenario.
pub fn expected() -> Json {
    let scenarios: Json = serde_json::from_str(SCENARIOS).expect("scenarios.json");
    let mut vectors = Vec::new();
    for sc in scenarios["scenarios"].as_array().expect("scenarios") {
        let mut docs = replay(sc);
        let replicas: Vec<Json> = docs
            .iter_mut()
            .map(|d| {
                // Exports commit pending ops; the JavaScript side exports in the
                // same order, so the bytes match.
                let snapshot = d.export_snapshot();
                let state = d.export_state();
                let changes = d.export_changes(&Default::default());
                let version = weft_core::encoding::encode_version(d.version());
                json!({
                    "replica": format!("{:x}", d.replica().0),
                    "json": value_to_json(&d.to_value()),
                    "deltas": deltas(d),
                    "snapshot": hex(&snapshot),
                    "state": hex(&state),
                    "changes": hex(&changes),
                    "version": hex(&version),
                })
            })
            .collect();
        let events = import_events(&unhex(replicas[0]["changes"].as_str().unwrap()));
        vectors.push(json!({ "name": sc["name"], "replicas": replicas, "events": events }));
    }
    json!({
        "about": "Generated by `cargo run -p weft-core --example vectors` from scenarios.json; checked by the core's vectors test and by both bindings (sdk/test/vectors.test.ts). Do not edit by hand.",
        "vectors": vectors,
    })
}
