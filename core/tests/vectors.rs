//! Test vectors: the committed `tests/vectors/expected.json` must be exactly what the
//! core produces from `scenarios.json`, and its bytes must decode to its values.
//! The WebAssembly and N-API builds check the same file (sdk/test/vectors.test.ts).

#[path = "vectors/script.rs"]
mod script;

use std::sync::Arc;

use script::{unhex, value_to_json, FRESH_MS};
use serde_json::Value as Json;
use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId};

fn committed() -> Json {
    let text = include_str!("vectors/expected.json");
    serde_json::from_str(text).expect("expected.json")
}

#[test]
fn committed_vectors_are_what_the_core_produces() {
    let now = script::expected();
    let committed = committed();
    for (a, b) in now["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .zip(committed["vectors"].as_array().unwrap())
    {
        assert_eq!(
            a, b,
            "vector {} changed: if intended, run `cargo run -p weft-core --example vectors`",
            a["name"]
        );
    }
    assert_eq!(now, committed);
}

fn fresh() -> Doc {
    Doc::with_clock(ReplicaId(0xee), Arc::new(FixedClock::new(FRESH_MS)))
}

fn bytes(j: &Json) -> Vec<u8> {
    unhex(j.as_str().expect("hex"))
}

#[test]
fn committed_bytes_decode_to_their_values() {
    let committed = committed();
    for v in committed["vectors"].as_array().unwrap() {
        let replicas = v["replicas"].as_array().unwrap();
        for r in replicas {
            for form in ["snapshot", "state", "changes"] {
                let mut d = fresh();
                d.import(&bytes(&r[form])).unwrap();
                assert_eq!(
                    value_to_json(&d.to_value()),
                    r["json"],
                    "{} {form}",
                    v["name"]
                );
            }
        }
        // Replicas that synced last hold the same value.
        let events = script::import_events(&bytes(&replicas[0]["changes"]));
        assert_eq!(Json::Array(events), v["events"], "{} events", v["name"]);
    }
}

#[test]
fn vectors_cover_every_kind_of_step() {
    let scenarios: Json = serde_json::from_str(script::SCENARIOS).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for sc in scenarios["scenarios"].as_array().unwrap() {
        for step in sc["steps"].as_array().unwrap() {
            seen.insert(step[1].as_str().unwrap().to_owned());
        }
    }
    for op in [
        "time",
        "set",
        "delete",
        "commit",
        "text_insert",
        "text_delete",
        "map_set",
        "map_delete",
        "list_insert",
        "list_delete",
        "counter_add",
        "set_add",
        "set_remove",
        "sync",
        "mark",
        "unmark",
    ] {
        assert!(seen.contains(op), "no scenario uses {op}");
    }
}
