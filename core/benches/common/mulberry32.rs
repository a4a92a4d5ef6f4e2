//! The generator every concurrent-merge workload draws its edits from:
//! mulberry32 with the JavaScript bench's seeds (bench/lib/merge-ops.mjs), so
//! the core's bench, the native side by side and the JS bench make the very same
//! edits. Dependency-free on purpose: bench/native-peers, a crate outside the
//! workspace, includes this file by path as well.

/// The JS bench's seeds, left side first.
pub const SEEDS: [u32; 2] = [0x9e37_79b9, 0x85eb_ca6b];

/// mulberry32, as in merge-ops.mjs.
pub struct Prng(pub u32);

impl Prng {
    /// The next number in [0, 1), as the JS's division by 2^32 gives it.
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }
}
