//! Elements without content: tombstones loaded from a snapshot.
//!
//! A snapshot does not store deleted content (nobody can see it), so a sequence
//! loaded from one knows those elements' ids, order and length but not what they
//! were. Storing placeholders for them would make loading cost memory in
//! proportion to everything ever deleted, which a small payload can claim in
//! the millions. Instead their lvs are *holes*: the content store skips them,
//! and an lv is translated to its index in the store ("dense" index) by
//! subtracting the holes before it. Holes are only made while building, so every
//! lv added later lies past the last hole and translates by one subtraction.

/// Lvs `start .. start + len` have no content; `before` holes lvs precede them.
#[derive(Clone, Copy, Debug)]
struct Hole {
    start: u32,
    len: u32,
    before: u32,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Holes {
    /// Sorted by `start`, non-overlapping, not adjacent (adjacent ones merge).
    runs: Vec<Hole>,
    /// One past the last hole lv.
    end: u32,
    /// Number of hole lvs.
    total: u32,
}

impl Holes {
    /// Marks lvs `start .. start + len`, which must lie past every hole, as holes.
    pub(super) fn push(&mut self, start: u32, len: u32) {
        debug_assert!(start >= self.end);
        match self.runs.last_mut() {
            Some(last) if last.start + last.len == start => last.len += len,
            _ => self.runs.push(Hole {
                start,
                len,
                before: self.total,
            }),
        }
        self.total += len;
        self.end = start + len;
    }

    /// Index in the content store of lv `lv` (or of the next element with content,
    /// if `lv` is a hole).
    #[inline]
    pub(super) fn dense(&self, lv: u32) -> u32 {
        if lv >= self.end {
            return lv - self.total;
        }
        self.dense_slow(lv)
    }

    /// [`Holes::dense`] for lvs mostly read in increasing order: `hint` is where
    /// the previous lookup ended, and the next one starts there.
    #[inline]
    pub(super) fn dense_near(&self, lv: u32, hint: &mut usize) -> u32 {
        if lv >= self.end {
            return lv - self.total;
        }
        let mut i = *hint;
        let mut steps = 0;
        if self.runs.get(i).is_some_and(|h| h.start <= lv) {
            while steps < 8 && self.runs.get(i + 1).is_some_and(|h| h.start <= lv) {
                i += 1;
                steps += 1;
            }
        } else {
            steps = 8;
        }
        if steps == 8 {
            // Far from the hint (or before the first hole): search.
            match self.runs.partition_point(|h| h.start <= lv).checked_sub(1) {
                None => return lv,
                Some(j) => i = j,
            }
        }
        *hint = i;
        let h = self.runs[i];
        lv - h.before - (lv - h.start).min(h.len)
    }

    fn dense_slow(&self, lv: u32) -> u32 {
        let i = self.runs.partition_point(|h| h.start <= lv);
        match i.checked_sub(1).map(|j| self.runs[j]) {
            None => lv,
            Some(h) => lv - h.before - (lv - h.start).min(h.len),
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.runs.capacity() * std::mem::size_of::<Hole>()
    }
}
