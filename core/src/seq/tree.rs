//! A B-tree of spans in document order, with per-child visible counts in elements
//! and UTF-16 units.
//!
//! Nodes live in two arenas (leaves, internal nodes) and refer to each other by
//! index, which keeps the crate free of `unsafe`. Nothing is ever removed (deletion
//! only flags spans), so there is no underflow handling: leaves only split. Leaf 0 is
//! always the first leaf, because a split moves the right half into a new leaf.

use std::cmp::Ordering;

use super::leaf_index::LeafIndex;
use super::span::{Span, NONE};

pub(super) const LEAF_CAP: usize = 32;
pub(super) const NODE_CAP: usize = 16;

#[derive(Clone, Debug)]
pub(super) struct Leaf {
    pub(super) spans: [Span; LEAF_CAP],
    pub(super) len: u8,
    pub(super) parent: u32,
    /// Index of this leaf in its parent's children (kept up to date on splits, so
    /// count updates walk up without searching).
    pub(super) slot: u8,
    pub(super) next: u32,
    /// Visible elements and UTF-16 units in this leaf (the parent holds them too;
    /// this copy lets the cursor cache check a position without finding the slot).
    pub(super) chars: u32,
    pub(super) utf16: u32,
    /// In [`Tree::stale`]: some lvs of this leaf's spans may map elsewhere in
    /// `leaf_of`, or be past its end.
    pub(super) stale: bool,
}

impl Leaf {
    pub(super) fn empty(parent: u32) -> Self {
        Self {
            spans: [Span::default(); LEAF_CAP],
            len: 0,
            parent,
            slot: 0,
            next: NONE,
            chars: 0,
            utf16: 0,
            stale: false,
        }
    }

    pub(super) fn spans(&self) -> &[Span] {
        &self.spans[..self.len as usize]
    }

    /// Walks from span `idx`, `rem` visible chars into it, to the span holding that
    /// visible char; returns the span and the offset of the char within it. The
    /// caller guarantees the char is in this leaf.
    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn find_visible(&self, mut idx: usize, mut rem: u32) -> (usize, u32) {
        loop {
            let (c, _) = self.spans[idx].visible();
            if rem < c {
                return (idx, rem);
            }
            rem -= c;
            idx += 1;
        }
    }

    pub(super) fn totals(&self) -> (u32, u32) {
        self.spans().iter().fold((0, 0), |(c, u), s| {
            let (vc, vu) = s.visible();
            (c + vc, u + vu)
        })
    }
}

/// The leaf arena. Natively a `Vec`, grown by a quarter ([`grow_gently`]).
#[cfg(not(target_arch = "wasm32"))]
pub(super) type Leaves = Vec<Leaf>;

/// The leaf arena in WebAssembly: each leaf in a box of its own that never
/// moves, the arena a `Vec` of their pointers (4 B a leaf). As one `Vec` of
/// leaves (664 B each) it was the module's second-largest block (0.49 MB
/// after automerge-paper's and rustcode's replays), and each growth by a
/// quarter moved it to the top of the heap past the text store, which then
/// could not grow in place and moved past it in turn: the two leapfrogged,
/// and the holes they left set how much linear memory a replay keeps (the
/// module's memory never shrinks). A leaf's box fits the holes other blocks
/// leave. An access is one bounds check and one load of the pointer, where
/// chunks of leaves (`heap2`) took two bounds checks and a shift and cost
/// 5.6% of a replay's module instructions.
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Debug, Default)]
pub(super) struct Leaves {
    boxes: Vec<Box<Leaf>>,
}

