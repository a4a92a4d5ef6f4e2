//! Where the origins of the JS bench's merge update point (bench/child.mjs
//! `mergeRun`: 10,000 random single-character edits, 70% inserts, commits of
//! 100): how many inserts' left or right origin is the id just before the op
//! (the previous op's last element), or within 8 counters of it, and how many
//! point into the update's own inserts. Says whether an origin lookup could
//! start from the previous op's position (branch `merge7`).
//! `cargo run --release -p weft-core --example merge_origins [ops]`

use weft_core::change::Op;
use weft_core::{Doc, OpId, ReplicaId};

#[allow(dead_code)]
#[path = "../benches/common/merge_ops.rs"]
mod merge_ops;

/// Counts for one side's origins.
#[derive(Default)]
struct Side {
    none: usize,
    previous: usize,
    near: usize,
    own: usize,
}

impl Side {
    fn count(&mut self, origin: Option<OpId>, prev: Option<OpId>, replica: ReplicaId) {
        let Some(o) = origin else {
            self.none += 1;
            return;
        };
        if Some(o) == prev {
            self.previous += 1;
        }
        if prev.is_some_and(|p| p.replica == o.replica && p.counter.abs_diff(o.counter) <= 8) {
            self.near += 1;
        }
        if o.replica == replica {
            self.own += 1;
        }
    }
}

fn main() {
    let ops: usize = std::env::args()
        .nth(1)
        .map_or(10_000, |a| a.parse().expect("ops"));
    let mut base = Doc::new(ReplicaId(1));
    base.text("t").expect("text");
    let mut left = Doc::new(ReplicaId(2));
    left.import(&base.export_snapshot()).expect("load");
    let since = left.version().clone();
    merge_ops::edit(&mut left, merge_ops::SEEDS[0], ops);
    let update = left.export_changes(&since);
    let changes = weft_core::encoding::decode_changes(&update).expect("decode");
    let (mut inserts, mut l, mut r) = (0, Side::default(), Side::default());
    let mut prev: Option<OpId> = None;
    for c in &changes {
        let mut counter = c.start;
        for op in &c.ops {
            if let Op::SeqInsert { left, right, .. } = op {
                inserts += 1;
                l.count(*left, prev, c.replica);
                r.count(*right, prev, c.replica);
            }
            prev = Some(OpId::new(c.replica, counter + op.len() - 1));
            counter += op.len();
        }
    }
    println!("{} changes, {inserts} inserts", changes.len());
    for (name, s) in [("left", l), ("right", r)] {
        println!(
            "{name} origins: none {}, the previous op's last id {}, within 8 counters of it {}, the update's own {}",
            s.none, s.previous, s.near, s.own
        );
    }
}
