//! Reads that need a sequence's tree and ids but not its content: compiled
//! once for texts and lists rather than once per content type (module size).

use super::ids::IdTable;
use super::span::NONE;
use super::tree::{Metric, Tree};
use super::{IdPosition, IdRun, Loc, SeqError};
use crate::OpId;

/// A sequence's tree and id table, borrowed apart from its content (see
/// [`super::Seq::shape`]).
#[derive(Clone, Copy)]
pub(crate) struct Shape<'a> {
    pub(super) tree: &'a Tree,
    pub(super) ids: &'a IdTable,
}

impl Shape<'_> {
    /// Number of visible elements.
    pub(crate) fn len(self) -> usize {
        self.tree.totals().0 as usize
    }

    /// The tree location of element `lv` (which must exist).
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    #[cfg_attr(weft_wasm_speed, inline)]
    pub(super) fn locate(self, lv: u32) -> Loc {
        if lv < self.tree.leaf_of.len() {
            let leaf = self.tree.leaf_of.get(lv);
            if let Some(loc) = self.find_in(leaf, lv) {
                return loc;
            }
        }
        self.locate_stale(lv)
    }

    /// Where `lv` is, if in `leaf`.
    #[inline]
    fn find_in(self, leaf: u32, lv: u32) -> Option<Loc> {
        let spans = self.tree.leaves[leaf as usize].spans();
        let idx = spans.iter().position(|s| s.lv <= lv && lv < s.end())?;
        Some(Loc {
            leaf,
            idx,
            off: lv - spans[idx].lv,
        })
    }

    /// [`Shape::locate`] for an lv that `leaf_of` does not map to its leaf
    /// (see `Tree::stale`). An lv in `leaf_of` has moved since only by
    /// splits, into leaves they made, which sit right after its old leaf and
    /// are all stale. One added since is in a stale leaf, most likely one
    /// listed lately.
    #[cold]
    #[inline(never)]
    fn locate_stale(self, lv: u32) -> Loc {
        let tree = self.tree;
        if lv < tree.leaf_of.len() {
            let mut leaf = tree.leaves[tree.leaf_of.get(lv) as usize].next;
            while leaf != NONE && tree.leaves[leaf as usize].stale {
                if let Some(loc) = self.find_in(leaf, lv) {
                    return loc;
                }
                leaf = tree.leaves[leaf as usize].next;
            }
        }
        for &leaf in tree.stale.iter().rev() {
            if let Some(loc) = self.find_in(leaf, lv) {
                return loc;
            }
        }
        // Not an existing lv (callers pass only those): the first element.
        Loc {
            leaf: 0,
            idx: 0,
            off: 0,
        }
    }

    /// The id of the visible element at `index`.
    pub(crate) fn id_at(self, index: usize) -> Result<OpId, SeqError> {
        let len = self.len();
        if index >= len {
            return Err(SeqError::IndexOutOfRange { index, len });
        }
        let (leaf, start, _) = self.tree.descend(index as u32, Metric::Chars);
        let mut rem = index as u32 - start;
        for s in self.tree.leaves[leaf as usize].spans() {
            let (c, _) = s.visible();
            if rem < c {
                return Ok(self.ids.id_of(s.lv + rem).0);
            }
            rem -= c;
        }
        Err(SeqError::IndexOutOfRange { index, len })
    }

    /// Where element `id` is: its visible index, or for a deleted element the
    /// index of the next visible one.
    pub(crate) fn index_of(self, id: OpId) -> Result<IdPosition, SeqError> {
        let (lv, _) = self.ids.lv_of(id).ok_or(SeqError::UnknownId(id))?;
        let loc = self.locate(lv);
        let leaf = &self.tree.leaves[loc.leaf as usize];
        let visible = !leaf.spans[loc.idx].deleted();
        // Visible elements before `loc` (`Seq::visible_before`'s count, without
        // its UTF-16 length, which needs the content).
        let (mut index, _) = self.tree.leaf_start(loc.leaf);
        for s in &leaf.spans[..loc.idx] {
            index += s.visible().0;
        }
        if loc.off > 0 && loc.idx < leaf.len as usize && visible {
            index += loc.off;
        }
        Ok(IdPosition {
            index: index as usize,
            visible,
        })
    }

    /// `run` cut into pieces that are each contiguous in the sequence, in id
    /// order; only the visible ones if `visible_only` (see
    /// [`super::Seq::visible_runs`] and [`super::Seq::contiguous_runs`]).
    pub(super) fn pieces(self, run: IdRun, visible_only: bool) -> Result<Vec<IdRun>, SeqError> {
        let mut out: Vec<IdRun> = Vec::new();
        let mut id = run.start;
        self.walk_ids(run, |mut lv, n| {
            let end = lv + n;
            while lv < end {
                let loc = self.locate(lv);
                let s = &self.tree.leaves[loc.leaf as usize].spans[loc.idx];
                let take = (s.end() - lv).min(end - lv);
                // One piece per span: within a span elements are neighbours.
                if !(visible_only && s.deleted()) {
                    out.push(IdRun::new(id, u64::from(take)));
                }
                id.counter += u64::from(take);
                lv += take;
            }
        })?;
        Ok(out)
    }

    /// Calls `f` with the runs of local indices holding ids `run`, in id order.
    pub(super) fn walk_ids(self, run: IdRun, mut f: impl FnMut(u32, u32)) -> Result<(), SeqError> {
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

    /// The id of element `lv`, `None` for `NONE`.
    fn id_or_none(self, lv: u32) -> Option<OpId> {
        (lv != NONE).then(|| self.ids.id_of(lv).0)
    }

    /// The element right before element `id` in document order, tombstones
    /// included (see [`super::Seq::prev_before`]).
    pub(super) fn prev_before(self, id: OpId) -> Result<Option<OpId>, SeqError> {
        let (lv, _) = self.ids.lv_of(id).ok_or(SeqError::UnknownId(id))?;
        let loc = self.locate(lv);
        if loc.off > 0 {
            return Ok(self.id_or_none(lv - 1));
        }
        if loc.idx > 0 {
            return Ok(
                self.id_or_none(self.tree.leaves[loc.leaf as usize].spans[loc.idx - 1].end() - 1)
            );
        }
        let mut leaf = loc.leaf;
        while let Some(prev) = self.prev_leaf(leaf) {
            if let Some(s) = self.tree.leaves[prev as usize].spans().last() {
                return Ok(self.id_or_none(s.end() - 1));
            }
            leaf = prev;
        }
        Ok(None)
    }

    /// The leaf before `leaf` in document order.
    fn prev_leaf(self, leaf: u32) -> Option<u32> {
        let t = self.tree;
        let l = &t.leaves[leaf as usize];
        let (mut slot, mut parent) = (l.slot as usize, l.parent);
        let mut up = 0;
        // Climb until a left sibling exists, then take its rightmost leaf.
        let mut child = loop {
            if parent == NONE {
                return None;
            }
            let p = &t.nodes[parent as usize];
            if slot > 0 {
                break p.children[slot - 1];
            }
            slot = p.slot as usize;
            parent = p.parent;
            up += 1;
        };
        for _ in 0..up {
            let n = &t.nodes[child as usize];
            child = n.children[n.len as usize - 1];
        }
        Some(child)
    }
}
