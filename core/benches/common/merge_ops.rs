//! The side-by-side benchmark's concurrent-merge workload (bench/lib/merge-ops.mjs
//! and merge-fork.mjs), natively: from a document holding an empty text, two
//! replicas each make `count` single-character edits at uniformly random
//! positions (70% inserts, 30% deletes, mulberry32 with the JS bench's seeds, so
//! the very same edits), committing every 100 edits. Shared by the `doc` bench
//! and the `merge_profile` example.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId, VersionVector};

// A path relative to this file, so that it holds wherever this file is included.
#[path = "mulberry32.rs"]
mod mulberry32;

use mulberry32::Prng;
pub use mulberry32::SEEDS;

/// Makes one side's `count` edits on `doc`'s text "t", as merge-ops.mjs draws them.
pub fn edit(doc: &mut Doc, seed: u32, count: usize) {
    let t = doc.text("t").expect("text");
    let mut rand = Prng(seed);
    let mut len = 0usize;
    for i in 0..count {
        // `len == 0` draws no number, as the JS's `||` does not.
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

/// Both replicas after their edits (replicas 2 and 3, forked from replica 1's
/// empty text loaded from a snapshot), and the left one's version at the fork.
pub fn fork(count: usize) -> (Doc, Doc, VersionVector) {
    let clock = Arc::new(FixedClock::new(1_700_000_000_000));
    let mut base = Doc::with_clock(ReplicaId(1), clock.clone());
    base.text("t").expect("text");
    let bytes = base.export_snapshot();
    let mut left = Doc::with_clock(ReplicaId(2), clock.clone());
    let mut right = Doc::with_clock(ReplicaId(3), clock);
    left.import(&bytes).expect("import");
    right.import(&bytes).expect("import");
    let since = left.version().clone();
    edit(&mut left, SEEDS[0], count);
    edit(&mut right, SEEDS[1], count);
    (left, right, since)
}