#[cfg(target_arch = "wasm32")]
impl Leaves {
    pub(super) fn with_capacity(n: usize) -> Self {
        Self {
            boxes: Vec::with_capacity(n),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.boxes.len()
    }

    /// Heap bytes held: every leaf's box, and the vector of their pointers.
    pub(super) fn heap_bytes(&self) -> usize {
        self.boxes.len() * std::mem::size_of::<Leaf>()
            + self.boxes.capacity() * std::mem::size_of::<Box<Leaf>>()
    }

    pub(super) fn push(&mut self, leaf: Leaf) {
        self.boxes.push(Box::new(leaf));
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &Leaf> {
        self.boxes.iter().map(|b| &**b)
    }

    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Leaf> {
        self.boxes.iter_mut().map(|b| &mut **b)
    }
}

#[cfg(target_arch = "wasm32")]
impl std::ops::Index<usize> for Leaves {
    type Output = Leaf;
    #[inline]
    fn index(&self, i: usize) -> &Leaf {
        &self.boxes[i]
    }
}

#[cfg(target_arch = "wasm32")]
impl std::ops::IndexMut<usize> for Leaves {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Leaf {
        &mut self.boxes[i]
    }
}

#[derive(Clone, Debug)]
pub(super) struct Node {
    pub(super) children: [u32; NODE_CAP],
    pub(super) chars: [u32; NODE_CAP],
    pub(super) utf16: [u32; NODE_CAP],
    pub(super) len: u8,
    pub(super) parent: u32,
    /// Index of this node in its parent's children.
    pub(super) slot: u8,
    pub(super) leaf_children: bool,
}

impl Node {
    pub(super) fn empty(leaf_children: bool) -> Self {
        Self {
            children: [NONE; NODE_CAP],
            chars: [0; NODE_CAP],
            utf16: [0; NODE_CAP],
            len: 0,
            parent: NONE,
            slot: 0,
            leaf_children,
        }
    }

    pub(super) fn totals(&self) -> (u32, u32) {
        let n = self.len as usize;
        (self.chars[..n].iter().sum(), self.utf16[..n].iter().sum())
    }
}

/// Which count a descent follows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Metric {
    Chars,
    Utf16,
}

#[derive(Clone, Debug)]
pub(super) struct Tree {
    pub(super) leaves: Leaves,
    pub(super) nodes: Vec<Node>,
    pub(super) root: u32,
    /// The leaf holding each lv: O(1) to read. Exact for the lvs of every
    /// leaf not in `stale`; brought up to date by [`Tree::repoint_stale`].
    pub(super) leaf_of: LeafIndex,
    /// Leaves whose lvs `leaf_of` may not map to them: a local insert's new
    /// lvs are not added to `leaf_of`, and a split does not re-point the
    /// spans it moves; both only put the leaf here. Local editing never reads
    /// `leaf_of` (positions find leaves by descent), and keeping it exact per
    /// edit was 5–12% of a trace's replay (the lvs pushed by every insert,
    /// the moved spans re-pointed by every split). Lookups by lv that miss
    /// look through these leaves ([`super::Shape::locate`]); remote edits and
    /// other users bring it up to date first, and local editing does when
    /// more than [`STALE_CAP`] leaves are listed, so those scans stay short.
    pub(super) stale: Vec<u32>,
    /// Visible elements and UTF-16 units of the whole tree.
    pub(super) total: (u32, u32),
    /// Natively, count changes of one leaf not yet added to its ancestors'
    /// node counts (see [`Pending`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) pending: Pending,
}

/// Count changes of `leaf` (its own `chars` and `utf16` and the tree's
/// total already include them) not yet added to the node counts of its
/// ancestors. Typing changes one leaf keystroke after keystroke, and the walk
/// up the tree for each (2.8 levels on automerge-paper, about 30 instructions
/// an edit) is made once when another leaf's counts change, before a split,
/// and before a descent from `&mut self`. Node counts are read only in this
/// file: a descent from `&self` and [`Tree::leaf_start`] add the pending
/// change where it belongs, and the invariant check expects it. Native only
/// (module size).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug)]
pub(super) struct Pending {
    /// `NONE` when nothing is pending.
    pub(super) leaf: u32,
    chars: i32,
    utf16: i32,
}

#[cfg(not(target_arch = "wasm32"))]
impl Default for Pending {
    fn default() -> Self {
        Self {
            leaf: NONE,
            chars: 0,
            utf16: 0,
        }
    }
}

impl Default for Tree {
    fn default() -> Self {
        let mut root = Node::empty(true);
        root.children[0] = 0;
        root.len = 1;
        #[cfg(not(target_arch = "wasm32"))]
        let leaves = vec![Leaf::empty(0)];
        #[cfg(target_arch = "wasm32")]
        let leaves = {
            let mut leaves = Leaves::default();
            leaves.push(Leaf::empty(0));
            leaves
        };
        Self {
            leaves,
            nodes: vec![root],
            root: 0,
            leaf_of: LeafIndex::default(),
            stale: Vec::new(),
            total: (0, 0),
            #[cfg(not(target_arch = "wasm32"))]
            pending: Pending::default(),
        }
    }
}

/// Local editing brings `leaf_of` up to date once more leaves than this are
/// stale. A lookup by lv from `&self` that misses walks the leaves split off
/// its old leaf since, or for an lv added since, scans the stale leaves'
/// spans: at most this many leaves' (32 spans each). Bringing it up to date
/// costs about 5,000 instructions per stale leaf (rustcode, 512 leaves a
/// time), against the 100–300 an edit that keeping it exact cost: the
/// replays of the four traces (up to about 1,000 leaves) never reach it.
pub(super) const STALE_CAP: usize = 1024;

impl Tree {
    pub(super) fn totals(&self) -> (u32, u32) {
        self.total
    }

    /// Records that the next `n` lvs live in `leaf`. Only with no leaf
    /// stale (`leaf_of` then holds every lv so far).
    #[inline]
    pub(super) fn push_leaf_of(&mut self, leaf: u32, n: u32) {
        debug_assert!(self.stale.is_empty());
        self.leaf_of.push(leaf, n);
    }

    /// Notes that `leaf`'s lvs may not be in `leaf_of` as they are now.
    #[inline(always)]
    pub(super) fn mark_stale(&mut self, leaf: u32) {
        let l = &mut self.leaves[leaf as usize];
        if !l.stale {
            l.stale = true;
            self.stale.push(leaf);
        }
    }

    fn set_slot(&mut self, leaf_children: bool, child: u32, slot: usize) {
        if leaf_children {
            self.leaves[child as usize].slot = slot as u8;
        } else {
            self.nodes[child as usize].slot = slot as u8;
        }
    }

