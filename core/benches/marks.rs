//! Rich-text benchmarks (issue 4): 10,000 formatting ops applied to a 100 KB
//! text (locally, and remotely from one update), and the formatted delta of a
//! 100 KB text carrying them.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId, TextId};

const TEXT_BYTES: usize = 100_000;
const OPS: usize = 10_000;
const NAMES: [&str; 6] = ["bold", "italic", "underline", "link", "comment", "code"];

fn clocked(replica: u64) -> Doc {
    Doc::with_clock(
        ReplicaId(replica),
        Arc::new(FixedClock::new(1_700_000_000_000)),
    )
}

/// A 100 KB text of words, no marks.
fn plain() -> (Doc, TextId) {
    let mut doc = clocked(1);
    let t = doc.text("t").unwrap();
    // Words in a pseudo-random order: text that deflates like prose (a text that
    // repeats one phrase deflates so well that its snapshot trips the decoder's
    // items-per-byte bound, a limitation of the encoding reported separately).
    let words = [
        "lorem",
        "ipsum",
        "dolor",
        "sit",
        "amet",
        "consectetur",
        "adipiscing",
        "elit",
        "sed",
        "do",
        "eiusmod",
        "tempor",
        "incididunt",
        "ut",
        "labore",
        "et",
    ];
    let mut body = String::with_capacity(TEXT_BYTES + 16);
    let mut x: u32 = 12345;
    while body.len() < TEXT_BYTES {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        body.push_str(words[(x >> 16) as usize % words.len()]);
        body.push(' ');
    }
    body.truncate(TEXT_BYTES);
    doc.text_insert(&t, 0, &body).unwrap();
    doc.commit();
    (doc, t)
}

/// Deterministic spread of ranges: short spans (a word or three) all over.
fn format(doc: &mut Doc, t: &TextId) {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..OPS {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let start = (x % (TEXT_BYTES as u64 - 40)) as usize;
        let len = 1 + (x >> 32) as usize % 30;
        let name = NAMES[i % NAMES.len()];
        match name {
            "link" => doc.text_mark(t, start, start + len, name, "https://example.com"),
            "comment" => doc.text_mark(t, start, start + len, name, format!("c{}", i % 50)),
            _ if i % 7 == 0 => doc.text_unmark(t, start, start + len, name),
            _ => doc.text_mark(t, start, start + len, name, true),
        }
        .unwrap();
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("marks");
    g.sample_size(10);
    g.throughput(Throughput::Elements(OPS as u64));
    g.bench_function("apply_10k_format_ops_local_100KB", |b| {
        b.iter_batched(
            plain,
            |(mut doc, t)| {
                format(&mut doc, &t);
                doc
            },
            BatchSize::LargeInput,
        )
    });
    let (mut source, t) = plain();
    let base = source.export_snapshot();
    let v = source.version().clone();
    format(&mut source, &t);
    let update = source.export_changes(&v);
    g.bench_function("apply_10k_format_ops_remote_100KB", |b| {
        b.iter_batched(
            || {
                let mut d = clocked(2);
                d.import(&base).unwrap();
                d
            },
            |mut d| {
                d.import(&update).unwrap();
                d
            },
            BatchSize::LargeInput,
        )
    });
    g.throughput(Throughput::Bytes(TEXT_BYTES as u64));
    g.bench_function("delta_of_formatted_100KB", |b| {
        b.iter(|| black_box(source.text_delta(&t)).len())
    });
    let (bare, bt) = plain();
    g.bench_function("delta_of_plain_100KB", |b| {
        b.iter(|| black_box(bare.text_delta(&bt)).len())
    });
    g.finish();
    let runs = source.text_delta(&t).len();
    let snapshot = source.export_snapshot().len();
    eprintln!(
        "formatted text: {runs} runs, {} mark ops, snapshot {snapshot} bytes",
        source.text_mark_count(&t)
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
