//! Document-level benchmarks: encoding, loading, merging, and the scalar
//! containers. Budgets (DESIGN.md, issue 3): import of the automerge-paper
//! snapshot under 1 ms; merge of two concurrent 10,000-op histories under 5 ms;
//! LWW writes above 5 M/s. Traces are read from `WEFT_TRACES_DIR` (default
//! `../../shared/data/traces`); without them the trace benches are skipped.

#[path = "common/merge_ops.rs"]
mod merge_ops;
#[path = "../tests/seq_common/mod.rs"]
mod seq_common;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId, Value, VersionVector};

fn clocked(replica: u64) -> Doc {
    Doc::with_clock(
        ReplicaId(replica),
        Arc::new(FixedClock::new(1_700_000_000_000)),
    )
}

fn paper() -> Option<Doc> {
    let trace = seq_common::load_trace("automerge-paper", "trace benches")?;
    Some(seq_common::replay_doc(&trace.txns))
}

fn encoding(c: &mut Criterion) {
    let Some(mut doc) = paper() else { return };
    let snapshot = doc.export_snapshot();
    let state = doc.export_state();
    let update = doc.export_changes(&VersionVector::new());
    let mut g = c.benchmark_group("automerge-paper");
    g.throughput(Throughput::Elements(259_778));
    g.bench_function("export snapshot", |b| {
        b.iter(|| black_box(doc.export_snapshot()))
    });
    g.bench_function("export state", |b| b.iter(|| black_box(doc.export_state())));
    g.bench_function("export update", |b| {
        b.iter(|| black_box(doc.export_changes(&VersionVector::new())))
    });
    g.bench_function("import snapshot", |b| {
        b.iter(|| {
            let mut d = Doc::new(ReplicaId(2));
            d.import(black_box(&snapshot)).unwrap();
            d
        })
    });
    g.bench_function("import state", |b| {
        b.iter(|| {
            let mut d = Doc::new(ReplicaId(2));
            d.import(black_box(&state)).unwrap();
            d
        })
    });
    // The tree of a text loaded from a snapshot is built on first use: these
    // show what the import alone leaves for later.
    for (name, bytes) in [("snapshot", &snapshot), ("state", &state)] {
        g.bench_function(format!("import {name} + text read"), |b| {
            b.iter(|| {
                let mut d = Doc::new(ReplicaId(2));
                d.import(black_box(bytes)).unwrap();
                let t = d.text("text").unwrap();
                black_box(d.text_string(&t));
                d
            })
        });
        g.bench_function(format!("import {name} + first edit"), |b| {
            b.iter(|| {
                let mut d = Doc::new(ReplicaId(2));
                d.import(black_box(bytes)).unwrap();
                let t = d.text("text").unwrap();
                d.text_insert(&t, 1_000, "x").unwrap();
                d
            })
        });
    }
    g.sample_size(10);
    g.bench_function("import update (replay)", |b| {
        b.iter(|| {
            let mut d = Doc::new(ReplicaId(2));
            d.import(black_box(&update)).unwrap();
            d
        })
    });
    g.finish();
}

