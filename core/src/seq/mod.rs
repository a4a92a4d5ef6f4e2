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
//!   ([`TextContent`]: one UTF-8 string with a byte mark every 64 characters;
//!   [`ListContent`]: a `Vec<Value>`), so splitting a span never touches content and
//!   a run's content is one slice.
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
    /// Lv and id of the last element of the last local insert: typing's next
    /// left origin (an lv's id never changes, so this needs no invalidation).
    /// Native only (module size).
    #[cfg(not(target_arch = "wasm32"))]
    last_new: Option<(u32, crate::OpId)>,
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
    fn content_get(&self, start: u32, end: u32) -> &C::Slice {
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
        self.try_merge(leaf, idx + 1);
        if self.try_merge(leaf, idx) {
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
