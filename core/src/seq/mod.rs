//! The sequence CRDT under `Text` and `List`: Fugue (FugueMax) over a run-length
//! B-tree.
//!
//! A [`Seq`] holds every element ever inserted, deleted ones as tombstones, in one
//! total order that all replicas agree on. Concurrent inserts at the same place never
//! interleave, whether typed forwards or backwards (Weidner & Kleppmann, "The Art of
//! the Fugue", 2023). The integration rule is the FugueMax one, in the origin-based
//! form diamond-types uses: each element records the element immediately left of it
//! and the one immediately right of it when it was inserted.
//!
//! Storage is run-length: a typing run is one 20-byte span in a B-tree, not one node
//! per character. Each child pointer caches its subtree's visible length in elements
//! and in UTF-16 code units, so index lookups and conversions are O(log n), and the
//! leaf of the previous edit is remembered so that typing or deleting at the same
//! place skips the descent.
//!
//! # Design
//!
//! - **Local indices.** Every element gets a dense local index ("lv") in the order
//!   this replica learnt of it. The tree, the origins stored in it and the content
//!   store all work in lvs; op ids are translated at the boundary by a table of runs
//!   (lv to id by binary search, id to lv through per-replica sorted runs).
//! - **Content** lives outside the tree in an append-only store in lv order
//!   ([`TextContent`]: UTF-8 in chunks of up to 64 KB that never move once
//!   full, with a byte mark every 64 characters;
//!   [`ListContent`]: a `Vec<Value>`), so splitting a span never touches content and
//!   a run's content is one slice (or, for text straddling two chunks, a copy).
//! - **Spans** are 20 bytes: first lv, length with a deleted bit, UTF-16 length, left
//!   origin of the first element (the others' is their predecessor) and the shared
//!   right origin. Local typing grows the last span in place.
//! - **Tree**: leaves of up to 32 spans, internal nodes of up to 16 children, each
//!   child with cached visible counts in elements and UTF-16 units; nodes live in
//!   arenas indexed by `u32` (no `unsafe`). Nothing is ever removed, so nodes never
//!   underflow. An lv-to-leaf index (16-lv blocks, mostly one entry each) finds
//!   an id's leaf in O(1).
//! - **Integration** of remote inserts follows diamond-types' FugueMax-equivalent
//!   scan (see `remote.rs`); local inserts go right after their left origin, which
//!   is exactly where that scan puts them elsewhere.
//!
//! # Limits
//!
//! At most 2^31 − 2 elements (tombstones included) per sequence. Tombstones keep
//! their content (undo reads it), so memory grows with everything ever inserted,
//! except for tombstones loaded from a snapshot: those carry only their length.
//!
//! ```
//! use weft_core::seq::TextSeq;
//! use weft_core::{OpId, ReplicaId};
//!
//! let (a, b) = (ReplicaId(1), ReplicaId(2));
//! let mut alice = TextSeq::new();
//! let op = alice.insert(0, "hello", OpId::new(a, 1)).unwrap();
//!
//! let mut bob = TextSeq::new();
//! bob.apply_insert(&op).unwrap();
//! let op = bob.insert(5, " world", OpId::new(b, 6)).unwrap();
//! alice.apply_insert(&op).unwrap();
//!
//! assert_eq!(alice.text(), "hello world");
//! assert_eq!(alice.text(), bob.text());
//! ```

mod build;
mod by_id;
mod check;
mod content;
mod error;
mod gap;
mod holes;
mod ids;
mod leaf_index;
mod local;
mod query;
mod remote;
mod shape;
mod span;
mod tree;
mod types;

pub(crate) use build::{Builder, Checked};
pub(crate) use content::{ascii, char_end};
pub use content::{Content, ListContent, TextContent};
pub use error::SeqError;
pub use query::Spans;
pub(crate) use shape::Shape;
pub use types::{IdPosition, IdRun, InsertOp, SpanEntry, VisibleChange};

use ids::IdTable;
use span::{Span, MAX_LV, NONE};
use tree::Tree;

/// A sequence of text: elements are Unicode scalar values.
pub type TextSeq = Seq<TextContent>;
/// A sequence of list values.
pub type ListSeq = Seq<ListContent>;