    /// The leaf containing the visible element at `pos` under `metric` (the last
    /// leaf if `pos` is at or past the end), with the leaf's start in both metrics.
    #[cfg(target_arch = "wasm32")]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    #[cfg_attr(weft_wasm_speed, inline)]
    pub(super) fn descend(&self, pos: u32, metric: Metric) -> (u32, u32, u32) {
        let mut node = &self.nodes[self.root as usize];
        let (mut chars, mut utf16) = (0u32, 0u32);
        loop {
            let counts = match metric {
                Metric::Chars => &node.chars,
                Metric::Utf16 => &node.utf16,
            };
            let mut start = match metric {
                Metric::Chars => chars,
                Metric::Utf16 => utf16,
            };
            let last = node.len as usize - 1;
            let mut i = 0;
            while i < last && pos >= start + counts[i] {
                start += counts[i];
                chars += node.chars[i];
                utf16 += node.utf16[i];
                i += 1;
            }
            let child = node.children[i];
            if node.leaf_children {
                return (child, chars, utf16);
            }
            node = &self.nodes[child as usize];
        }
    }

    /// The leaf containing the visible element at `pos` under `metric` (the last
    /// leaf if `pos` is at or past the end), with the leaf's start in both
    /// metrics; the pending count change (see [`Pending`]) added to the child
    /// on its leaf's path at each level.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn descend(&self, pos: u32, metric: Metric) -> (u32, u32, u32) {
        let p = self.pending;
        let mut id = self.root;
        // The root is above every leaf, the pending one too.
        let mut on_path = p.leaf != NONE;
        let (mut chars, mut utf16) = (0u32, 0u32);
        loop {
            let node = &self.nodes[id as usize];
            let fix = if on_path {
                self.slot_toward(id, p.leaf)
            } else {
                NODE_CAP
            };
            let count = |i: usize| {
                let (c, u) = (node.chars[i], node.utf16[i]);
                if i == fix {
                    (
                        c.wrapping_add_signed(p.chars),
                        u.wrapping_add_signed(p.utf16),
                    )
                } else {
                    (c, u)
                }
            };
            let last = node.len as usize - 1;
            let mut i = 0;
            while i < last {
                let (c, u) = count(i);
                let (start, n) = match metric {
                    Metric::Chars => (chars, c),
                    Metric::Utf16 => (utf16, u),
                };
                if pos < start + n {
                    break;
                }
                chars += c;
                utf16 += u;
                i += 1;
            }
            let child = node.children[i];
            if node.leaf_children {
                return (child, chars, utf16);
            }
            on_path = i == fix;
            id = child;
        }
    }

    /// The slot of `node` whose subtree holds `leaf` (`NODE_CAP` if none).
    #[cfg(not(target_arch = "wasm32"))]
    fn slot_toward(&self, node: u32, leaf: u32) -> usize {
        let l = &self.leaves[leaf as usize];
        let (mut slot, mut parent) = (l.slot as usize, l.parent);
        while parent != node {
            let Some(p) = self.nodes.get(parent as usize) else {
                return NODE_CAP;
            };
            slot = p.slot as usize;
            parent = p.parent;
        }
        slot
    }

