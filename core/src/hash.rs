//! A fast non-cryptographic hasher for the engine's hot maps (field names,
//! container ids): the multiply-rotate scheme of rustc's FxHash. Hash-flooding
//! resistance is traded for speed, as Loro and rustc do; a peer able to send
//! changes can already make a document arbitrarily large.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        // Slice patterns, not `chunks_exact`: the WebAssembly build optimises for
        // size and keeps the iterator as calls, on a path every lookup takes.
        let mut rest = bytes;
        while let [a, b, c, d, e, f, g, h, tail @ ..] = rest {
            self.add(u64::from_le_bytes([*a, *b, *c, *d, *e, *f, *g, *h]));
            rest = tail;
        }
        if !rest.is_empty() {
            // The same little-endian word as zero-padding the tail, assembled
            // without a copy (short keys are all tail, and this runs per lookup).
            let mut word = 0u64;
            let mut shift = 0;
            if let [a, b, c, d, tail @ ..] = rest {
                word = u64::from(u32::from_le_bytes([*a, *b, *c, *d]));
                shift = 32;
                rest = tail;
            }
            if let [a, b, tail @ ..] = rest {
                word |= u64::from(u16::from_le_bytes([*a, *b])) << shift;
                shift += 16;
                rest = tail;
            }
            if let [a] = rest {
                word |= u64::from(*a) << shift;
            }
            self.add(word);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The tail is hashed as the zero-padded little-endian word it always was.
    #[test]
    fn tail_words_match_zero_padding() {
        let bytes: Vec<u8> = (1..=23).collect();
        for len in 0..=bytes.len() {
            let mut h = FxHasher::default();
            h.write(&bytes[..len]);
            let mut want = FxHasher::default();
            for chunk in bytes[..len].chunks(8) {
                let mut buf = [0u8; 8];
                buf[..chunk.len()].copy_from_slice(chunk);
                want.add(u64::from_le_bytes(buf));
            }
            assert_eq!(h.finish(), want.finish(), "length {len}");
        }
    }
}
