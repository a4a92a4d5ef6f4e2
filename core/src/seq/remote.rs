//! Ops from other replicas: Fugue integration by origins.

use std::cmp::Ordering;

use super::span::{Span, NONE};
use super::{Content, IdRun, InsertOp, Loc, Seq, SeqError, VisibleChange};
use crate::OpId;

impl<C: Content> Seq<C> {
    /// Applies an insert made elsewhere. Returns where it became visible, or `None` if
    /// every element was already here (applying an op twice is a no-op).
    ///
    /// The caller delivers ops in causal order: both origins must already be here.
    pub fn apply_insert(
        &mut self,
        op: &InsertOp<'_, C::Slice>,
    ) -> Result<Option<VisibleChange>, SeqError> {
        self.insert_remote(op, true)
    }

    /// [`Seq::apply_insert`] for a caller that does not need to know where the
    /// run became visible (no one listens for events): the returned change has
    /// its lengths but index 0, which spares counting what precedes it.
    pub(crate) fn apply_insert_unplaced(
        &mut self,
        op: &InsertOp<'_, C::Slice>,
    ) -> Result<Option<VisibleChange>, SeqError> {
        self.insert_remote(op, false)
    }

    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn insert_remote(
        &mut self,
        op: &InsertOp<'_, C::Slice>,
        place: bool,
    ) -> Result<Option<VisibleChange>, SeqError> {
        let (n, _) = C::measure(op.content);
        if n == 0 {
            return Err(SeqError::EmptyContent);
        }
        if op.id.counter.checked_add(n as u64).is_none() {
            return Err(SeqError::CounterOverflow { id: op.id, len: n });
        }
        // The insert adds its lvs to `leaf_of` at its end.
        self.sync_leaf_of();
        // Past every counter known of its replica (a merge's usual case), none
        // of the run is here, and there is nothing to search for.
        let fresh = self
            .ids
            .used_up_to(op.id.replica)
            .is_none_or(|end| end <= op.id.counter);
        // With causal delivery, what is already here of a run is a prefix of it.
        let known = match fresh {
            true => 0,
            false => self.ids.known_prefix(op.id, n as u64),
        };
        if known == n as u64 {
            return Ok(None);
        }
        let first = OpId::new(op.id.replica, op.id.counter + known);
        if !fresh && self.ids.any_known(first, n as u64 - known) {
            return Err(SeqError::InconsistentOp(op.id));
        }
        let ol = if known > 0 {
            self.lv(OpId::new(op.id.replica, first.counter - 1))?
        } else {
            match op.origin_left {
                Some(id) => self.lv(id)?,
                None => NONE,
            }
        };
        let or = match op.origin_right {
            Some(id) => self.lv(id)?,
            None => NONE,
        };
        // Where the left origin is: found once for the order check, the in-place
        // growth and the integration scan.
        let ol_loc = (ol != NONE).then(|| self.locate(ol));
        // Fugue puts an element strictly between its origins; with the left one at
        // or after the right one no place does, and the snapshot loader rightly
        // refuses such a sequence.
        let out_of_order = match ol_loc {
            Some(at) if or != NONE => {
                self.lv_after(at) != Some(or) && self.cmp_at(at, or) != Ordering::Less
            }
            _ => false,
        };
        if out_of_order {
            return Err(SeqError::OriginsOutOfOrder {
                id: op.id,
                left: self.ids.id_of(ol).0,
                right: self.ids.id_of(or).0,
            });
        }
        let content = C::skip(op.content, known as usize);
        let (n, u) = C::measure(content);
        self.check_room(n)?;
        let (n, u) = (n as u32, u as u32);

        let lv = self.ids.len();
        if let Some(change) = self.try_grow(ol_loc, ol, or, lv, first, content, n, u, place) {
            return Ok(Some(change));
        }
        let at = self.integrate(ol_loc, ol, or, first);
        let new = Span::new(lv, n, u, ol, or);
        self.tree.push_leaf_of(at.leaf, n);
        let (leaf, idx) = if at.off > 0 {
            let s = *self.span(at.leaf, at.idx);
            let (a, b) = self.split_span(&s, at.off);
            let (l, i) = self.tree.splice(at.leaf, at.idx, 1, &[a, new, b]);
            let len = self.tree.leaves[l as usize].len as usize;
            if i + 1 < len {
                (l, i + 1)
            } else {
                (self.tree.leaves[l as usize].next, 0)
            }
        } else {
            self.tree.splice(at.leaf, at.idx, 0, &[new])
        };
        self.ids.push(first, n);
        self.content.push(content);
        // A run delivered in pieces rejoins its earlier piece.
        let (leaf, idx) = if self.try_merge(leaf, idx) {
            (leaf, idx - 1)
        } else {
            (leaf, idx)
        };
        self.cursor = None;
        self.span_hint = None;
        let off = lv - self.span(leaf, idx).lv;
        let (index, utf16_index) = match place {
            true => self.visible_before(Loc { leaf, idx, off }),
            false => (0, 0),
        };
        self.debug_check();
        Ok(Some(VisibleChange {
            index: index as usize,
            len: n as usize,
            utf16_index: utf16_index as usize,
            utf16_len: u as usize,
        }))
    }

