//! The concurrent-merge workload of the core's bench (core/benches/common/
//! merge_ops.rs) and the JS one (bench/lib/merge-ops.mjs), as plain edits every
//! library can make: from a document holding an empty text, each of two
//! replicas makes `count` single-character edits at uniformly random positions
//! (70% inserts of a letter, 30% deletions; mulberry32 with the same seeds, so
//! the very same edits), one commit per 100 edits. Positions depend only on the
//! text's length, so the edits and each side's text before the merge are known
//! here once for all libraries.

use crate::peer::Txn;

// The core bench's generator, so both benches draw the same edits from one body.
#[path = "../../../core/benches/common/mulberry32.rs"]
mod mulberry32;

use mulberry32::Prng;
pub use mulberry32::SEEDS;

/// Edits per commit, as in both other benches.
pub const OPS_PER_TXN: usize = 100;

/// One replica's edits and the text they leave it with.
pub struct Side {
    pub txns: Vec<Txn>,
    pub expected: String,
}

/// One side's `count` edits from `seed`.
pub fn side(seed: u32, count: usize) -> Side {
    let mut rand = Prng(seed);
    // Letters only: a byte is a character.
    let mut text: Vec<u8> = Vec::new();
    let mut txns = Vec::new();
    let mut txn = Vec::new();
    for _ in 0..count {
        let len = text.len();
        // `len == 0` draws no number, as the JS's `||` does not.
        if len == 0 || rand.next() < 0.7 {
            let pos = (rand.next() * (len + 1) as f64) as usize;
            let ch = b'a' + (rand.next() * 26.0) as u8;
            text.insert(pos, ch);
            txn.push((pos, 0, char::from(ch).to_string()));
        } else {
            let pos = (rand.next() * len as f64) as usize;
            text.remove(pos);
            txn.push((pos, 1, String::new()));
        }
        if txn.len() == OPS_PER_TXN {
            txns.push(std::mem::take(&mut txn));
        }
    }
    if !txn.is_empty() {
        txns.push(txn);
    }
    let expected = String::from_utf8(text).expect("ASCII letters");
    Side { txns, expected }
}

/// Both sides.
pub fn sides(count: usize) -> [Side; 2] {
    SEEDS.map(|seed| side(seed, count))
}
