//! The side-by-side benchmark's concurrent merge (bench/lib/merge-ops.mjs: two
//! replicas each make 10,000 random single-character edits in commits of 100;
//! the left one's update is imported into the right one, the only part the JS
//! bench times), natively, step by step, for profiling: `cargo run --release -p
//! weft-core --example merge_profile [ops] [reps]`, or under callgrind with
//! `--toggle-collect='*Doc*import*'` (which also counts the two tiny imports of
//! the fork's base snapshot).

use std::time::Instant;

#[path = "../benches/common/merge_ops.rs"]
mod merge_ops;

fn main() {
    let mut args = std::env::args().skip(1);
    let ops: usize = args.next().map_or(10_000, |a| a.parse().expect("ops"));
    let reps: usize = args.next().map_or(5, |a| a.parse().expect("reps"));
    for _ in 0..reps {
        let (mut left, mut right, since) = merge_ops::fork(ops);
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
