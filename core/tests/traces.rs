//! End to end on real editing traces: replay each through a document's Text as
//! local edits, check the final text, export, import into a fresh document, compare,
//! and print the encoded sizes. Run with `--release --nocapture` to see figures.
//!
//! Traces are read from `WEFT_TRACES_DIR` (default `../../shared/data/traces` from
//! this crate); when absent the test says so and passes.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId};

#[derive(Deserialize)]
struct Trace {
    #[serde(rename = "startContent")]
    start_content: String,
    #[serde(rename = "endContent")]
    end_content: String,
    txns: Vec<Txn>,
}

#[derive(Deserialize)]
struct Txn {
    patches: Vec<(usize, usize, String)>,
}

fn traces_dir() -> PathBuf {
    std::env::var_os("WEFT_TRACES_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/traces"),
        PathBuf::from,
    )
}

fn load(name: &str) -> Option<Trace> {
    let path = traces_dir().join(format!("{name}.json.gz"));
    let file = std::fs::File::open(&path).ok()?;
    let mut json = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut json)
        .expect("trace is gzipped JSON");
    Some(serde_json::from_str(&json).expect("trace format"))
}

/// Replays a trace as local edits, one change per transaction.
fn replay(trace: &Trace) -> Doc {
    let mut doc = Doc::with_clock(
        ReplicaId(0x5eed),
        Arc::new(FixedClock::new(1_700_000_000_000)),
    );
    let text = doc.text("text").unwrap();
    doc.text_insert(&text, 0, &trace.start_content).unwrap();
    for txn in &trace.txns {
        for (pos, del, ins) in &txn.patches {
            doc.text_delete(&text, *pos, *del).unwrap();
            doc.text_insert(&text, *pos, ins).unwrap();
        }
        doc.commit();
    }
    doc
}

#[test]
fn traces_replay_export_and_import() {
    let all = [
        "automerge-paper",
        "seph-blog1",
        "rustcode",
        "sveltecomponent",
    ];
    let only = std::env::var("WEFT_TRACE").ok();
    let names = all
        .iter()
        .filter(|n| only.as_deref().is_none_or(|o| o == **n));
    let mut found = 0;
    for name in names {
        let Some(trace) = load(name) else {
            continue;
        };
        found += 1;
        let t0 = Instant::now();
        let mut doc = replay(&trace);
        let replay_ms = t0.elapsed().as_secs_f64() * 1e3;
        let text = doc.text("text").unwrap();
        assert_eq!(
            doc.text_string(&text),
            trace.end_content,
            "{name}: final text"
        );

        let snapshot = doc.export_snapshot();
        let state = doc.export_state();
        let update = doc.export_changes(&Default::default());

        // Best of a few loads: the first pays for page faults of a cold heap.
        let mut load_ms = f64::MAX;
        let mut loaded = Doc::new(ReplicaId(2));
        for _ in 0..5 {
            let t0 = Instant::now();
            loaded = Doc::new(ReplicaId(2));
            loaded.import(&snapshot).unwrap();
            load_ms = load_ms.min(t0.elapsed().as_secs_f64() * 1e3);
        }
        assert_eq!(
            loaded.text_string(&text),
            trace.end_content,
            "{name}: snapshot"
        );
        assert_eq!(loaded.version(), doc.version());

        let mut state_ms = f64::MAX;
        let mut from_state = Doc::new(ReplicaId(3));
        for _ in 0..5 {
            let t0 = Instant::now();
            from_state = Doc::new(ReplicaId(3));
            from_state.import(&state).unwrap();
            state_ms = state_ms.min(t0.elapsed().as_secs_f64() * 1e3);
        }
        assert_eq!(
            from_state.text_string(&text),
            trace.end_content,
            "{name}: state"
        );

        // The history replays into a fresh document to the same text (the slow path).
        let t0 = Instant::now();
        let mut replayed = Doc::new(ReplicaId(4));
        replayed
            .apply_changes(weft_core::encoding::decode_changes(&update).unwrap())
            .unwrap();
        let merge_ms = t0.elapsed().as_secs_f64() * 1e3;
        assert_eq!(
            replayed.text_string(&text),
            trace.end_content,
            "{name}: update"
        );
        assert_eq!(
            replayed.export_state(),
            state,
            "{name}: identical state encodings"
        );

        println!(
            "{name}: {} chars ({} bytes) | snapshot {} B, state {} B, update {} B | replay {replay_ms:.1} ms, load snapshot {load_ms:.2} ms, load state {state_ms:.2} ms, apply update {merge_ms:.1} ms",
            trace.end_content.chars().count(),
            trace.end_content.len(),
            snapshot.len(),
            state.len(),
            update.len(),
        );
        // Issue 3's size budgets, stated for automerge-paper; the state-only
        // snapshot spends its allowance on loading speed, so it must not pass it.
        if *name == "automerge-paper" {
            assert!(
                snapshot.len() < 108_000,
                "{name}: snapshot {}",
                snapshot.len()
            );
            assert!(
                state.len() * 4 <= trace.end_content.len() * 5,
                "{name}: state-only snapshot {} over 1.25 x the text",
                state.len()
            );
        }
    }
    if found == 0 {
        println!(
            "no traces found in {} (set WEFT_TRACES_DIR): trace test skipped",
            traces_dir().display()
        );
    }
}
