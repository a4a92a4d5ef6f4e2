//! Replays editing traces once, for profilers (criterion's many runs drown a
//! callgrind profile): `cargo run --release -p weft-core --example replay --
//! [doc|seq] [trace-name]`. Under callgrind, `--toggle-collect=replay::replay_*`
//! counts only the replay, not the trace loading.

#[path = "../tests/seq_common/mod.rs"]
mod seq_common;

use std::hint::black_box;
use std::sync::Arc;

use seq_common::Txn;
use weft_core::clock::FixedClock;
use weft_core::seq::{IdRun, TextSeq};
use weft_core::{Doc, OpId, ReplicaId};

/// The replay bench's loop: local edits through `Doc`, one commit per transaction.
#[inline(never)]
fn replay_doc(txns: &[Txn]) -> Doc {
    let mut doc = Doc::with_clock(
        ReplicaId(0x5eed),
        Arc::new(FixedClock::new(1_700_000_000_000)),
    );
    let text = doc.text("text").unwrap();
    for txn in txns {
        for (pos, del, ins) in &txn.patches {
            doc.text_delete(&text, *pos, *del).unwrap();
            doc.text_insert(&text, *pos, ins).unwrap();
        }
        doc.commit();
    }
    doc
}

/// The seq bench's loop: the sequence engine alone.
#[inline(never)]
fn replay_seq(txns: &[Txn]) -> TextSeq {
    let replica = ReplicaId(0x5eed);
    let mut seq = TextSeq::new();
    let mut counter = 1u64;
    let mut deleted: Vec<IdRun> = Vec::new();
    for (pos, del, ins) in txns.iter().flat_map(|t| t.patches.iter()) {
        if *del > 0 {
            deleted.clear();
            seq.delete_into(*pos, *del, &mut deleted).unwrap();
        }
        if !ins.is_empty() {
            let op = seq.insert(*pos, ins, OpId::new(replica, counter)).unwrap();
            counter += op.content.len() as u64;
        }
    }
    seq
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "doc".into());
    let only = args.next();
    let Some(traces) = seq_common::load_traces("replay example") else {
        return;
    };
    for (name, trace) in &traces {
        if only.as_ref().is_some_and(|o| o != name) {
            continue;
        }
        let t = std::time::Instant::now();
        let text = match mode.as_str() {
            "seq" => black_box(replay_seq(black_box(&trace.txns))).text(),
            _ => {
                let mut doc = black_box(replay_doc(black_box(&trace.txns)));
                let text = doc.text("text").unwrap();
                doc.text_string(&text)
            }
        };
        let took = t.elapsed();
        assert!(text == trace.end_content, "{name}: wrong final text");
        println!(
            "{name} ({mode}): {} edits in {:.2} ms",
            trace.patches().count(),
            took.as_secs_f64() * 1e3
        );
    }
}