/// A Fugue sequence of elements stored in `C`. See the [module docs](self).
#[derive(Clone, Debug, Default)]
pub struct Seq<C: Content> {
    tree: Tree,
    ids: IdTable,
    content: C,
    /// Tombstones loaded without content (see `holes.rs`).
    holes: holes::Holes,
    /// The leaf of the last local edit and its visible start, so that the next edit
    /// nearby skips the descent. `None` after anything that may move leaf starts
    /// without updating it.
    cursor: Option<(u32, u32)>,
    /// Within the cursor's leaf, a span index and the visible elements before it;
    /// valid only until the next edit other than growing that span, which is what
    /// typing does.
    span_hint: Option<(u32, usize, u32)>,
    /// Id of the right origin most recently shipped: typing keeps the same one, and
    /// this saves an lv-to-id search per keystroke.
    last_or: Option<(u32, crate::OpId)>,
}

/// Where an element sits in the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Loc {
    leaf: u32,
    idx: usize,
    off: u32,
}

impl<C: Content> Seq<C> {
    /// An empty sequence.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of visible elements.
    pub fn len(&self) -> usize {
        self.tree.totals().0 as usize
    }

    /// Visible length in UTF-16 code units (lists count one per element).
    pub fn len_utf16(&self) -> usize {
        self.tree.totals().1 as usize
    }

    /// Whether there are no visible elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of elements ever inserted, tombstones included.
    pub fn total_len(&self) -> usize {
        self.ids.len() as usize
    }

    /// Whether the element with id `id` was inserted here (visible or not).
    pub fn contains(&self, id: crate::OpId) -> bool {
        self.ids.lv_of(id).is_some()
    }

    /// One past the highest counter of `replica` among the elements here (0 if
    /// none): ids of `replica` from there on are not here. A merge's remote
    /// ops are all past it, and [`Seq::contains`] need not look them up.
    pub fn counters_end(&self, replica: crate::ReplicaId) -> u64 {
        self.ids.used_up_to(replica).unwrap_or(0)
    }

    /// Whether element `a` comes before element `b` in document order; `None` if
    /// either is not here.
    pub fn precedes(&self, a: crate::OpId, b: crate::OpId) -> Option<bool> {
        let (a, b) = (self.ids.lv_of(a)?.0, self.ids.lv_of(b)?.0);
        Some(self.cmp_lv(a, b) == std::cmp::Ordering::Less)
    }

    /// Approximate heap bytes held by the structure (tree, indexes and content).
    pub fn heap_bytes(&self) -> usize {
        self.tree.heap_bytes()
            + self.ids.heap_bytes()
            + self.content.heap_bytes()
            + self.holes.heap_bytes()
    }

    /// Checks every internal invariant: cached counts, balance, parent links, the
    /// lv-to-leaf and id indexes, and per-span UTF-16 lengths. Slow (linear); with the
    /// `slow-assertions` feature it runs after every operation.
    pub fn check_invariants(&self) -> Result<(), String> {
        check::check(self)
    }

    #[inline]
    fn debug_check(&self) {
        #[cfg(feature = "slow-assertions")]
        if let Err(e) = self.check_invariants() {
            panic!("seq invariant broken: {e}");
        }
    }

    fn span(&self, leaf: u32, idx: usize) -> &Span {
        &self.tree.leaves[leaf as usize].spans[idx]
    }