    /// The remote twin of local typing: when the new run's left origin ends a visible
    /// span that it continues (next lv, same right origin) and the element after
    /// that span is the right origin, integration would stop at once, so the span
    /// grows in place.
    #[allow(clippy::too_many_arguments)]
    fn try_grow(
        &mut self,
        ol_loc: Option<Loc>,
        ol: u32,
        or: u32,
        lv: u32,
        id: OpId,
        content: &C::Slice,
        n: u32,
        u: u32,
        place: bool,
    ) -> Option<VisibleChange> {
        let loc = ol_loc?;
        let leaf = &self.tree.leaves[loc.leaf as usize];
        let s = leaf.spans[loc.idx];
        if s.deleted() || s.end() != lv || ol + 1 != lv || s.or != or {
            return None;
        }
        let next = match leaf.spans().get(loc.idx + 1) {
            Some(next) => next.lv,
            None if leaf.next != NONE => self.tree.leaves[leaf.next as usize].spans[0].lv,
            None => NONE,
        };
        if next != or {
            return None;
        }
        self.tree.leaves[loc.leaf as usize].spans[loc.idx].grow(n, u);
        self.tree.add_counts(loc.leaf, n as i32, u as i32);
        self.tree.push_leaf_of(loc.leaf, n);
        self.ids.push(id, n);
        self.content.push(content);
        self.cursor = None;
        self.span_hint = None;
        let at = Loc {
            off: s.len(),
            ..loc
        };
        let (index, utf16_index) = match place {
            true => self.visible_before(at),
            false => (0, 0),
        };
        self.debug_check();
        Some(VisibleChange {
            index: index as usize,
            len: n as usize,
            utf16_index: utf16_index as usize,
            utf16_len: u as usize,
        })
    }

    /// The element right after the one at `at`, if any (deleted or not).
    fn lv_after(&self, at: Loc) -> Option<u32> {
        let leaf = &self.tree.leaves[at.leaf as usize];
        let s = leaf.spans[at.idx];
        if at.off + 1 < s.len() {
            return Some(s.lv + at.off + 1);
        }
        match leaf.spans().get(at.idx + 1) {
            Some(next) => Some(next.lv),
            None if leaf.next != NONE => Some(self.tree.leaves[leaf.next as usize].spans[0].lv),
            None => None,
        }
    }

    /// Document order of the element at `at` and element `b`.
    fn cmp_at(&self, at: Loc, b: u32) -> Ordering {
        let lb = self.locate(b);
        if at.leaf == lb.leaf {
            (at.idx, at.off).cmp(&(lb.idx, lb.off))
        } else {
            self.tree.cmp_leaves(at.leaf, lb.leaf)
        }
    }

    fn lv(&self, id: OpId) -> Result<u32, SeqError> {
        self.ids
            .lv_of(id)
            .map(|(lv, _)| lv)
            .ok_or(SeqError::UnknownOrigin(id))
    }