/// Two replicas fork from a shared text and each makes 10,000 ops (typing runs,
/// deletions, field writes, counter adds); the benchmark merges one side into the
/// other.
fn merge(c: &mut Criterion) {
    let mut base = clocked(1);
    let t = base.text("text").unwrap();
    base.text_insert(&t, 0, &"lorem ipsum dolor sit amet ".repeat(40))
        .unwrap();
    base.commit();
    let fork = |replica: u64, seed: u64| {
        let mut d = base.clone();
        let mut other = clocked(replica);
        other.import(&d.export_snapshot()).unwrap();
        d = other;
        let t = d.text("text").unwrap();
        let n = d.counter("n").unwrap();
        let mut s = seed;
        let mut ops = 0;
        while ops < 10_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let len = d.text_len(&t);
            match s % 10 {
                0 => d.set(&format!("f{}", s % 50), s as i64),
                1 => d.counter_add(&n, 1).unwrap(),
                2 if len > 8 => d.text_delete(&t, (s as usize >> 8) % (len - 8), 4).unwrap(),
                _ => {
                    // A typing run of 8 characters.
                    let at = (s as usize >> 8) % (len + 1);
                    for (k, ch) in "abcdefgh".chars().enumerate() {
                        d.text_insert(&t, at + k, ch.encode_utf8(&mut [0; 4]))
                            .unwrap();
                    }
                    ops += 7;
                }
            }
            ops += 1;
            if ops % 100 == 0 {
                d.commit();
            }
        }
        d.commit();
        d
    };
    let left = fork(2, 0x9e37_79b9);
    let mut right = fork(3, 0x85eb_ca6b);
    let changes = right.changes_since(left.version());
    let mut g = c.benchmark_group("merge");
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("two concurrent 10k-op histories", |b| {
        b.iter_batched(
            || (left.clone(), changes.clone()),
            |(mut d, ch)| {
                d.apply_changes(ch).unwrap();
                d
            },
            BatchSize::LargeInput,
        )
    });
    // The JS bench's merge (bench/run.mjs): random single-character edits that
    // no run-length encoding shortens, imported from bytes (decoding,
    // validating and applying), as `importUpdate` does.
    let (mut left, right, since) = merge_ops::fork(10_000);
    let update = left.export_changes(&since);
    g.bench_function("random 1-char edits, 2 x 10k, import (JS workload)", |b| {
        b.iter_batched(
            || right.clone(),
            |mut d| {
                d.import(black_box(&update)).unwrap();
                d
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// One peer's keystroke change arriving at a large document (automerge-paper,
/// 104 KB of text): the cost a live session pays per remote update. "Typed
/// before its own insert" places an insert whose right origin comes in the same
/// change, which the import cannot check before placing it; the figure shows
/// what keeping the document restorable costs then.
fn remote_keystroke(c: &mut Criterion) {
    let Some(mut doc) = paper() else { return };
    let snapshot = doc.export_snapshot();
    let load = |replica| {
        let mut d = clocked(replica);
        d.import(&snapshot).unwrap();
        d
    };
    let receiver = load(8);
    let update = |edit: &dyn Fn(&mut Doc)| {
        let mut d = load(7);
        let since = d.version().clone();
        edit(&mut d);
        d.commit();
        d.export_changes(&since)
    };
    let typed = update(&|d| {
        let t = d.text("text").unwrap();
        d.text_insert(&t, 50_000, "xy").unwrap();
    });
    let before_own = update(&|d| {
        let t = d.text("text").unwrap();
        d.text_insert(&t, 50_000, "x").unwrap();
        d.text_insert(&t, 50_000, "y").unwrap();
    });
    let mut g = c.benchmark_group("remote keystroke into automerge-paper");
    for (name, bytes) in [
        ("typed", &typed),
        ("typed before its own insert", &before_own),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || receiver.clone(),
                |mut d| {
                    d.import(black_box(bytes)).unwrap();
                    d
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn scalars(c: &mut Criterion) {
    let keys: Vec<String> = (0..1000).map(|i| format!("field{i}")).collect();
    let mut g = c.benchmark_group("scalars");
    g.sample_size(10);
    g.throughput(Throughput::Elements(1_000_000));
    g.bench_function("1M LWW field writes", |b| {
        b.iter_batched(
            || clocked(1),
            |mut d| {
                for i in 0..1_000_000usize {
                    d.set(&keys[i % keys.len()], Value::Int(i as i64));
                }
                d.commit();
                d
            },
            BatchSize::LargeInput,
        )
    });
    g.throughput(Throughput::Elements(100_000));
    g.bench_function("100k counter adds", |b| {
        b.iter_batched(
            || clocked(1),
            |mut d| {
                let n = d.counter("n").unwrap();
                for i in 0..100_000i64 {
                    d.counter_add(&n, i & 7).unwrap();
                }
                d.commit();
                d
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("100k set adds and removes", |b| {
        b.iter_batched(
            || clocked(1),
            |mut d| {
                let s = d.or_set("s").unwrap();
                for i in 0..50_000i64 {
                    d.set_add(&s, i % 1000).unwrap();
                    d.set_remove(&s, &Value::Int((i * 7) % 1000)).unwrap();
                }
                d.commit();
                d
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, encoding, merge, remote_keystroke, scalars);
criterion_main!(benches);