    /// Adds the pending count change (see [`Pending`]) to its leaf's
    /// ancestors.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    pub(super) fn flush_counts(&mut self) {
        let p = std::mem::take(&mut self.pending);
        if p.leaf != NONE {
            self.add_to_ancestors(p.leaf, p.chars, p.utf16);
        }
    }

    /// Visible elements and UTF-16 units before `leaf`.
    pub(super) fn leaf_start(&self, leaf: u32) -> (u32, u32) {
        let (mut chars, mut utf16) = (0, 0);
        let l = &self.leaves[leaf as usize];
        let (mut slot, mut parent) = (l.slot as usize, l.parent);
        while parent != NONE {
            let p = &self.nodes[parent as usize];
            chars += p.chars[..slot].iter().sum::<u32>();
            utf16 += p.utf16[..slot].iter().sum::<u32>();
            slot = p.slot as usize;
            parent = p.parent;
        }
        // The pending change sits in a slot summed here exactly when its leaf
        // comes before `leaf`: at the two leaves' lowest common ancestor its
        // slot is left of `leaf`'s, and above it they share the slot, which
        // is not summed.
        #[cfg(not(target_arch = "wasm32"))]
        {
            let p = self.pending;
            if p.leaf != NONE && self.cmp_leaves(p.leaf, leaf) == Ordering::Less {
                chars = chars.wrapping_add_signed(p.chars);
                utf16 = utf16.wrapping_add_signed(p.utf16);
            }
        }
        (chars, utf16)
    }

    /// Document order of two leaves.
    pub(super) fn cmp_leaves(&self, a: u32, b: u32) -> Ordering {
        if a == b {
            return Ordering::Equal;
        }
        let (la, lb) = (&self.leaves[a as usize], &self.leaves[b as usize]);
        let (mut sa, mut sb) = (la.slot, lb.slot);
        let (mut pa, mut pb) = (la.parent, lb.parent);
        // All leaves sit at the same depth, so the walks meet at the same level.
        while pa != pb {
            let (na, nb) = (&self.nodes[pa as usize], &self.nodes[pb as usize]);
            (sa, sb) = (na.slot, nb.slot);
            (pa, pb) = (na.parent, nb.parent);
        }
        sa.cmp(&sb)
    }

    /// Adds to the visible counts of `leaf` and its ancestors (natively, the
    /// ancestors' later: see [`Pending`]).
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    #[cfg_attr(weft_wasm_speed, inline)]
    pub(super) fn add_counts(&mut self, leaf: u32, chars: i32, utf16: i32) {
        if chars == 0 && utf16 == 0 {
            return;
        }
        self.total.0 = self.total.0.wrapping_add_signed(chars);
        self.total.1 = self.total.1.wrapping_add_signed(utf16);
        let l = &mut self.leaves[leaf as usize];
        l.chars = l.chars.wrapping_add_signed(chars);
        l.utf16 = l.utf16.wrapping_add_signed(utf16);
        #[cfg(not(target_arch = "wasm32"))]
        {
            let p = &mut self.pending;
            if p.leaf == leaf {
                p.chars = p.chars.wrapping_add(chars);
                p.utf16 = p.utf16.wrapping_add(utf16);
            } else {
                self.add_other_leaf(leaf, chars, utf16);
            }
        }
        #[cfg(target_arch = "wasm32")]
        self.add_to_ancestors(leaf, chars, utf16);
    }

    /// [`Tree::add_counts`] for a leaf other than the pending one: the
    /// pending change goes up the tree and this one waits.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)]
    fn add_other_leaf(&mut self, leaf: u32, chars: i32, utf16: i32) {
        self.flush_counts();
        self.pending = Pending { leaf, chars, utf16 };
    }

    /// Adds to the node counts of `leaf`'s ancestors (always inlined: the
    /// WebAssembly build's `add_counts` is the walk it was).
    #[inline(always)]
    fn add_to_ancestors(&mut self, leaf: u32, chars: i32, utf16: i32) {
        let l = &self.leaves[leaf as usize];
        let (mut slot, mut parent) = (l.slot as usize, l.parent);
        // The root's parent, NONE, is never a node's index: one bounds check
        // ends the walk and guards the access.
        while let Some(p) = self.nodes.get_mut(parent as usize) {
            // Slots are below NODE_CAP (a power of two): the mask spares the
            // bounds checks on this every-keystroke walk.
            let s = slot % NODE_CAP;
            p.chars[s] = p.chars[s].wrapping_add_signed(chars);
            p.utf16[s] = p.utf16[s].wrapping_add_signed(utf16);
            slot = p.slot as usize;
            parent = p.parent;
        }
    }

    /// Replaces `remove` spans at `idx` of `leaf` by `insert` (at most 3 spans),
    /// keeping counts right. Returns where `insert[0]` landed. A split's new
    /// leaf is marked stale (its spans are not re-pointed in `leaf_of`)
    /// unless no leaf is; the caller marks `leaf` first if the inserted
    /// spans' lvs are not in `leaf_of`.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn splice(
        &mut self,
        leaf: u32,
        idx: usize,
        remove: usize,
        insert: &[Span],
    ) -> (u32, usize) {
        let l = &mut self.leaves[leaf as usize];
        let old_len = l.len as usize;
        let (mut dc, mut du) = (0i32, 0i32);
        for s in &l.spans[idx..idx + remove] {
            let (c, u) = s.visible();
            dc -= c as i32;
            du -= u as i32;
        }
        for s in insert {
            let (c, u) = s.visible();
            dc += c as i32;
            du += u as i32;
        }
        let new_len = old_len - remove + insert.len();
        if new_len <= LEAF_CAP {
            l.spans
                .copy_within(idx + remove..old_len, idx + insert.len());
            l.spans[idx..idx + insert.len()].copy_from_slice(insert);
            l.len = new_len as u8;
            self.add_counts(leaf, dc, du);
            return (leaf, idx);
        }
        self.add_counts(leaf, dc, du);
        // The split reads and moves node counts: none may be pending.
        #[cfg(not(target_arch = "wasm32"))]
        self.flush_counts();
        let new_leaf = self.leaves.len() as u32;
        let l = &mut self.leaves[leaf as usize];
        let mut all = [Span::default(); LEAF_CAP + 3];
        all[..idx].copy_from_slice(&l.spans[..idx]);
        all[idx..idx + insert.len()].copy_from_slice(insert);
        all[idx + insert.len()..new_len].copy_from_slice(&l.spans[idx + remove..old_len]);
        // Appending at a leaf's end is how typing at the end of a document grows it:
        // keep the left leaf full instead of leaving two half-empty ones.
        let split = if idx + remove == old_len {
            idx.clamp(1, new_len - 1)
        } else {
            new_len / 2
        };
        let mut right = Leaf::empty(l.parent);
        right.spans[..new_len - split].copy_from_slice(&all[split..new_len]);
        right.len = (new_len - split) as u8;
        right.next = l.next;
        l.spans[..split].copy_from_slice(&all[..split]);
        l.len = split as u8;
        l.next = new_leaf;
        let (lc, lu) = l.totals();
        l.chars = lc;
        l.utf16 = lu;
        let (rc, ru) = right.totals();
        right.chars = rc;
        right.utf16 = ru;
        if self.stale.is_empty() {
            // `leaf_of` is exact (a remote edit, or a delete right after
            // one): keep it so, as the next remote lookup needs it, rather
            // than have that look through the new leaf's spans for the ones
            // already mapped (+10% on a concurrent merge's import).
            repoint(&mut self.leaf_of, right.spans(), new_leaf, 0);
        } else {
            right.stale = true;
            self.stale.push(new_leaf);
        }
        let parent = right.parent;
        #[cfg(not(target_arch = "wasm32"))]
        grow_gently(&mut self.leaves, 1);
        self.leaves.push(right);
        self.insert_child(parent, leaf, new_leaf, rc, ru);
        if idx < split {
            (leaf, idx)
        } else {
            (new_leaf, idx - split)
        }
    }

    /// [`Tree::splice`] for a caller that does not need where the pieces
    /// land and knows how they change the visible counts (`counts`): natively
    /// put in place when the leaf has room ([`Tree::splice_in_leaf`]), which
    /// needs neither the general splice's recount nor its copies by length.
    #[inline(always)]
    pub(super) fn splice_counted<const K: usize>(
        &mut self,
        leaf: u32,
        idx: usize,
        remove: usize,
        pieces: [Span; K],
        counts: (i32, i32),
    ) {
        #[cfg(not(target_arch = "wasm32"))]
        if self.splice_in_leaf(leaf, idx, remove, pieces, counts) {
            return;
        }
        #[cfg(target_arch = "wasm32")]
        let _ = counts;
        self.splice(leaf, idx, remove, &pieces);
    }

    /// [`Tree::splice`] of one span at `idx` replaced by the `K` spans
    /// `pieces`, whose visible counts differ from its by `(dc, du)`, when the
    /// leaf has room: `false` (nothing done) when it would split. The callers
    /// know the counts' change and the number of pieces, so neither is
    /// recounted nor copied by length, which the general splice did for every
    /// insert into a span and delete inside one. `K == 0` with `remove == 0`
    /// is not a use. Native only (module size).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    pub(super) fn splice_in_leaf<const K: usize>(
        &mut self,
        leaf: u32,
        idx: usize,
        remove: usize,
        pieces: [Span; K],
        (dc, du): (i32, i32),
    ) -> bool {
        let l = &mut self.leaves[leaf as usize];
        let old_len = l.len as usize;
        let new_len = old_len - remove + K;
        if new_len > LEAF_CAP {
            return false;
        }
        l.spans.copy_within(idx + remove..old_len, idx + K);
        for (i, p) in pieces.into_iter().enumerate() {
            // Always below `new_len`; the modulo (a mask) lets the compiler
            // see it in bounds and drop the check.
            l.spans[(idx + i) % LEAF_CAP] = p;
        }
        l.len = new_len as u8;
        self.add_counts(leaf, dc, du);
        true
    }

    /// Brings `leaf_of` up to date for the stale leaves, `total` being the
    /// number of lvs: lvs past its end are added (mapped to a stale leaf at
    /// first, each then to its own), and each stale leaf's lvs mapped to it,
    /// but for spans mapped there already (a span's lvs always move
    /// together, so its two ends tell).
    #[cold]
    #[inline(never)]
    pub(super) fn repoint_stale(&mut self, total: u32) {
        // Most leaves stale (a remote change after a long local session):
        // building it anew from every span saves a tenth of mapping each
        // stale leaf's spans (a concurrent merge's import, 2.37 → 2.16 M).
        // Native only: in WebAssembly its sort added 2.5 KB to the module.
        #[cfg(not(target_arch = "wasm32"))]
        if self.stale.len() * 2 >= self.leaves.len() {
            self.rebuild_leaf_of();
            return;
        }
        let mut stale = std::mem::take(&mut self.stale);
        let old = self.leaf_of.len();
        if let (Some(&first), true) = (stale.first(), total > old) {
            self.leaf_of.push(first, total - old);
        }
        for &leaf in &stale {
            let l = &mut self.leaves[leaf as usize];
            l.stale = false;
            repoint(&mut self.leaf_of, l.spans(), leaf, old);
        }
        stale.clear();
        self.stale = stale;
    }

    /// `leaf_of` built from every span's lvs, sorted, no leaf left stale.
    #[cfg(not(target_arch = "wasm32"))]
    fn rebuild_leaf_of(&mut self) {
        let mut ranges: Vec<(u32, u32, u32)> = Vec::new();
        for (id, leaf) in self.leaves.iter_mut().enumerate() {
            leaf.stale = false;
            ranges.extend(leaf.spans().iter().map(|s| (s.lv, s.end(), id as u32)));
        }
        self.stale.clear();
        sort_by_start(&mut ranges);
        // Neighbouring lvs in one leaf join (a run cut into spans).
        let mut joined: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for &(start, end, leaf) in &ranges {
            match joined.last_mut() {
                Some((l, n)) if *l == leaf => *n += end - start,
                _ => joined.push((leaf, end - start)),
            }
        }
        self.leaf_of = LeafIndex::from_ranges(joined.into_iter());
    }

    /// Puts `child` (with counts `chars`, `utf16`, currently included in `after`'s
    /// counts) right after `after` in `parent`.
    fn insert_child(&mut self, parent: u32, after: u32, child: u32, chars: u32, utf16: u32) {
        let new_node = self.nodes.len() as u32;
        let after_slot = if self.nodes[parent as usize].leaf_children {
            self.leaves[after as usize].slot
        } else {
            self.nodes[after as usize].slot
        };
        let p = &mut self.nodes[parent as usize];
        let slot = after_slot as usize;
        p.chars[slot] -= chars;
        p.utf16[slot] -= utf16;
        let n = p.len as usize;
        if n < NODE_CAP {
            p.children.copy_within(slot + 1..n, slot + 2);
            p.chars.copy_within(slot + 1..n, slot + 2);
            p.utf16.copy_within(slot + 1..n, slot + 2);
            p.children[slot + 1] = child;
            p.chars[slot + 1] = chars;
            p.utf16[slot + 1] = utf16;
            p.len += 1;
            let (kids, lc) = (p.children, p.leaf_children);
            for (i, &c) in kids.iter().enumerate().take(n + 1).skip(slot + 1) {
                self.set_slot(lc, c, i);
            }
            return;
        }
        let mut kids = [NONE; NODE_CAP + 1];
        let mut cs = [0; NODE_CAP + 1];
        let mut us = [0; NODE_CAP + 1];
        let (a, b) = (slot + 1, n + 1);
        kids[..a].copy_from_slice(&p.children[..a]);
        cs[..a].copy_from_slice(&p.chars[..a]);
        us[..a].copy_from_slice(&p.utf16[..a]);
        kids[a] = child;
        cs[a] = chars;
        us[a] = utf16;
        kids[a + 1..b].copy_from_slice(&p.children[a..n]);
        cs[a + 1..b].copy_from_slice(&p.chars[a..n]);
        us[a + 1..b].copy_from_slice(&p.utf16[a..n]);
        let split = if a == n { n } else { b / 2 };
        let mut right = Node::empty(p.leaf_children);
        right.parent = p.parent;
        let rn = b - split;
        right.children[..rn].copy_from_slice(&kids[split..b]);
        right.chars[..rn].copy_from_slice(&cs[split..b]);
        right.utf16[..rn].copy_from_slice(&us[split..b]);
        right.len = rn as u8;
        p.children[..split].copy_from_slice(&kids[..split]);
        p.chars[..split].copy_from_slice(&cs[..split]);
        p.utf16[..split].copy_from_slice(&us[..split]);
        p.children[split..].fill(NONE);
        p.len = split as u8;
        let grand = p.parent;
        let leaf_children = p.leaf_children;
        let (rc, ru) = right.totals();
        for (i, &c) in right.children[..rn].iter().enumerate() {
            if leaf_children {
                self.leaves[c as usize].parent = new_node;
            } else {
                self.nodes[c as usize].parent = new_node;
            }
            self.set_slot(leaf_children, c, i);
        }
        for (i, &c) in kids[..split].iter().enumerate() {
            self.set_slot(leaf_children, c, i);
        }
        if grand == NONE {
            // The root split: grow a level.
            let (lc, lu) = self.nodes[parent as usize].totals();
            let new_root = new_node + 1;
            let mut root = Node::empty(false);
            root.children[..2].copy_from_slice(&[parent, new_node]);
            root.chars[..2].copy_from_slice(&[lc, rc]);
            root.utf16[..2].copy_from_slice(&[lu, ru]);
            root.len = 2;
            right.parent = new_root;
            right.slot = 1;
            self.nodes[parent as usize].parent = new_root;
            self.nodes[parent as usize].slot = 0;
            self.nodes.push(right);
            self.nodes.push(root);
            self.root = new_root;
        } else {
            self.nodes.push(right);
            self.insert_child(grand, parent, new_node, rc, ru);
        }
    }

    /// Heap bytes held by the tree.
    pub(super) fn heap_bytes(&self) -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        let leaves = self.leaves.capacity() * std::mem::size_of::<Leaf>();
        #[cfg(target_arch = "wasm32")]
        let leaves = self.leaves.heap_bytes();
        leaves
            + self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.leaf_of.heap_bytes()
            + self.stale.capacity() * std::mem::size_of::<u32>()
    }

    /// Leaves in document order.
    pub(super) fn leaves_in_order(&self) -> impl Iterator<Item = (u32, &Leaf)> {
        let mut next = 0u32;
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let id = next;
            let leaf = &self.leaves[id as usize];
            next = leaf.next;
            Some((id, leaf))
        })
    }

    /// Checks counts, balance, parent links, leaf order and `leaf_of` (slow).
    pub(super) fn check(&self) -> Result<(), String> {
        #[cfg(not(target_arch = "wasm32"))]
        let root = {
            let (c, u) = self.nodes[self.root as usize].totals();
            let p = self.pending;
            if p.leaf == NONE {
                (c, u)
            } else {
                (
                    c.wrapping_add_signed(p.chars),
                    u.wrapping_add_signed(p.utf16),
                )
            }
        };
        #[cfg(target_arch = "wasm32")]
        let root = self.nodes[self.root as usize].totals();
        if self.total != root {
            return Err("cached total is wrong".into());
        }
        let mut order = Vec::new();
        self.check_node(self.root, NONE, &mut order)?;
        let linked: Vec<u32> = self.leaves_in_order().map(|(i, _)| i).collect();
        if order.iter().map(|&(l, _)| l).collect::<Vec<_>>() != linked {
            return Err("leaf links disagree with tree order".into());
        }
        let depth = order[0].1;
        if order.iter().any(|&(_, d)| d != depth) {
            return Err("leaves at different depths".into());
        }
        if linked.len() != self.leaves.len() {
            return Err("unreachable leaves".into());
        }
        // Per span, not per lv: a tombstone loaded from a snapshot may be
        // millions of elements long.
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for (id, leaf) in self.leaves_in_order() {
            if leaf.len == 0 && self.leaves.len() > 1 {
                return Err(format!("leaf {id} is empty"));
            }
            if leaf.totals() != (leaf.chars, leaf.utf16) {
                return Err(format!("leaf {id} caches wrong counts"));
            }
            if leaf.stale != self.stale.contains(&id) {
                return Err(format!(
                    "leaf {id}'s stale flag disagrees with the stale list"
                ));
            }
            for s in leaf.spans() {
                if s.len() == 0 {
                    return Err(format!("empty span in leaf {id}"));
                }
                ranges.push((s.lv, s.end()));
                // A stale leaf's lvs may map anywhere (or be past the end).
                if leaf.stale {
                    continue;
                }
                if s.end() > self.leaf_of.len() {
                    return Err(format!("lv {} missing from leaf_of", s.end() - 1));
                }
                // Every lv of short spans; the ends of long ones.
                let edge = 2048;
                let head = s.lv..s.end().min(s.lv.saturating_add(edge));
                let tail = s.end().saturating_sub(edge).max(head.end)..s.end();
                for lv in head.chain(tail) {
                    if self.leaf_of.get(lv) != id {
                        return Err(format!("leaf_of[{lv}] is not leaf {id}"));
                    }
                }
            }
        }
        ranges.sort_unstable();
        let mut next = 0;
        for (start, end) in ranges {
            if start != next {
                return Err(format!(
                    "lv {} missing from the spans or held twice",
                    next.min(start)
                ));
            }
            next = end;
        }
        if next < self.leaf_of.len() || (self.stale.is_empty() && next != self.leaf_of.len()) {
            return Err("some lv is in no span".into());
        }
        Ok(())
    }

    fn check_node(
        &self,
        node: u32,
        parent: u32,
        out: &mut Vec<(u32, usize)>,
    ) -> Result<(), String> {
        let n = &self.nodes[node as usize];
        if n.parent != parent {
            return Err(format!("node {node} has wrong parent"));
        }
        if n.len == 0 {
            return Err(format!("node {node} is empty"));
        }
        for i in 0..n.len as usize {
            let c = n.children[i];
            let (chars, utf16) = if n.leaf_children {
                let l = &self.leaves[c as usize];
                if l.parent != node || l.slot as usize != i {
                    return Err(format!("leaf {c} has wrong parent or slot"));
                }
                let depth = self.depth_of(node);
                out.push((c, depth));
                // A node above the pending leaf is behind by the pending
                // change all the way up (its slot toward the leaf is), so only
                // the leaf's own slot differs from the leaf's counts.
                #[cfg(not(target_arch = "wasm32"))]
                if c == self.pending.leaf {
                    let p = self.pending;
                    let c = l.chars.wrapping_sub(p.chars as u32);
                    let u = l.utf16.wrapping_sub(p.utf16 as u32);
                    if (c, u) != (n.chars[i], n.utf16[i]) {
                        return Err(format!("node {node} slot {i} caches wrong counts"));
                    }
                    continue;
                }
                (l.chars, l.utf16)
            } else {
                if self.nodes[c as usize].slot as usize != i {
                    return Err(format!("node {c} has wrong slot"));
                }
                self.check_node(c, node, out)?;
                self.nodes[c as usize].totals()
            };
            if (chars, utf16) != (n.chars[i], n.utf16[i]) {
                return Err(format!("node {node} slot {i} caches wrong counts"));
            }
        }
        Ok(())
    }

    fn depth_of(&self, mut node: u32) -> usize {
        let mut d = 0;
        while node != NONE {
            d += 1;
            node = self.nodes[node as usize].parent;
        }
        d
    }
}

