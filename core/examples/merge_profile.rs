//! The side-by-side benchmark's concurrent merge (bench/lib/merge-ops.mjs: two
//! replicas each make 10,000 random single-character edits in commits of 100),
//! natively, step by step, for profiling: `cargo run --release -p weft-core
//! --example merge_profile [ops] [reps]`, or under callgrind.

use std::sync::Arc;
use std::time::Instant;

use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId};

/// mulberry32, as in merge-ops.mjs, so the edits are the ones the JS bench makes.
struct Prng(u32);

impl Prng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }
}

fn edit(doc: &mut Doc, seed: u32, count: usize) {
    let t = doc.text("t").expect("text");
    let mut rand = Prng(seed);
    let mut len = 0usize;
    for i in 0..count {
        if len == 0 || rand.next() < 0.7 {
            let pos = (rand.next() * (len + 1) as f64) as usize;
            let ch = char::from(b'a' + (rand.next() * 26.0) as u8);
            doc.text_insert(&t, pos, ch.encode_utf8(&mut [0; 4]))
                .expect("insert");
            len += 1;
        } else {
            let pos = (rand.next() * len as f64) as usize;
            doc.text_delete(&t, pos, 1).expect("delete");
            len -= 1;
        }
        if (i + 1) % 100 == 0 {
            doc.commit();
        }
    }
    doc.commit();
}

fn main() {
    let mut args = std::env::args().skip(1);
    let ops: usize = args.next().map_or(10_000, |a| a.parse().expect("ops"));
    let reps: usize = args.next().map_or(5, |a| a.parse().expect("reps"));
    let clock = Arc::new(FixedClock::new(1_700_000_000_000));
    for _ in 0..reps {
        let mut base = Doc::with_clock(ReplicaId(1), clock.clone());
        base.text("t").expect("text");
        let bytes = base.export_snapshot();
        let mut left = Doc::with_clock(ReplicaId(2), clock.clone());
        let mut right = Doc::with_clock(ReplicaId(3), clock.clone());
        left.import(&bytes).expect("import");
        right.import(&bytes).expect("import");
        let since = left.version().clone();
        edit(&mut left, 0x9e37_79b9, ops);
        edit(&mut right, 0x85eb_ca6b, ops);
        let t0 = Instant::now();
        let update = left.export_changes(&since);
        let t1 = Instant::now();
        right.import(&update).expect("merge");
        let t2 = Instant::now();
        println!(
            "export {:.2} ms, import {:.2} ms, {} bytes",
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            update.len()
        );
    }
}
