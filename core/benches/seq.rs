//! Sequence engine benchmarks: replay each editing trace as local edits, apply the
//! same edits as remote ops on another replica, and rebuild a sequence from the
//! replayed document's spans (what snapshot import does).
//!
//! Also prints the heap held after replaying each trace, counted by a global
//! allocator wrapper (live bytes, so including `Vec` growth slack).

#[path = "../tests/seq_common/mod.rs"]
mod seq_common;
use seq_common::replay_seq;

mod heap;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use weft_core::seq::{IdRun, InsertOp, TextSeq};
use weft_core::{OpId, ReplicaId};

#[global_allocator]
static ALLOC: heap::Counting = heap::Counting;

/// An op as shipped between replicas.
enum Op {
    Ins(OpId, Option<OpId>, Option<OpId>, String),
    Del(Vec<IdRun>),
}

fn record_ops(patches: &[(usize, usize, String)]) -> Vec<Op> {
    let replica = ReplicaId(0x5eed);
    let mut seq = TextSeq::new();
    let mut counter = 1u64;
    let mut ops = Vec::new();
    for (pos, del, ins) in patches {
        if *del > 0 {
            ops.push(Op::Del(seq.delete(*pos, *del).unwrap()));
        }
        if !ins.is_empty() {
            let op = seq.insert(*pos, ins, OpId::new(replica, counter)).unwrap();
            counter += op.content.len() as u64;
            ops.push(Op::Ins(op.id, op.origin_left, op.origin_right, ins.clone()));
        }
    }
    ops
}

fn apply_remote(ops: &[Op]) -> TextSeq {
    let mut seq = TextSeq::new();
    let mut changes = Vec::new();
    for op in ops {
        match op {
            Op::Ins(id, ol, or, text) => {
                let op = InsertOp {
                    id: *id,
                    origin_left: *ol,
                    origin_right: *or,
                    content: text.as_str(),
                };
                seq.apply_insert(&op).unwrap();
            }
            Op::Del(runs) => {
                for run in runs {
                    changes.clear();
                    seq.apply_delete_into(*run, &mut changes).unwrap();
                }
            }
        }
    }
    seq
}

fn benches(c: &mut Criterion) {
    let Some(traces) = seq_common::load_traces("seq benches") else {
        return;
    };
    for (name, trace) in &traces {
        assert!(
            trace.start_content.is_empty(),
            "{name}: start content unsupported"
        );
        let patches: Vec<_> = trace.patches().cloned().collect();
        let (seq, held, _) = heap::measure(|| replay_seq(&patches));
        assert!(seq.text() == trace.end_content);
        println!(
            "{name}: {} edits, {} chars; heap held after replay: {held} bytes (structure's own estimate {})",
            patches.len(),
            seq.len(),
            seq.heap_bytes()
        );

        // The machine is shared: the fastest of a few runs is the least disturbed one.
        let best = (0..10)
            .map(|_| {
                let t = std::time::Instant::now();
                black_box(replay_seq(black_box(&patches)));
                t.elapsed()
            })
            .min()
            .unwrap_or_default();
        println!(
            "{name}: fastest of 10 replays {:.2} ms = {:.1} M edits/s",
            best.as_secs_f64() * 1e3,
            patches.len() as f64 / best.as_secs_f64() / 1e6
        );

        let mut group = c.benchmark_group("seq/replay");
        group.throughput(Throughput::Elements(patches.len() as u64));
        group.bench_function(name.as_str(), |b| {
            b.iter(|| replay_seq(black_box(&patches)))
        });
        group.finish();

        // The same edits as another replica receives them: remote inserts and deletes.
        let ops = record_ops(&patches);
        let mut group = c.benchmark_group("seq/remote");
        group.throughput(Throughput::Elements(patches.len() as u64));
        group.bench_function(name.as_str(), |b| b.iter(|| apply_remote(black_box(&ops))));
        group.finish();
        assert!(apply_remote(&ops).text() == trace.end_content);

        let spans: Vec<_> = seq.spans().collect();
        let mut group = c.benchmark_group("seq/rebuild");
        group.throughput(Throughput::Elements(spans.len() as u64));
        group.bench_function(name.as_str(), |b| {
            b.iter(|| TextSeq::from_spans(black_box(&spans).iter().cloned()).unwrap())
        });
        group.finish();
    }
}

criterion_group! {
    name = seq;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(seq);