/// Reserves room for `additional` more items, growing by a quarter rather than
/// doubling: the arenas and indexes are the document's resident memory, and doubling
/// leaves up to half of it unused. Amortised cost stays O(1) per push.
pub(super) fn grow_gently<T>(v: &mut Vec<T>, additional: usize) {
    if v.capacity() - v.len() < additional {
        v.reserve_exact(additional.max(v.len() / 4).max(16));
    }
}

/// The part of span `s` (in `leaf`) that `leaf_of` may not map to `leaf`:
/// all of it but its part below `old` when that is mapped to `leaf` (a
/// span's lvs move together, so the part's two ends tell).
#[inline]
fn unmapped(leaf_of: &LeafIndex, s: &Span, leaf: u32, old: u32) -> (u32, u32) {
    let end = s.end().min(old);
    if s.lv < end && (leaf_of.get(s.lv) != leaf || leaf_of.get(end - 1) != leaf) {
        (s.lv, s.end())
    } else {
        (end.max(s.lv), s.end())
    }
}

/// Maps the lvs of `spans` (in `leaf`) to `leaf` (see [`unmapped`]).
#[cfg(target_arch = "wasm32")]
fn repoint(leaf_of: &mut LeafIndex, spans: &[Span], leaf: u32, old: u32) {
    for s in spans {
        let (start, end) = unmapped(leaf_of, s, leaf, old);
        if start < end {
            leaf_of.fill(start, end, leaf);
        }
    }
}

