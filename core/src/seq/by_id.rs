//! Reads by element id, for callers that remember elements rather than indices
//! (stable cursors, undo).

use super::{Content, IdRun, Seq, SeqError};

impl<C: Content> Seq<C> {
    /// The elements with ids in `run`, tombstones included (their content is kept
    /// while the sequence lives; what was deleted before the snapshot a sequence
    /// was loaded from reads as placeholders: NUL characters, null values).
    pub fn content_of(&self, run: IdRun) -> Result<<C::Slice as ToOwned>::Owned, SeqError> {
        let mut out = C::empty();
        self.content_into(run, &mut out)?;
        Ok(out)
    }

    /// Like [`Seq::content_of`], appending to `out`.
    pub fn content_into(
        &self,
        run: IdRun,
        out: &mut <C::Slice as ToOwned>::Owned,
    ) -> Result<(), SeqError> {
        self.shape().walk_ids(run, |lv, n| {
            let got = self.content_get(lv, lv + n);
            let missing = n as usize - C::measure(&got).0;
            C::append(out, &got);
            // Holes read as placeholders, so that the result has one element per id.
            C::append_placeholders(out, missing);
        })
    }

    /// The parts of `run` that are visible now, in id order, as runs that are each
    /// contiguous in the sequence.
    pub fn visible_runs(&self, run: IdRun) -> Result<Vec<IdRun>, SeqError> {
        self.shape().pieces(run, true)
    }

    /// `run` cut into pieces that are each contiguous in the sequence (tombstones
    /// included), in id order: consecutive ids need not be neighbours, since
    /// others may have inserted between them.
    pub fn contiguous_runs(&self, run: IdRun) -> Result<Vec<IdRun>, SeqError> {
        self.shape().pieces(run, false)
    }
}

impl<C: Content> Seq<C> {
    /// The element right after element `id` in document order, tombstones
    /// included (`None`: `id` is the last). With `id` as left origin and this as
    /// right origin, an insert lands exactly next to `id`, deleted or not.
    pub fn next_after(&self, id: crate::OpId) -> Result<Option<crate::OpId>, SeqError> {
        let (lv, _) = self.ids.lv_of(id).ok_or(SeqError::UnknownId(id))?;
        let loc = self.locate(lv);
        let s = self.span(loc.leaf, loc.idx);
        if lv + 1 < s.end() {
            return Ok(self.id_or_none(lv + 1));
        }
        let mut leaf = loc.leaf;
        let mut idx = loc.idx + 1;
        loop {
            let l = &self.tree.leaves[leaf as usize];
            if idx < l.len as usize {
                return Ok(self.id_or_none(l.spans[idx].lv));
            }
            if l.next == super::span::NONE {
                return Ok(None);
            }
            leaf = l.next;
            idx = 0;
        }
    }
}

impl<C: Content> Seq<C> {
    /// The element right before element `id` in document order, tombstones
    /// included (`None`: `id` is the first). With this as left origin and `id` as
    /// right origin, an insert lands exactly before `id`, deleted or not.
    pub fn prev_before(&self, id: crate::OpId) -> Result<Option<crate::OpId>, SeqError> {
        self.shape().prev_before(id)
    }
}
