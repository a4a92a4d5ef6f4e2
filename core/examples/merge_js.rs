//! The JS bench's concurrent merge as the WebAssembly binding runs it (bench/lib/
//! merge-fork.mjs through bench/libs/weft.mjs): documents made as `WeftDoc::new`
//! makes them (the system clock, UTF-16 events, undo switched on and then off
//! again), the fork's base loaded from a snapshot, the same edits as
//! merge-ops.mjs, the left side's update imported into the right side.
//! `cargo run --release -p weft-core --example merge_js [ops] [reps]`; under
//! callgrind with `--toggle-collect='*Doc*import*'` to compare with
//! `merge_profile` (the bench's fixed clock, a bare `Doc`).

use std::time::Instant;

use weft_core::{Doc, ReplicaId};

// Only its edits: the fork is made here as the binding makes documents.
#[allow(dead_code)]
#[path = "../benches/common/merge_ops.rs"]
mod merge_ops;

/// A document as the WebAssembly binding's constructor and the bench adapter leave it.
fn js_doc(replica: u64) -> Doc {
    let mut doc = Doc::new(ReplicaId(replica));
    doc.set_utf16_events(true);
    doc.set_undo_enabled(true);
    doc.set_undo_enabled(false);
    doc
}

fn main() {
    let mut args = std::env::args().skip(1);
    let ops: usize = args.next().map_or(10_000, |a| a.parse().expect("ops"));
    let reps: usize = args.next().map_or(5, |a| a.parse().expect("reps"));
    for _ in 0..reps {
        let mut base = js_doc(1);
        base.text("t").expect("text");
        let bytes = base.export_snapshot();
        let mut left = js_doc(2);
        let mut right = js_doc(3);
        left.import(&bytes).expect("load");
        right.import(&bytes).expect("load");
        let since = left.version().clone();
        merge_ops::edit(&mut left, merge_ops::SEEDS[0], ops);
        merge_ops::edit(&mut right, merge_ops::SEEDS[1], ops);
        let update = left.export_changes(&since);
        let t0 = Instant::now();
        right.import(&update).expect("merge");
        println!(
            "import {:.2} ms, {} bytes",
            t0.elapsed().as_secs_f64() * 1e3,
            update.len()
        );
    }
}
