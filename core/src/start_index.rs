//! A bucket index over runs of counters sorted by first counter: which run holds a
//! counter, in a lookup and a walk of a few runs instead of a binary search.
//!
//! A merge asks about ids all over a peer's history (the origins of random edits),
//! and a peer's history of small edits is thousands of short runs: a binary search
//! per origin was the larger part of looking one up. Counters of one replica are
//! dense, so buckets of a few counters each say where to start.

/// Counters per bucket (as a shift): a bucket holds at most this many run starts,
/// so a lookup walks at most this many runs.
const SHIFT: u32 = 2;

/// For each bucket of counters from the first run's start on, how many runs start
/// before it. Kept while runs are appended in counter order and the buckets stay
/// few against the runs (bounded memory whatever the gaps between counters);
/// given up for good otherwise, leaving the caller's binary search.
#[derive(Clone, Debug, Default)]
pub(crate) struct StartIndex {
    buckets: Vec<u32>,
    off: bool,
}

impl StartIndex {
    /// Notes that run `k` (the `k + 1`-th), starting at `start`, was appended
    /// after every other; `first` is the first run's start.
    #[inline]
    pub(crate) fn appended(&mut self, first: u64, start: u64, k: usize) {
        if self.off {
            return;
        }
        // Buckets exist up to the previous run's; those after it and up to
        // `start`'s count the `k` runs before this one.
        let need = ((start - first) >> SHIFT) + 1;
        if need > 8 * (k as u64 + 1) + 64 {
            self.give_up();
            return;
        }
        self.buckets.resize(need as usize, k as u32);
    }

    /// Gives the index up (a run was added out of order, or merged away).
    pub(crate) fn give_up(&mut self) {
        self.off = true;
        self.buckets = Vec::new();
    }

    /// How many of the `len` runs start at or before `c` (the run holding `c`,
    /// if any, is the one before that), or `None` when the index cannot tell
    /// (given up, or `c` before the first run or past the last one's start).
    /// `start(i)` is run `i`'s first counter.
    #[inline]
    pub(crate) fn count_up_to(
        &self,
        first: u64,
        c: u64,
        len: usize,
        start: impl Fn(usize) -> u64,
    ) -> Option<usize> {
        let b = usize::try_from(c.checked_sub(first)? >> SHIFT).ok()?;
        let mut i = *self.buckets.get(b)? as usize;
        while i < len && start(i) <= c {
            i += 1;
        }
        Some(i)
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.buckets.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the order and gaps of the runs, the index answers as a binary
    /// search does, or not at all.
    #[test]
    fn counts_as_a_binary_search() {
        let mut seed = 0x9e37_79b9_u64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for wide in [false, true] {
            let mut starts = Vec::new();
            let mut index = StartIndex::default();
            let mut at = 10;
            for k in 0..2_000 {
                at += 1 + next(if wide && k % 500 == 499 { 100_000 } else { 6 });
                starts.push(at);
                index.appended(starts[0], at, k);
            }
            assert_eq!(index.off, wide, "wide gaps give the index up");
            for c in 0..at + 3 {
                let want = starts.partition_point(|&s| s <= c);
                if let Some(got) = index.count_up_to(starts[0], c, starts.len(), |i| starts[i]) {
                    assert_eq!(got, want, "counter {c}");
                } else {
                    assert!(wide || c < starts[0] || c > *starts.last().unwrap());
                }
            }
        }
    }
}
