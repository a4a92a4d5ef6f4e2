//! Edits made on this replica: positions in, ops out.

use super::span::{Span, NONE};
use super::{Content, IdRun, InsertOp, Seq, SeqError};
use crate::OpId;

impl<C: Content> Seq<C> {
    /// Inserts `content` so that its first element ends up at visible `index`, giving
    /// the elements ids `id`, `id + 1`, …. Returns the op to ship to other replicas.
    ///
    /// `id.counter` must be above every counter this sequence has seen from
    /// `id.replica`.
    pub fn insert<'a>(
        &mut self,
        index: usize,
        content: &'a C::Slice,
        id: OpId,
    ) -> Result<InsertOp<'a, C::Slice>, SeqError> {
        let (n, u) = C::measure(content);
        if n == 0 {
            return Err(SeqError::EmptyContent);
        }
        let len = self.len();
        if index > len {
            return Err(SeqError::IndexOutOfRange { index, len });
        }
        self.check_room(n)?;
        if id.counter.checked_add(n as u64).is_none() {
            return Err(SeqError::CounterOverflow { id, len: n });
        }
        // The ids' freshness is checked below, once the insert point is found
        // (nothing has changed yet): typing that continues the id table's
        // newest runs is fresh without a look-up.
        let (n, u) = (n as u32, u as u32);
        let lv = self.ids.len();
        let hint = self.span_hint.take();

        // Find the element left of the insert point (the visible one at index - 1)
        // and what follows it, tombstones included.
        let (leaf, idx, split_off, ol, or, leaf_start) = if index == 0 {
            let first = self.tree.leaves[0].spans().first().map_or(NONE, |s| s.lv);
            (0, 0, 0, NONE, first, 0)
        } else {
            let (leaf, start) = self.leaf_with(index as u32 - 1);
            let l = &self.tree.leaves[leaf as usize];
            let mut rem = index as u32 - 1 - start;
            let mut idx = 0;
            if let Some((h_leaf, h_idx, h_start)) = hint {
                if h_leaf == leaf && rem >= h_start {
                    idx = h_idx;
                    rem -= h_start;
                }
            }
            let in_leaf = index as u32 - 1 - start;
            let (idx, rem) = l.find_visible(idx, rem);
            let s = l.spans[idx];
            let ol = s.lv + rem;
            if rem + 1 < s.len() {
                (leaf, idx, rem + 1, ol, ol + 1, start)
            } else {
                let or = match l.spans().get(idx + 1) {
                    Some(next) => next.lv,
                    None if l.next != NONE => self.tree.leaves[l.next as usize].spans[0].lv,
                    None => NONE,
                };
                if s.end() == lv && s.or == or {
                    // Typing on: the run grows in place. Ids that continue the
                    // id table's newest runs are taken here, which tells they
                    // are fresh and that the left origin (`lv - 1`) has the id
                    // before `id`; others are checked first.
                    let typed = self.ids.push_typed(id, n);
                    if !typed {
                        self.check_fresh(id)?;
                    }
                    self.span_hint = Some((leaf, idx, in_leaf - rem));
                    self.tree.leaves[leaf as usize].spans[idx].grow(n, u);
                    self.tree.add_counts(leaf, n as i32, u as i32);
                    return Ok(self.finish_insert(leaf, start, content, id, n, ol, or, typed));
                }
                (leaf, idx + 1, 0, ol, or, start)
            }
        };
        self.check_fresh(id)?;

        let new = Span::new(lv, n, u, ol, or);
        // The new lvs are not in `leaf_of` (see `Tree::stale`); a split that
        // moves the new span marks its new leaf too.
        self.tree.mark_stale(leaf);
        let counts = (n as i32, u as i32);
        if split_off > 0 {
            let s = *self.span(leaf, idx);
            let (a, b) = self.split_span(&s, split_off);
            self.tree.splice_counted(leaf, idx, 1, [a, new, b], counts);
        } else {
            self.tree.splice_counted(leaf, idx, 0, [new], counts);
        }
        // A split moves the later half of a leaf out, never its start: the cursor
        // stays on the original leaf, whose start is unchanged.
        Ok(self.finish_insert(leaf, leaf_start, content, id, n, ol, or, false))
    }

    /// [`SeqError::IdNotFresh`] unless `id.counter` is above every counter
    /// this sequence has seen from `id.replica`.
    #[inline]
    fn check_fresh(&self, id: OpId) -> Result<(), SeqError> {
        match self.ids.used_up_to(id.replica) {
            Some(used_up_to) if id.counter < used_up_to => {
                Err(SeqError::IdNotFresh { id, used_up_to })
            }
            _ => Ok(()),
        }
    }

    // Inlined natively (the WebAssembly build minds its size): as a call,
    // saving and restoring registers and returning the op through memory
    // cost a sixth of it.
    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    #[cfg_attr(weft_wasm_speed, inline)]
    fn finish_insert<'a>(
        &mut self,
        leaf: u32,
        leaf_start: u32,
        content: &'a C::Slice,
        id: OpId,
        n: u32,
        ol: u32,
        or: u32,
        typed: bool,
    ) -> InsertOp<'a, C::Slice> {
        // Typing grew a span of `leaf`: its new lvs are not in `leaf_of`.
        self.tree.mark_stale(leaf);
        // Typing on: the ids are in already (`IdTable::push_typed`), and the
        // left origin is the element typed last, the id before `id`.
        let origin_left = if typed {
            Some(OpId::new(id.replica, id.counter - 1))
        } else {
            self.ids.push(id, n);
            self.id_or_none(ol)
        };
        self.cap_stale();
        self.content.push_local(content);
        self.cursor = Some((leaf, leaf_start));
        let origin_right = if or == NONE {
            None
        } else {
            match self.last_or {
                Some((lv, id)) if lv == or => Some(id),
                _ => {
                    let id = self.ids.id_of(or).0;
                    self.last_or = Some((or, id));
                    Some(id)
                }
            }
        };
        self.debug_check();
        InsertOp {
            id,
            origin_left,
            origin_right,
            content,
        }
    }

    /// The leaf holding visible element `pos` (which must exist) and its start.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    #[cfg_attr(weft_wasm_speed, inline)]
    fn leaf_with(&mut self, pos: u32) -> (u32, u32) {
        if let Some((leaf, start)) = self.cursor {
            if pos >= start && pos - start < self.tree.leaves[leaf as usize].chars {
                return (leaf, start);
            }
        }
        // The descent then needs no pending count change added on its way.
        #[cfg(not(target_arch = "wasm32"))]
        self.tree.flush_counts();
        let (leaf, start, _) = self.tree.descend(pos, super::tree::Metric::Chars);
        (leaf, start)
    }

    /// Deletes `len` visible elements from `index`. Returns the deleted ids as runs,
    /// in document order.
    pub fn delete(&mut self, index: usize, len: usize) -> Result<Vec<IdRun>, SeqError> {
        let mut out = Vec::new();
        self.delete_into(index, len, &mut out)?;
        Ok(out)
    }

    /// Like [`Seq::delete`], appending the deleted id runs to `out` (no allocation
    /// when `out` has room).
    pub fn delete_into(
        &mut self,
        index: usize,
        len: usize,
        out: &mut Vec<IdRun>,
    ) -> Result<(), SeqError> {
        let total = self.len();
        let end = index.checked_add(len).filter(|&e| e <= total);
        if end.is_none() {
            return Err(SeqError::RangeOutOfRange {
                start: index,
                end: index.saturating_add(len),
                len: total,
            });
        }
        let mut hint = self.span_hint.take();
        let pos = index as u32;
        let mut remaining = len as u32;
        while remaining > 0 {
            let (leaf, start) = self.leaf_with(pos);
            let l = &self.tree.leaves[leaf as usize];
            let in_leaf = pos - start;
            // Backspacing again: start the scan at the span the last edit touched.
            let (idx, rem) = match hint.take() {
                Some((h_leaf, h_idx, h_before)) if h_leaf == leaf && in_leaf >= h_before => {
                    l.find_visible(h_idx, in_leaf - h_before)
                }
                _ => l.find_visible(0, in_leaf),
            };
            let s = l.spans[idx];
            let take = (s.len() - rem).min(remaining);
            let lv = s.lv + rem;
            self.cursor = Some((leaf, start));
            let loc = match self.delete_next_to_tombstone(leaf, idx, &s, rem, take) {
                Some((loc, _)) => {
                    // Only a boundary moved: span `idx` keeps its place and the
                    // visible elements before it, so the hint stays true.
                    if take == remaining {
                        self.span_hint = Some((leaf, idx, in_leaf - rem));
                    }
                    loc
                }
                None => self.delete_in_span_split(leaf, idx, rem, take).0,
            };
            let mut cursor_start = start;
            if loc.leaf != leaf {
                // The leaf split and the tombstone went right; later pieces follow it.
                cursor_start = start + self.tree.leaves[leaf as usize].chars;
                self.cursor = Some((loc.leaf, cursor_start));
            }
            self.ids.id_runs(lv, take, |id, n| push_run(out, id, n));
            remaining -= take;
            // A delete spanning several spans: the next piece starts right
            // after this tombstone, with every visible element before `pos`
            // before it, so its scan starts there rather than at the leaf's
            // first span (a block of code deleted spans many).
            if remaining > 0 {
                #[allow(unused_mut)]
                let mut next = loc.idx + 1;
                // Natively the whole spans that follow in this leaf go in one
                // pass; only deletes of several pieces get here.
                #[cfg(not(target_arch = "wasm32"))]
                {
                    let (taken, after) =
                        self.delete_whole_spans(loc.leaf, next, remaining, |ids, lv, n| {
                            ids.id_runs(lv, n, |id, k| push_run(out, id, k));
                        });
                    remaining -= taken;
                    next = after;
                }
                hint = Some((loc.leaf, next, pos - cursor_start));
            }
            // Deleting shifts what follows onto `pos`: if this leaf has no more
            // visible elements there, the next one starts at `pos`.
            if let Some((leaf, start)) = self.cursor {
                let l = &self.tree.leaves[leaf as usize];
                if remaining > 0 && pos - start >= l.chars && l.next != NONE {
                    self.cursor = Some((l.next, start + l.chars));
                }
            }
        }
        self.cap_stale();
        self.debug_check();
        Ok(())
    }
}

fn push_run(out: &mut Vec<IdRun>, id: OpId, n: u32) {
    if let Some(last) = out.last_mut() {
        if last.start.replica == id.replica && last.start.counter + last.len == id.counter {
            last.len += u64::from(n);
            return;
        }
    }
    out.push(IdRun::new(id, u64::from(n)));
}
