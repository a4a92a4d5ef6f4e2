//! Reads by element id, for callers that remember elements rather than indices
//! (stable cursors, undo).

use super::{Content, IdRun, Seq, SeqError};

impl<C: Content> Seq<C> {
    /// The elements with ids in `run`, tombstones included (their content is kept
    /// while the sequence lives; a sequence loaded from a snapshot holds
    /// placeholders for what was deleted before it was saved).
    pub fn content_of(&self, run: IdRun) -> Result<<C::Slice as ToOwned>::Owned, SeqError> {
        let mut out = C::empty();
        self.walk_ids(run, |lv, n| {
            C::append(&mut out, self.content.get(lv, lv + n));
        })?;
        Ok(out)
    }

    /// The parts of `run` that are visible now, as id runs in id order.
    pub fn visible_runs(&self, run: IdRun) -> Result<Vec<IdRun>, SeqError> {
        let mut out: Vec<IdRun> = Vec::new();
        let mut id = run.start;
        self.walk_ids(run, |mut lv, n| {
            let end = lv + n;
            while lv < end {
                let loc = self.locate(lv);
                let s = self.span(loc.leaf, loc.idx);
                let take = (s.end() - lv).min(end - lv);
                if !s.deleted() {
                    match out.last_mut() {
                        Some(last) if last.start.counter + last.len == id.counter => {
                            last.len += u64::from(take);
                        }
                        _ => out.push(IdRun::new(id, u64::from(take))),
                    }
                }
                id.counter += u64::from(take);
                lv += take;
            }
        })?;
        Ok(out)
    }

    /// Calls `f` with the runs of local indices holding ids `run`, in id order.
    fn walk_ids(&self, run: IdRun, mut f: impl FnMut(u32, u32)) -> Result<(), SeqError> {
        let mut id = run.start;
        let mut left = run.len;
        while left > 0 {
            let (lv, avail) = self.ids.lv_of(id).ok_or(SeqError::UnknownId(id))?;
            let n = u64::from(avail).min(left) as u32;
            f(lv, n);
            id.counter += u64::from(n);
            left -= u64::from(n);
        }
        Ok(())
    }
}