    /// Where a new element with origins `ol`, `or` and id `id` goes (FugueMax, in
    /// diamond-types' origin form). Scans the elements between the origins: those
    /// whose left origin lies before ours end the scan, those anchored further right
    /// belong to a sibling's subtree and are skipped, and siblings sharing our left
    /// origin are ordered by right origin, then by id.
    fn integrate(&self, ol_loc: Option<Loc>, ol: u32, or: u32, id: OpId) -> Loc {
        let mut cur = match ol_loc {
            None => Loc {
                leaf: 0,
                idx: 0,
                off: 0,
            },
            Some(mut loc) => {
                loc.off += 1;
                if loc.off == self.span(loc.leaf, loc.idx).len() {
                    loc.idx += 1;
                    loc.off = 0;
                }
                loc
            }
        };
        let mut scanning = false;
        let mut scan_start = cur;
        loop {
            let leaf = &self.tree.leaves[cur.leaf as usize];
            if cur.idx == leaf.len as usize {
                if leaf.next == NONE {
                    break;
                }
                cur = Loc {
                    leaf: leaf.next,
                    idx: 0,
                    off: 0,
                };
                continue;
            }
            let s = leaf.spans[cur.idx];
            let other = s.lv + cur.off;
            if other == or {
                break;
            }
            let other_ol = s.ol_at(cur.off);
            let left = if other_ol == ol {
                Ordering::Equal
            } else if other_ol == NONE {
                Ordering::Less
            } else if ol == NONE {
                Ordering::Greater
            } else {
                self.cmp_lv(other_ol, ol)
            };
            match left {
                Ordering::Less => break,
                Ordering::Greater => {}
                Ordering::Equal => {
                    if s.or == or {
                        if id < self.ids.id_of(other).0 {
                            break;
                        }
                        scanning = false;
                    } else {
                        let other_first = match (s.or, or) {
                            (_, NONE) => true,
                            (NONE, _) => false,
                            (a, b) => self.cmp_lv(a, b) == Ordering::Less,
                        };
                        if other_first {
                            if !scanning {
                                scanning = true;
                                scan_start = cur;
                            }
                        } else {
                            scanning = false;
                        }
                    }
                }
            }
            // Later elements of this span have left origins inside it, so they are
            // all skipped like the Greater case, up to the right origin if it lies
            // inside (only a forged op's can; stopping there keeps the element
            // before it, as an element-by-element scan would): jump to the next span.
            if or != NONE && or > other && or < s.end() {
                cur.off = or - s.lv;
                break;
            }
            cur.idx += 1;
            cur.off = 0;
        }
        if scanning {
            scan_start
        } else {
            cur
        }
    }

    /// Applies a delete made elsewhere. Returns the visible changes, in order.
    /// Deleting what is already deleted is a no-op; ids must all be known here.
    pub fn apply_delete(&mut self, run: IdRun) -> Result<Vec<VisibleChange>, SeqError> {
        let mut changes = Vec::new();
        self.apply_delete_into(run, &mut changes)?;
        Ok(changes)
    }

    /// Like [`Seq::apply_delete`], appending the changes to `out`.
    pub fn apply_delete_into(
        &mut self,
        run: IdRun,
        out: &mut Vec<VisibleChange>,
    ) -> Result<(), SeqError> {
        self.apply_delete_placed(run, Some(out))
    }

    /// [`Seq::apply_delete_into`], or without `out` for a caller that does not
    /// need the visible changes (no one listens for events): that spares
    /// counting what precedes each.
    pub(crate) fn apply_delete_placed(
        &mut self,
        run: IdRun,
        mut out: Option<&mut Vec<VisibleChange>>,
    ) -> Result<(), SeqError> {
        if run.start.counter.checked_add(run.len).is_none() {
            return Err(SeqError::CounterOverflow {
                id: run.start,
                len: run.len as usize,
            });
        }
        // Its lookups by lv then find their leaf at once.
        self.sync_leaf_of();
        // A delete usually covers ids of one lv run (one keystroke's worth): that
        // needs no list of runs.
        match self.ids.lv_of(run.start) {
            Some((lv, n)) if u64::from(n) >= run.len => {
                self.delete_lvs(lv, run.len as u32, &mut out);
            }
            _ => {
                let mut lv_runs = Vec::new();
                self.ids
                    .lv_runs(run.start, run.len, |lv, n| lv_runs.push((lv, n)))
                    .map_err(SeqError::UnknownId)?;
                for (lv, len) in lv_runs {
                    self.delete_lvs(lv, len, &mut out);
                }
            }
        }
        self.cursor = None;
        self.span_hint = None;
        self.debug_check();
        Ok(())
    }

    /// Deletes the `len` elements from `lv` on, noting in `out` (when given)
    /// where the visible ones were.
    fn delete_lvs(&mut self, mut lv: u32, mut len: u32, out: &mut Option<&mut Vec<VisibleChange>>) {
        while len > 0 {
            let loc = self.locate(lv);
            let s = *self.span(loc.leaf, loc.idx);
            let take = (s.len() - loc.off).min(len);
            if !s.deleted() {
                match out.as_deref_mut() {
                    None => {
                        self.delete_in_span(loc.leaf, loc.idx, loc.off, take);
                    }
                    Some(out) => {
                        let (index, utf16_index) = self.visible_before(loc);
                        let (_, utf16_len) = self.delete_in_span(loc.leaf, loc.idx, loc.off, take);
                        let (index, utf16_index) = (index as usize, utf16_index as usize);
                        match out.last_mut() {
                            Some(last) if last.index == index => {
                                last.len += take as usize;
                                last.utf16_len += utf16_len as usize;
                            }
                            _ => out.push(VisibleChange {
                                index,
                                len: take as usize,
                                utf16_index,
                                utf16_len: utf16_len as usize,
                            }),
                        }
                    }
                }
            }
            lv += take;
            len -= take;
        }
    }
}
