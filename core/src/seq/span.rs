//! The tree's unit: a run of elements with consecutive lvs.

/// "No element": the start (as a left origin) or end (as a right origin) of the
/// sequence.
pub(super) const NONE: u32 = u32::MAX;

/// High bit of `len_del`: the run is deleted.
const DELETED: u32 = 1 << 31;

/// Largest run length and largest number of lvs (the high bit flags deletion).
pub(super) const MAX_LV: u32 = DELETED - 2;

/// Elements `lv .. lv + len`. Element 0's left origin is `ol`; every later element's
/// is its predecessor (which is why a typing run is one span). All share right origin
/// `or`. 20 bytes, so a leaf of 32 spans fits in 11 cache lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) lv: u32,
    len_del: u32,
    /// UTF-16 length of the whole run (visible or not).
    pub(super) utf16: u32,
    pub(super) ol: u32,
    pub(super) or: u32,
}

impl Span {
    pub(super) fn new(lv: u32, len: u32, utf16: u32, ol: u32, or: u32) -> Self {
        Self {
            lv,
            len_del: len,
            utf16,
            ol,
            or,
        }
    }

    pub(super) fn len(&self) -> u32 {
        self.len_del & !DELETED
    }

    pub(super) fn end(&self) -> u32 {
        self.lv + self.len()
    }

    pub(super) fn deleted(&self) -> bool {
        self.len_del & DELETED != 0
    }

    pub(super) fn set_deleted(&mut self) {
        self.len_del |= DELETED;
    }

    pub(super) fn grow(&mut self, len: u32, utf16: u32) {
        self.len_del += len;
        self.utf16 += utf16;
    }

    /// Visible elements and UTF-16 units.
    pub(super) fn visible(&self) -> (u32, u32) {
        if self.deleted() {
            (0, 0)
        } else {
            (self.len_del, self.utf16)
        }
    }

    /// [`Span::visible`] without a branch, for loops summing many spans.
    #[inline(always)]
    pub(super) fn visible_masked(&self) -> (u32, u32) {
        // All ones for a visible span, zero for a deleted one.
        let keep = (self.len_del >> 31).wrapping_sub(1);
        (self.len_del & keep, self.utf16 & keep)
    }

    /// Left origin of the element at `off`.
    pub(super) fn ol_at(&self, off: u32) -> u32 {
        if off == 0 {
            self.ol
        } else {
            self.lv + off - 1
        }
    }

    /// Whether `next` continues this run, so the two can be one span.
    pub(super) fn can_append(&self, next: &Span) -> bool {
        self.deleted() == next.deleted()
            && self.end() == next.lv
            && next.ol == self.end() - 1
            && next.or == self.or
    }

    pub(super) fn append(&mut self, next: &Span) {
        self.grow(next.len(), next.utf16);
    }

    /// Hands the last `n` elements (`u` UTF-16 units) of this run, which keeps at
    /// least one, to the front of `next`: the tombstone run that continues it.
    /// Backspacing through a run moves its end into the tombstones this way.
    pub(super) fn give_tail(&mut self, next: &mut Span, n: u32, u: u32) {
        self.len_del -= n;
        self.utf16 -= u;
        next.lv -= n;
        next.len_del += n;
        next.utf16 += u;
        next.ol = self.end() - 1;
    }

    /// Takes the first `n` elements (`u` UTF-16 units) of `next`, which keeps at
    /// least one, onto the end of this tombstone run that it continues: deleting
    /// forwards from a run's start.
    pub(super) fn take_head(&mut self, next: &mut Span, n: u32, u: u32) {
        self.len_del += n;
        self.utf16 += u;
        next.lv += n;
        next.len_del -= n;
        next.utf16 -= u;
        next.ol = next.lv - 1;
    }

    /// Splits at `off` (0 < off < len), given the UTF-16 length of the left part.
    pub(super) fn split(&self, off: u32, left_utf16: u32) -> (Span, Span) {
        let mut left = *self;
        left.len_del = off | (self.len_del & DELETED);
        left.utf16 = left_utf16;
        let right = Span {
            lv: self.lv + off,
            len_del: (self.len() - off) | (self.len_del & DELETED),
            utf16: self.utf16 - left_utf16,
            ol: self.lv + off - 1,
            or: self.or,
        };
        (left, right)
    }
}