/// Maps the lvs of `spans` (in `leaf`) to `leaf` (see [`unmapped`]), as lv
/// ranges sorted and joined first: a run typed and later cut by inserts or
/// deletes lies in several spans of one leaf, out of document order, and
/// each span's ends inside a 16-lv block cost a mixed-block update (on
/// rustcode, 9,271 spans re-pointed per span made 15,440 of them; joined,
/// 4,123 ranges). Native only (module size).
#[cfg(not(target_arch = "wasm32"))]
fn repoint(leaf_of: &mut LeafIndex, spans: &[Span], leaf: u32, old: u32) {
    // Start and end in one word: the sort compares plain integers. A span
    // that continues its left neighbour's lvs (the pieces a delete left
    // side by side) joins it here already, so fewer ranges are sorted.
    let mut ranges = [0u64; LEAF_CAP];
    let mut n = 0;
    for s in spans {
        let (start, end) = unmapped(leaf_of, s, leaf, old);
        if start == end {
            continue;
        }
        let (start, end) = (u64::from(start), u64::from(end));
        if n > 0 && ranges[(n - 1) % LEAF_CAP] as u32 as u64 == start {
            ranges[(n - 1) % LEAF_CAP] = ranges[(n - 1) % LEAF_CAP] >> 32 << 32 | end;
        } else {
            ranges[n % LEAF_CAP] = start << 32 | end;
            n += 1;
        }
    }
    if n == 0 {
        return;
    }
    let ranges = &mut ranges[..n];
    // An insertion sort of the (at most 32) ranges: on seph-blog1's splits
    // it shifts about as much as for a random order, and still costs less
    // than the library's small sort (0.42 M against 0.58 M for 904 splits).
    for i in 1..ranges.len() {
        let x = ranges[i];
        let mut j = i;
        while j > 0 && ranges[j - 1] > x {
            ranges[j] = ranges[j - 1];
            j -= 1;
        }
        ranges[j] = x;
    }
    let split = |r: u64| ((r >> 32) as u32, r as u32);
    let mut cur = split(ranges[0]);
    for &r in &ranges[1..] {
        let (start, end) = split(r);
        if start == cur.1 {
            cur.1 = end;
        } else {
            leaf_of.fill(cur.0, cur.1, leaf);
            cur = (start, end);
        }
    }
    leaf_of.fill(cur.0, cur.1, leaf);
}

