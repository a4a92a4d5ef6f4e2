//! Positions in a text's full order, tombstones included: where undo of a mark
//! decides what each character gets back, so a deleted character is treated the
//! same as a visible one (visible indices put every tombstone of a gap at the
//! same place, on whichever side of a boundary the gap falls).

use crate::change::Anchor;
use crate::seq::TextSeq;
use crate::OpId;

/// The id runs of a text in document order, tombstones included, with where
/// each starts.
pub(crate) struct FullOrder {
    /// `(full position of the run's first element, first id, length)`.
    runs: Vec<(usize, OpId, usize)>,
    /// Indices into `runs`, sorted by first id: to find the run holding an id.
    by_id: Vec<usize>,
    len: usize,
}

impl FullOrder {
    /// One pass over the spans (runs, not characters).
    pub(crate) fn new(seq: &TextSeq) -> Self {
        let mut runs = Vec::new();
        let mut at = 0;
        for s in seq.spans() {
            runs.push((at, s.id, s.len));
            at += s.len;
        }
        let mut by_id: Vec<usize> = (0..runs.len()).collect();
        by_id.sort_unstable_by_key(|&i| runs[i].1);
        Self {
            runs,
            by_id,
            len: at,
        }
    }

    /// Number of elements, tombstones included.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Full position of the element with id `id`.
    pub(crate) fn position(&self, id: OpId) -> Option<usize> {
        let k = self.by_id.partition_point(|&i| self.runs[i].1 <= id);
        let &i = self.by_id.get(k.checked_sub(1)?)?;
        let (at, first, len) = self.runs[i];
        (first.replica == id.replica && id.counter - first.counter < len as u64)
            .then(|| at + (id.counter - first.counter) as usize)
    }

    /// The id of the element at full position `p`.
    pub(crate) fn id_at(&self, p: usize) -> Option<OpId> {
        let k = self.runs.partition_point(|r| r.0 <= p);
        let (at, first, len) = *self.runs.get(k.checked_sub(1)?)?;
        (p < at + len).then(|| OpId::new(first.replica, first.counter + (p - at) as u64))
    }

    /// The full-order gap an anchor sits in: elements at positions `>= gap` are
    /// right of it.
    pub(crate) fn gap(&self, a: &Anchor) -> usize {
        match a {
            Anchor::Start => 0,
            Anchor::End => self.len,
            // Anchors are validated on arrival; an unknown one covers nothing.
            Anchor::Before(id) => self.position(*id).unwrap_or(self.len),
            Anchor::After(id) => self.position(*id).map_or(self.len, |p| p + 1),
        }
    }
}