    /// The tree and ids apart from the content, for the reads that need no
    /// content (compiled once for texts and lists).
    #[inline]
    pub(crate) fn shape(&self) -> Shape<'_> {
        Shape {
            tree: &self.tree,
            ids: &self.ids,
        }
    }

    /// Brings the lv-to-leaf index up to date (see `Tree::stale`): before
    /// edits that add to it in place (remote inserts) or look up many lvs.
    #[inline(always)]
    fn sync_leaf_of(&mut self) {
        if !self.tree.stale.is_empty() {
            self.tree.repoint_stale(self.ids.len());
        }
    }

    /// [`Seq::sync_leaf_of`] once local edits have left more than
    /// `STALE_CAP` leaves stale, so that a lookup's scan of them stays short.
    #[inline(always)]
    fn cap_stale(&mut self) {
        if self.tree.stale.len() > tree::STALE_CAP {
            self.tree.repoint_stale(self.ids.len());
        }
    }

    /// The tree location of element `lv` (which must exist).
    #[inline]
    fn locate(&self, lv: u32) -> Loc {
        self.shape().locate(lv)
    }

    /// Document order of two existing elements.
    fn cmp_lv(&self, a: u32, b: u32) -> std::cmp::Ordering {
        if a == b {
            return std::cmp::Ordering::Equal;
        }
        let (la, lb) = (self.locate(a), self.locate(b));
        if la.leaf == lb.leaf {
            (la.idx, la.off).cmp(&(lb.idx, lb.off))
        } else {
            self.tree.cmp_leaves(la.leaf, lb.leaf)
        }
    }

    /// Visible elements and UTF-16 units before `loc`.
    fn visible_before(&self, loc: Loc) -> (u32, u32) {
        let (mut c, mut u) = self.tree.leaf_start(loc.leaf);
        let leaf = &self.tree.leaves[loc.leaf as usize];
        for s in &leaf.spans[..loc.idx] {
            let (vc, vu) = s.visible();
            c += vc;
            u += vu;
        }
        if loc.off > 0 && loc.idx < leaf.len as usize {
            let s = &leaf.spans[loc.idx];
            if !s.deleted() {
                c += loc.off;
                u += self.utf16_prefix(s, loc.off);
            }
        }
        (c, u)
    }

    /// UTF-16 length of the first `off` elements of `s`.
    fn utf16_prefix(&self, s: &Span, off: u32) -> u32 {
        if s.utf16 == s.len() {
            off
        } else {
            self.utf16_len(s.lv, s.lv + off)
        }
    }

    /// Content of elements `start..end`; holes (tombstones loaded without content)
    /// contribute nothing.
    fn content_get(&self, start: u32, end: u32) -> std::borrow::Cow<'_, C::Slice> {
        self.content
            .get(self.holes.dense(start), self.holes.dense(end))
    }

    /// UTF-16 length of elements `start..end`, a hole counting one unit per
    /// element (as its placeholder would).
    fn utf16_len(&self, start: u32, end: u32) -> u32 {
        let (a, b) = (self.holes.dense(start), self.holes.dense(end));
        self.content.utf16_len(a, b) + (end - start) - (b - a)
    }

    /// Splits `s` at `off` (0 < off < len).
    fn split_span(&self, s: &Span, off: u32) -> (Span, Span) {
        s.split(off, self.utf16_prefix(s, off))
    }

    /// Merges span `idx` into span `idx - 1` of `leaf` when it continues it.
    fn try_merge(&mut self, leaf: u32, idx: usize) -> bool {
        self.try_merge_inline(leaf, idx)
    }

    /// [`Seq::try_merge`]'s body, inlined into [`Seq::merge_tombstone`]
    /// natively: every span a local delete flags tries two merges, and as
    /// calls (the document's delete keeps `delete_in_span_split` out of
    /// line) they cost about 38 instructions each (rustcode: 24,654 calls).
    #[inline(always)]
    fn try_merge_inline(&mut self, leaf: u32, idx: usize) -> bool {
        let l = &self.tree.leaves[leaf as usize];
        if idx == 0 || idx >= l.len as usize {
            return false;
        }
        let (prev, cur) = (l.spans[idx - 1], l.spans[idx]);
        if !prev.can_append(&cur) {
            return false;
        }
        let l = &mut self.tree.leaves[leaf as usize];
        l.spans[idx - 1].append(&cur);
        let n = l.len as usize;
        l.spans.copy_within(idx + 1..n, idx);
        l.len -= 1;
        true
    }

    /// Flags elements `off .. off + take` of span `idx` of `leaf` deleted (the span must
    /// be visible). Returns the location of the deleted part and its UTF-16 length.
    fn delete_in_span(&mut self, leaf: u32, idx: usize, off: u32, take: u32) -> (Loc, u32) {
        let s = *self.span(leaf, idx);
        if let Some(done) = self.delete_next_to_tombstone(leaf, idx, &s, off, take) {
            return done;
        }
        self.delete_in_span_split(leaf, idx, off, take)
    }

    /// [`Seq::delete_in_span`] by splitting the span and merging the tombstone
    /// with its neighbours.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn delete_in_span_split(&mut self, leaf: u32, idx: usize, off: u32, take: u32) -> (Loc, u32) {
        let s = *self.span(leaf, idx);
        // Native only: the WebAssembly module minds its size.
        #[cfg(not(target_arch = "wasm32"))]
        if off == 0 && take == s.len() {
            return self.delete_whole_span(leaf, idx, &s);
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(done) = self.delete_split_in_leaf(leaf, idx, &s, off, take) {
            return done;
        }
        let mut pieces = [Span::default(); 3];
        let mut n = 0;
        let mut rest = s;
        if off > 0 {
            let (a, b) = self.split_span(&rest, off);
            pieces[n] = a;
            n += 1;
            rest = b;
        }
        let mut gone = rest;
        if take < rest.len() {
            let (a, b) = self.split_span(&rest, take);
            gone = a;
            pieces[n + 1] = b;
        }
        gone.set_deleted();
        pieces[n] = gone;
        let at = n;
        let count = if take < rest.len() { n + 2 } else { n + 1 };
        let (mut leaf, mut idx) = self.tree.splice(leaf, idx, 1, &pieces[..count]);
        // The tombstone usually continues its left neighbour (backspacing through a
        // run): merging keeps a run of deletions one span.
        idx += at;
        if idx >= self.tree.leaves[leaf as usize].len as usize {
            // The split moved the deleted piece into the next leaf.
            let l = &self.tree.leaves[leaf as usize];
            idx -= l.len as usize;
            leaf = l.next;
        }
        self.merge_tombstone(leaf, idx, &gone)
    }

    /// The tombstone `gone`, just put at span `idx` of `leaf`, merged with its
    /// neighbours: its location and UTF-16 length, as the deletes return them.
    #[inline(always)]
    fn merge_tombstone(&mut self, leaf: u32, mut idx: usize, gone: &Span) -> (Loc, u32) {
        #[cfg(not(target_arch = "wasm32"))]
        let merged = {
            self.try_merge_inline(leaf, idx + 1);
            self.try_merge_inline(leaf, idx)
        };
        #[cfg(target_arch = "wasm32")]
        let merged = {
            self.try_merge(leaf, idx + 1);
            self.try_merge(leaf, idx)
        };
        if merged {
            idx -= 1;
        }
        let off = gone.lv - self.span(leaf, idx).lv;
        (Loc { leaf, idx, off }, gone.utf16)
    }

    /// [`Seq::delete_in_span_split`] of part of span `idx` (`s`) when its
    /// leaf has room for the pieces: they are put in place (the leaf cannot
    /// split, so the tombstone's place is known) and merged with the
    /// neighbours. `None` when the leaf is full.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    fn delete_split_in_leaf(
        &mut self,
        leaf: u32,
        idx: usize,
        s: &Span,
        off: u32,
        take: u32,
    ) -> Option<(Loc, u32)> {
        let counts = |gone: &Span| (-(take as i32), -(gone.utf16 as i32));
        let (gone, at) = if off == 0 {
            let (mut gone, rest) = self.split_span(s, take);
            gone.set_deleted();
            if !self
                .tree
                .splice_in_leaf(leaf, idx, 1, [gone, rest], counts(&gone))
            {
                return None;
            }
            (gone, idx)
        } else if off + take == s.len() {
            let (head, mut gone) = self.split_span(s, off);
            gone.set_deleted();
            if !self
                .tree
                .splice_in_leaf(leaf, idx, 1, [head, gone], counts(&gone))
            {
                return None;
            }
            (gone, idx + 1)
        } else {
            let (head, rest) = self.split_span(s, off);
            let (mut gone, tail) = self.split_span(&rest, take);
            gone.set_deleted();
            if !self
                .tree
                .splice_in_leaf(leaf, idx, 1, [head, gone, tail], counts(&gone))
            {
                return None;
            }
            (gone, idx + 1)
        };
        Some(self.merge_tombstone(leaf, at, &gone))
    }

    /// [`Seq::delete_in_span_split`] when the whole span `s` (span `idx` of
    /// `leaf`) goes: its flag is set where it lies. A block of code selected
    /// and deleted is mostly such spans; through `Tree::splice` each cost a
    /// tail move and a recount of the leaf's counts for nothing.
    #[cfg(not(target_arch = "wasm32"))]
    fn delete_whole_span(&mut self, leaf: u32, idx: usize, s: &Span) -> (Loc, u32) {
        self.tree.leaves[leaf as usize].spans[idx].set_deleted();
        self.tree
            .add_counts(leaf, -(s.len() as i32), -(s.utf16 as i32));
        self.merge_tombstone(leaf, idx, s)
    }

    /// Deletes the visible spans of `leaf` from span `idx` on while
    /// `remaining` covers each whole, passing over the tombstones among
    /// them; stops at the leaf's end or at a visible span longer than what is
    /// left. A selected block of code deleted is mostly such spans, and one
    /// by one each cost a scan from the last, a counts update and two merges
    /// that each moved the leaf's tail. Here the flags are set in one pass,
    /// the counts change once and the tombstones merge in one pass that
    /// moves the tail once. A pair of neighbours is merged exactly when the
    /// one-by-one deletes would have tried it (one of the two deleted now),
    /// so the leaf ends up span for span as they left it. Calls
    /// `emit(ids, lv, n)` for each deleted span in document order; returns
    /// the elements deleted and the index from which to look for the rest
    /// (every span from `idx` up to it a tombstone; `idx` if none went).
    /// Native only; out of line, as only deletes of several pieces take it.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)]
    fn delete_whole_spans(
        &mut self,
        leaf: u32,
        idx: usize,
        remaining: u32,
        mut emit: impl FnMut(&mut IdTable, u32, u32),
    ) -> (u32, usize) {
        let l = &mut self.tree.leaves[leaf as usize];
        let n = l.len as usize;
        // Bit j: span j is deleted now (a leaf's spans fit the word).
        const _: () = assert!(tree::LEAF_CAP <= 32);
        let mut new = 0u32;
        let (mut taken, mut du) = (0u32, 0u32);
        let (mut first, mut last) = (n, n);
        for j in idx..n {
            let s = &mut l.spans[j];
            if s.deleted() {
                continue;
            }
            let len = s.len();
            if len > remaining - taken {
                break;
            }
            emit(&mut self.ids, s.lv, len);
            s.set_deleted();
            taken += len;
            du += s.utf16;
            new |= 1 << j;
            first = first.min(j);
            last = j;
            if taken == remaining {
                break;
            }
        }
        if taken == 0 {
            return (0, idx);
        }
        self.tree.add_counts(leaf, -(taken as i32), -(du as i32));
        let l = &mut self.tree.leaves[leaf as usize];
        // Merge over spans `lo..=hi`: the first deleted one's left neighbour
        // to the last one's right neighbour.
        let lo = first.saturating_sub(1);
        let hi = (last + 1).min(n - 1);
        let mut w = lo;
        let mut at_last = lo;
        for r in lo + 1..=hi {
            let tried = (new >> (r - 1)) & 3 != 0;
            let cur = l.spans[r];
            if tried && l.spans[w].can_append(&cur) {
                l.spans[w].append(&cur);
            } else {
                w += 1;
                l.spans[w] = cur;
            }
            if r == last {
                at_last = w;
            }
        }
        let gone = hi - w;
        if gone > 0 {
            l.spans.copy_within(hi + 1..n, w + 1);
            l.len = (n - gone) as u8;
        }
        (taken, at_last + 1)
    }

    /// The common deletions that only move a boundary: the end of span `idx`
    /// (`s`) into the tombstone run after it that continues it (backspacing), or
    /// its start onto the end of the tombstone run before it (deleting forwards).
    /// No span is split or merged and the leaf keeps its length. Inlined natively: it
    /// is most backspaces' whole edit of the tree.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(weft_wasm_speed, inline)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn delete_next_to_tombstone(
        &mut self,
        leaf: u32,
        idx: usize,
        s: &Span,
        off: u32,
        take: u32,
    ) -> Option<(Loc, u32)> {
        let l = &self.tree.leaves[leaf as usize];
        let len = s.len();
        let continues = |a: &Span, b: &Span| a.end() == b.lv && b.ol == a.end() - 1 && a.or == b.or;
        if off > 0 && off + take == len {
            let next = l.spans().get(idx + 1)?;
            if !(next.deleted() && continues(s, next)) {
                return None;
            }
            let u = s.utf16 - self.utf16_prefix(s, off);
            let l = &mut self.tree.leaves[leaf as usize];
            let (a, b) = l.spans.split_at_mut(idx + 1);
            a[idx].give_tail(&mut b[0], take, u);
            self.tree.add_counts(leaf, -(take as i32), -(u as i32));
            return Some((
                Loc {
                    leaf,
                    idx: idx + 1,
                    off: 0,
                },
                u,
            ));
        }
        if off == 0 && take < len && idx > 0 {
            let prev = &l.spans[idx - 1];
            if !(prev.deleted() && continues(prev, s)) {
                return None;
            }
            let prev_len = prev.len();
            let u = self.utf16_prefix(s, take);
            let l = &mut self.tree.leaves[leaf as usize];
            let (a, b) = l.spans.split_at_mut(idx);
            a[idx - 1].take_head(&mut b[0], take, u);
            self.tree.add_counts(leaf, -(take as i32), -(u as i32));
            let loc = Loc {
                leaf,
                idx: idx - 1,
                off: prev_len,
            };
            return Some((loc, u));
        }
        None
    }

    fn check_room(&self, n: usize) -> Result<(), SeqError> {
        if n as u64 + u64::from(self.ids.len()) > u64::from(MAX_LV) {
            return Err(SeqError::TooLarge {
                max: MAX_LV as usize,
            });
        }
        Ok(())
    }

    #[cfg_attr(weft_wasm_speed, inline)]
    fn id_or_none(&self, lv: u32) -> Option<crate::OpId> {
        (lv != NONE).then(|| self.ids.id_of(lv).0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::{Loc, TextSeq};
    use crate::{OpId, ReplicaId};

    /// Deletes `len` visible elements from `index` one piece at a time, each
    /// through [`Seq::delete_in_span`] (its own counts update and merges), as
    /// the delete did before whole spans went in one pass.
    fn delete_piece_by_piece(seq: &mut TextSeq, index: usize, len: usize) {
        let pos = index as u32;
        let mut remaining = len as u32;
        while remaining > 0 {
            seq.tree.flush_counts();
            let (leaf, start, _) = seq.tree.descend(pos, super::tree::Metric::Chars);
            let (idx, rem) = seq.tree.leaves[leaf as usize].find_visible(0, pos - start);
            let s = seq.tree.leaves[leaf as usize].spans[idx];
            let take = (s.len() - rem).min(remaining);
            let _: (Loc, u32) = seq.delete_in_span(leaf, idx, rem, take);
            remaining -= take;
        }
        seq.cursor = None;
        seq.span_hint = None;
    }

    fn leaves(seq: &TextSeq) -> Vec<Vec<super::Span>> {
        seq.tree
            .leaves_in_order()
            .map(|(_, l)| l.spans().to_vec())
            .collect()
    }

    /// Block deletes over many whole spans with tombstones among them (short
    /// runs typed at jumping places, single characters deleted between), from
    /// inside a run or a run's start, ending inside a run, on a run's end or
    /// at a leaf's end, with two-byte and astral characters: the leaves end
    /// up span for span as deleting piece by piece leaves them, and the ids
    /// come out in document order.
    #[test]
    fn whole_spans_deleted_in_one_pass_leave_the_leaves_as_piece_by_piece() {
        let a = ReplicaId(3);
        let mut seq = TextSeq::new();
        let mut counter = 1u64;
        let runs = ["ab", "c\u{e9}d", "\u{1F600}", "efgh", "i"];
        for k in 0..900usize {
            let at = (k * 97) % (seq.len() + 1);
            let s = runs[k % runs.len()];
            seq.insert(at, s, OpId::new(a, counter)).unwrap();
            counter += s.chars().count() as u64;
            if k % 4 == 1 && seq.len() > 3 {
                let at = (k * 31) % (seq.len() - 1);
                seq.delete(at, 1).unwrap();
                counter += 1;
            }
        }
        let mut several = 0;
        for k in 0..300usize {
            let len = seq.len();
            if len < 40 {
                break;
            }
            let at = (k * 61) % (len - 1);
            let n = (1 + (k * 7) % 45).min(len - at);
            let mut by_pieces = seq.clone();
            let want: Vec<OpId> = (at..at + n).map(|i| seq.id_at(i).unwrap()).collect();
            let runs = seq.delete(at, n).unwrap();
            delete_piece_by_piece(&mut by_pieces, at, n);
            let got: Vec<OpId> = runs
                .iter()
                .flat_map(|r| {
                    (0..r.len).map(move |k| OpId::new(r.start.replica, r.start.counter + k))
                })
                .collect();
            assert_eq!(got, want, "delete {k}");
            assert_eq!(seq.text(), by_pieces.text(), "delete {k}");
            assert_eq!(leaves(&seq), leaves(&by_pieces), "delete {k}");
            seq.check_invariants().unwrap();
            several += usize::from(runs.len() > 1);
            // Typing between the deletes puts new visible runs among the tombstones.
            let at = (k * 13) % (seq.len() + 1);
            seq.insert(at, runs_text(k), OpId::new(a, counter)).unwrap();
            counter += runs_text(k).chars().count() as u64;
        }
        assert!(several > 50, "{several} deletes of several id runs");
    }

    fn runs_text(k: usize) -> &'static str {
        ["xy", "\u{10400}z", "w"][k % 3]
    }
}