/// Sorts `(start, end, leaf)` ranges by their distinct starts: stable
/// counting passes of 11 bits, as many as the largest start needs (two
/// for a document of up to 4 M lvs). A comparison sort of a concurrent
/// merge's 10,000-edit session took 1.32 M instructions of the index
/// rebuild's 2.16 M (branch `traces21`'s follow-up, docs/benchmarks.md).
#[cfg(not(target_arch = "wasm32"))]
fn sort_by_start(ranges: &mut Vec<(u32, u32, u32)>) {
    const BITS: u32 = 11;
    let max = ranges.iter().map(|r| r.0).max().unwrap_or(0);
    let mut from = std::mem::take(ranges);
    let mut to = vec![(0, 0, 0); from.len()];
    let mut shift = 0;
    loop {
        let mut at = [0usize; 1 << BITS];
        for r in &from {
            at[((r.0 >> shift) & ((1 << BITS) - 1)) as usize] += 1;
        }
        let mut sum = 0;
        for slot in &mut at {
            sum += std::mem::replace(slot, sum);
        }
        for &r in &from {
            let digit = ((r.0 >> shift) & ((1 << BITS) - 1)) as usize;
            to[at[digit]] = r;
            at[digit] += 1;
        }
        std::mem::swap(&mut from, &mut to);
        shift += BITS;
        if shift >= 32 || max >> shift == 0 {
            break;
        }
    }
    *ranges = from;
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::sort_by_start;

    /// Distinct starts in a scrambled order, across one, two and three
    /// 11-bit passes, against the standard library's sort.
    #[test]
    fn sort_by_start_orders_as_a_comparison_sort() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for (n, spread) in [
            (0usize, 1u32),
            (1, 1),
            (300, 1_000),
            (5_000, 800_000),
            (4_000, u32::MAX / 4_000),
        ] {
            let mut ranges: Vec<(u32, u32, u32)> = (0..n as u32)
                .map(|i| (i * spread, i * spread + 1, i ^ 0x55))
                .collect();
            for i in (1..ranges.len()).rev() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ranges.swap(i, (x % (i as u64 + 1)) as usize);
            }
            let mut want = ranges.clone();
            want.sort_unstable_by_key(|r| r.0);
            sort_by_start(&mut ranges);
            assert_eq!(ranges, want, "{n} ranges {spread} apart");
        }
    }
}
