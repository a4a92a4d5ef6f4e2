//! The tombstones between two visible elements: where an insert at a visible
//! index may go. Rich text uses it to place typing on the right side of the
//! boundaries of deleted formatted text.

use super::span::NONE;
use super::{Content, IdRun, Seq};

impl<C: Content> Seq<C> {
    /// The deleted elements between visible elements `index - 1` and `index`
    /// (from the start for 0, to the end for the length), as id runs in document
    /// order; each run's elements are adjacent. Stops after `max_runs` runs.
    pub fn gap_tombstones(&self, index: usize, max_runs: usize) -> Vec<IdRun> {
        let mut out = Vec::new();
        let (mut leaf, mut idx) = if index == 0 {
            (0, 0)
        } else {
            let Ok(id) = self.id_at(index - 1) else {
                return out;
            };
            let Some((lv, _)) = self.ids.lv_of(id) else {
                return out;
            };
            let loc = self.locate(lv);
            if loc.off + 1 < self.span(loc.leaf, loc.idx).len() {
                // The next element shares the visible span.
                return out;
            }
            (loc.leaf, loc.idx + 1)
        };
        while leaf != NONE && out.len() < max_runs {
            let l = &self.tree.leaves[leaf as usize];
            if idx >= l.len as usize {
                leaf = l.next;
                idx = 0;
                continue;
            }
            let s = l.spans[idx];
            if !s.deleted() {
                break;
            }
            let mut lv = s.lv;
            while lv < s.end() {
                let (id, run) = self.ids.id_of(lv);
                let n = run.min(s.end() - lv);
                out.push(IdRun::new(id, u64::from(n)));
                lv += n;
            }
            idx += 1;
        }
        out
    }
}
