//! Undo benchmarks: undo then redo 1,000 steps (issue 4), and what recording undo
//! steps costs a plain local replay (each trace's edits through `Doc`, recording
//! on and off). Traces are read from `WEFT_TRACES_DIR` (default
//! `../../shared/data/traces`); without them the replay benches are skipped.

#[path = "../tests/seq_common/mod.rs"]
mod seq_common;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId, TextId};

const STEPS: usize = 1_000;

/// A document with `STEPS` undo steps: words typed at scattered places, every
/// fifth step a deletion, each step 1 s after the previous one.
fn with_steps() -> (Doc, TextId) {
    let clock = FixedClock::new(1_700_000_000_000);
    let mut doc = Doc::with_clock(ReplicaId(1), Arc::new(clock.clone()));
    doc.set_undo_enabled(true);
    let text = doc.text("t").unwrap();
    let mut x: u64 = 42;
    for i in 0..STEPS {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = doc.text_len(&text);
        let at = (x >> 33) as usize % (len + 1);
        if i % 5 == 4 && len > 8 {
            doc.text_delete(&text, at.min(len - 8), 8).unwrap();
        } else {
            for (k, ch) in "word ".chars().enumerate() {
                doc.text_insert(&text, at + k, &ch.to_string()).unwrap();
            }
        }
        clock.advance(1_000);
    }
    (doc, text)
}

fn undo_redo(c: &mut Criterion) {
    let (doc, _) = with_steps();
    let mut g = c.benchmark_group("undo");
    g.throughput(Throughput::Elements(STEPS as u64));
    g.bench_function("undo 1000 steps", |b| {
        b.iter_batched(
            || doc.clone(),
            |mut d| {
                for _ in 0..STEPS {
                    black_box(d.undo().unwrap());
                }
                d
            },
            BatchSize::LargeInput,
        )
    });
    let mut undone = doc.clone();
    while undone.undo().unwrap().is_some() {}
    g.bench_function("redo 1000 steps", |b| {
        b.iter_batched(
            || undone.clone(),
            |mut d| {
                for _ in 0..STEPS {
                    black_box(d.redo().unwrap());
                }
                d
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

fn replay(c: &mut Criterion) {
    let Some(traces) = seq_common::load_traces("undo replay benches") else {
        return;
    };
    let mut g = c.benchmark_group("undo recording");
    g.sample_size(20);
    for (name, trace) in &traces {
        let patches: Vec<_> = trace.patches().cloned().collect();
        g.throughput(Throughput::Elements(patches.len() as u64));
        for on in [true, false] {
            let label = format!("{name} replay, recording {}", if on { "on" } else { "off" });
            g.bench_function(label, |b| {
                b.iter(|| {
                    // The system clock: what an editor uses, read once per edit.
                    let mut doc = Doc::new(ReplicaId(1));
                    doc.set_undo_enabled(on);
                    let text = doc.text("text").unwrap();
                    for (pos, del, ins) in &patches {
                        doc.text_delete(&text, *pos, *del).unwrap();
                        doc.text_insert(&text, *pos, ins).unwrap();
                    }
                    doc
                })
            });
        }
    }
    g.finish();
}

criterion_group!(benches, undo_redo, replay);
criterion_main!(benches);
