//! Rebuilding a sequence from its spans (snapshot import).
//!
//! Spans arrive in document order, and a fresh sequence gives its elements
//! lvs in the order it learns of them, so document order is lv order: most
//! origins are known as lvs the moment their span is read (the previous
//! element, a span a few places back), and the tree is filled leaf by leaf
//! from left to right. Only origins named by id wait until every span is in;
//! a decoder gives an origin in a span still to come once it has pushed that
//! span ([`Builder::set_right`]).

use super::holes::Holes;
use super::ids::IdTable;
use super::leaf_index::LeafIndex;
use super::span::{Span, MAX_LV, NONE};
use super::tree::{Leaf, Leaves, Node, Tree, LEAF_CAP, NODE_CAP};
use super::{Content, Seq, SeqError, SpanEntry};
use crate::OpId;

/// Spans per leaf when building: room is left for later edits so that the first
/// ones after a load do not split every leaf they touch.
const LEAF_FILL: usize = LEAF_CAP * 3 / 4;
const NODE_FILL: usize = NODE_CAP * 3 / 4;

/// An origin of a span given to a [`Builder`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin {
    /// The start (left origin) or end (right origin) of the sequence.
    None,
    /// The element with this lv: for a left origin one already given, for a
    /// right origin one after the span that some span (given by the end) holds.
    Lv(u32),
    /// The element with this id, looked up once every span is in.
    Id(OpId),
}

/// An origin named by id, resolved once every span is in.
struct Late {
    span: u32,
    right: bool,
    /// For a span decoder's origin given before counters are known
    /// ([`Builder::defer_relative`]), `id.counter` is a delta and `run` the
    /// id run whose counter at the span's first lv it is relative to
    /// ([`NONE`]: relative to 0); [`NONE`] for an id given whole.
    run: u32,
    id: OpId,
}

/// Builds a sequence from its spans in document order. Input is checked (ids
/// unique, origins known and on the correct side); on error nothing is built.
/// Not generic over the content, which only [`Checked::build`] takes: the
/// span decoder that drives it is compiled once for texts and lists.
pub(crate) struct Builder {
    ids: IdTable,
    holes: Holes,
    spans: Vec<Span>,
    late: Vec<Late>,
    /// One past the furthest right origin given to [`Builder::push`] as an
    /// lv (0 for none).
    or_end: u32,
    /// The id runs' counters were given in counter order
    /// ([`Builder::order_runs`]): the counter index is built and the ids
    /// are unique.
    ordered: bool,
}

impl Builder {
    /// No origin, for [`Builder::push_lv`]: the sequence's start (left) or end (right).
    pub(crate) const NO_ORIGIN: u32 = NONE;

    /// A builder expecting about `spans` spans (a hint, bounded by the caller).
    pub(crate) fn with_capacity(spans: usize) -> Self {
        let mut ids = IdTable::default();
        ids.reserve_bulk(spans);
        Self {
            ids,
            holes: Holes::default(),
            spans: Vec::with_capacity(spans),
            // Origins named by id (before the span decoder resolved links
            // to later spans itself, those too: about a third of the spans'
            // in an edited text); growing there was 1% of a load.
            late: Vec::with_capacity(spans / 2),
            or_end: 0,
            ordered: false,
        }
    }

    /// The lv the next span's first element gets.
    pub(crate) fn next_lv(&self) -> u32 {
        self.ids.len()
    }

    /// Adds the next span: `len` elements with ids from `id`, `utf16` units long
    /// (a tombstone's placeholders count one each). `hole`: its content is not
    /// stored (a tombstone that is a length only; see `holes.rs`). The content
    /// of the others is handed to [`Builder::finish`], in the same order.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        id: OpId,
        len: u32,
        utf16: u32,
        deleted: bool,
        hole: bool,
        ol: Origin,
        or: Origin,
    ) -> Result<(), SeqError> {
        let invalid = |reason| SeqError::InvalidSpan { id, reason };
        if len == 0 {
            return Err(invalid("span is empty"));
        }
        if id.counter.checked_add(u64::from(len)).is_none() {
            return Err(SeqError::CounterOverflow {
                id,
                len: len as usize,
            });
        }
        let ol = self.lv_or_defer(false, ol);
        let or = self.lv_or_defer(true, or);
        let lv = self.next_lv();
        // `NONE` wraps to 0 here: no left origin is never after the span.
        if ol.wrapping_add(1) > lv {
            return Err(invalid("left origin is not before the span"));
        }
        if or < lv.saturating_add(len) {
            return Err(invalid("right origin is not after the span"));
        }
        // One past the furthest right origin (`NONE` wraps to 0): checked
        // against the last lv once every span is in.
        self.or_end = self.or_end.max(or.wrapping_add(1));
        let slot = self.slot(id.replica);
        let continues = self.ids.continues_bulk(slot, id.counter);
        self.push_lv(slot, id, continues, len, utf16, deleted, hole, ol, or)
    }

    fn lv_or_defer(&mut self, right: bool, origin: Origin) -> u32 {
        match origin {
            Origin::None => NONE,
            Origin::Lv(x) => x,
            Origin::Id(id) => {
                self.defer(right, id);
                NONE
            }
        }
    }

    /// Gives the next span pushed the origin `id`, looked up once every span
    /// is in (the span's own origin on that side is then [`NONE`] when pushed).
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(crate) fn defer(&mut self, right: bool, id: OpId) {
        self.late.push(Late {
            span: self.spans.len() as u32,
            right,
            run: NONE,
            id,
        });
    }

    /// How many id runs the spans pushed so far make.
    #[inline(always)]
    pub(crate) fn runs(&self) -> u32 {
        self.ids.runs()
    }

    /// [`Builder::defer`] for a decoder that pushes spans before their
    /// counters are known ([`Builder::push_unordered`]): the origin is
    /// `replica`'s id at `delta` past the counter that id run `run` (or 0 for
    /// [`NONE`]) has at the next span's first lv.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(crate) fn defer_relative(
        &mut self,
        right: bool,
        replica: crate::ReplicaId,
        delta: u64,
        run: u32,
    ) {
        self.late.push(Late {
            span: self.spans.len() as u32,
            right,
            run,
            id: OpId::new(replica, delta),
        });
    }

    /// Gives span `span` (the `span`-th pushed, counting from 0) the right
    /// origin `lv`: for a decoder resolving a span's link to the first element
    /// of a later one once that is pushed (`lv` is then after `span`, and a
    /// span that was not pushed is left alone).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn set_right(&mut self, span: u32, lv: u32) {
        if let Some(s) = self.spans.get_mut(span as usize) {
            debug_assert!(lv >= s.end());
            s.or = lv;
        }
    }

    /// The slot of `replica` for [`Builder::push_lv`].
    pub(crate) fn slot(&mut self, replica: crate::ReplicaId) -> u32 {
        self.ids.replica_slot(replica)
    }

    /// [`Builder::push`] with origins given as lvs, [`NONE`] for none (or one
    /// deferred), and the replica's slot ([`Builder::slot`]) looked up by the
    /// caller: what a decoder that knows them calls, without matching an
    /// [`Origin`] twice or finding the replica per span. `continues`: the
    /// span's ids continue the previous span's (same slot, its first
    /// counter one past the previous span's last), which the decoder knows
    /// from its own locals and the builder would otherwise check against
    /// the last lv run it holds.
    ///
    /// The caller has checked what [`Builder::push`] checks besides the
    /// sequence's length: `len` is not 0, the ids do not overflow, `ol` is
    /// before the span and `or` at or after its end (the span decoder makes
    /// them so: an origin it gives as an lv is the previous element, the last
    /// of an earlier span, or the first after the span, which it checked
    /// exists, and a right origin it gives as an lv is the first of a span
    /// it has yet to push, which it checked comes: so, unlike
    /// [`Builder::push`]'s, these are not checked against the last lv by
    /// [`Builder::check`], and keeping the furthest of them is not paid per span).
    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn push_lv(
        &mut self,
        slot: u32,
        id: OpId,
        continues: bool,
        len: u32,
        utf16: u32,
        deleted: bool,
        hole: bool,
        ol: u32,
        or: u32,
    ) -> Result<(), SeqError> {
        let lv = self.room_for(len)?;
        debug_assert!(len > 0 && id.counter.checked_add(u64::from(len)).is_some());
        debug_assert!(ol == NONE || ol < lv);
        debug_assert!(or >= lv + len);
        self.ids.push_bulk_after(slot, id.counter, len, continues);
        self.put_span(lv, len, utf16, deleted, hole, ol, or);
        Ok(())
    }

    /// [`Builder::push_lv`] without the span's counter, which
    /// [`Builder::order_runs`] gives its id run once every span is in:
    /// `continues` says the span continues the previous span's id run (the
    /// caller checked that span is of the same replica).
    #[allow(clippy::too_many_arguments)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn push_unordered(
        &mut self,
        slot: u32,
        continues: bool,
        len: u32,
        utf16: u32,
        deleted: bool,
        hole: bool,
        ol: u32,
        or: u32,
    ) -> Result<(), SeqError> {
        let lv = self.room_for(len)?;
        debug_assert!(len > 0);
        debug_assert!(ol == NONE || ol < lv);
        debug_assert!(or >= lv + len);
        self.ids.push_unordered(slot, len, continues);
        self.put_span(lv, len, utf16, deleted, hole, ol, or);
        Ok(())
    }

    /// The next lv, if `len` more lvs fit after it.
    #[inline(always)]
    fn room_for(&self, len: u32) -> Result<u32, SeqError> {
        let lv = self.next_lv();
        if len > MAX_LV - lv {
            return Err(SeqError::TooLarge {
                max: MAX_LV as usize,
            });
        }
        Ok(lv)
    }

    /// Adds the span at `lv` (its ids already given to the id table).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn put_span(
        &mut self,
        lv: u32,
        len: u32,
        utf16: u32,
        deleted: bool,
        hole: bool,
        ol: u32,
        or: u32,
    ) {
        if hole {
            self.holes.push(lv, len);
        }
        let mut s = Span::new(lv, len, utf16, ol, or);
        if deleted {
            s.set_deleted();
        }
        self.spans.push(s);
    }

    /// Gives the id runs of spans pushed by [`Builder::push_unordered`] their
    /// counters, from `next`, which yields them in counter order (a
    /// replica's runs in a row, replicas in the order they first appear):
    /// each one's document-order index as a delta from the previous one's,
    /// and how many counters are skipped before it. Any other order, a run
    /// named twice or a counter overflowing is refused with `bad`. Then the
    /// origins deferred relative to a run's counter are made whole.
    pub(crate) fn order_runs<E>(
        &mut self,
        next: impl FnMut() -> Result<(i64, u64), E>,
        bad: impl Fn(&'static str) -> E,
    ) -> Result<(), E> {
        self.ids.order_bulk(next, &bad)?;
        self.ordered = true;
        // (An origin relative to 0 is whole already.)
        for late in &mut self.late {
            if late.run != NONE {
                let at = self.spans[late.span as usize].lv;
                let base = self.ids.counter_at(late.run, at);
                late.id.counter = base.wrapping_add(late.id.counter);
            }
        }
        Ok(())
    }

    /// The sequence, with `content` holding the elements of every span that is
    /// not a hole, in order (the caller measured them for [`Builder::push`]).
    pub(crate) fn finish<C: Content>(self, content: C) -> Result<Seq<C>, SeqError> {
        Ok(self.check()?.build(content))
    }

    /// Every check [`Builder::finish`] makes, without building the tree: what
    /// is left ([`Checked::build`]) cannot fail, so it can wait until the
    /// sequence is first used.
    pub(crate) fn check(mut self) -> Result<Checked, SeqError> {
        // Natively, one replica's ids are checked and the origins named by id
        // found without sorting its runs by counter, which waits until an id
        // is first looked up (`IdTable::defer_bulk`): a local edit by another
        // replica does not need it. Where that does not apply, or finds the
        // spans invalid, the table is finished as before and reports why.
        // Spans whose id runs were given in counter order have their ids
        // checked and indexed already (`Builder::order_runs`).
        let ordered = self.ordered;
        #[cfg(not(target_arch = "wasm32"))]
        let mut found = Vec::new();
        #[cfg(not(target_arch = "wasm32"))]
        let deferred = !ordered
            && self.ids.defer_bulk(
                self.late.iter().map(|late| late.id),
                self.late.len(),
                &mut found,
            );
        #[cfg(target_arch = "wasm32")]
        let deferred = false;
        if !deferred && !ordered {
            if let Err(id) = self.ids.finish_bulk() {
                return Err(SeqError::InvalidSpan {
                    id,
                    reason: "id used by more than one element",
                });
            }
        }
        // Origins named by id are looked up through a bucket index natively
        // (see `IdTable::named`); the WebAssembly build looks each up, for its size.
        #[cfg(not(target_arch = "wasm32"))]
        let mut named = self.ids.named(if deferred { 0 } else { self.late.len() });
        for (i, late) in self.late.iter().enumerate() {
            let o = late.id;
            #[cfg(target_arch = "wasm32")]
            let lv = {
                let _ = i;
                self.ids.lv_of(o).map(|(lv, _)| lv)
            };
            #[cfg(not(target_arch = "wasm32"))]
            let lv = match found.get(i) {
                Some(&lv) if deferred => Some(lv),
                _ => self.ids.lv_named(&mut named, o),
            };
            let lv = lv.ok_or(SeqError::UnknownOrigin(o))?;
            let s = &mut self.spans[late.span as usize];
            if late.right {
                s.or = lv;
                if lv < s.end() {
                    let s = *s;
                    return Err(self.invalid(&s, "right origin is not after the span"));
                }
            } else {
                s.ol = lv;
                if lv >= s.lv {
                    let s = *s;
                    return Err(self.invalid(&s, "left origin is not before the span"));
                }
            }
        }
        // Deferred right origins were found among the spans, and those a
        // decoder gave ([`Builder::push_lv`], [`Builder::set_right`]) are
        // later spans' lvs; only those given to [`Builder::push`] as lvs may
        // point past the last one.
        let total = self.next_lv();
        if self.or_end > total {
            if let Some(s) = self.spans.iter().find(|s| s.or != NONE && s.or >= total) {
                return Err(self.invalid(s, "right origin is past the last element"));
            }
        }
        Ok(Checked {
            ids: self.ids,
            holes: self.holes,
            spans: self.spans,
        })
    }

    fn invalid(&self, s: &Span, reason: &'static str) -> SeqError {
        SeqError::InvalidSpan {
            id: self.ids.id_of(s.lv).0,
            reason,
        }
    }
}

/// A sequence's spans, checked by [`Builder::check`], its tree not yet built.
#[derive(Debug)]
pub(crate) struct Checked {
    /// The sequence's id table and holes.
    ids: IdTable,
    holes: Holes,
    spans: Vec<Span>,
}

impl Checked {
    /// The sequence, with `content` as for [`Builder::finish`]. Infallible:
    /// every span was checked, and the tree only lays them out.
    pub(crate) fn build<C: Content>(self, content: C) -> Seq<C> {
        let seq = Seq {
            tree: build_tree(&self.spans),
            ids: self.ids,
            content,
            holes: self.holes,
            ..Seq::default()
        };
        seq.debug_check();
        seq
    }

    /// Visible elements and UTF-16 units, as the built sequence's `len` and
    /// `len_utf16` will give them.
    pub(crate) fn totals(&self) -> (usize, usize) {
        let (mut chars, mut utf16) = (0usize, 0usize);
        for s in &self.spans {
            let (c, u) = s.visible();
            chars += c as usize;
            utf16 += u as usize;
        }
        (chars, utf16)
    }
}

impl<C: Content> Seq<C> {
    /// Rebuilds a sequence from spans in document order, as [`Seq::spans`] yields
    /// them. Linear apart from one id lookup per origin that does not simply continue
    /// the previous span. Spans that continue each other need not be merged.
    ///
    /// Input is checked (ids unique, origins known and on the correct side, lengths
    /// agreeing with content); on error nothing is built. A tombstone may come
    /// without content (as [`Seq::spans`] yields them): only its length is kept,
    /// so loading costs nothing per deleted element.
    pub fn from_spans<'a, I>(spans: I) -> Result<Self, SeqError>
    where
        I: IntoIterator<Item = SpanEntry<'a, C::Slice>>,
        C::Slice: 'a,
    {
        let spans = spans.into_iter();
        let mut b = Builder::with_capacity(spans.size_hint().0);
        let mut content = C::default();
        let mut last: Option<OpId> = None;
        for e in spans {
            let invalid = |reason| SeqError::InvalidSpan { id: e.id, reason };
            let (mut n, mut u) = C::measure(&e.content);
            let hole = e.deleted && n == 0;
            if hole {
                (n, u) = (e.len, e.len);
            }
            if n == 0 {
                return Err(invalid("span is empty"));
            }
            if n != e.len {
                return Err(invalid("span length disagrees with its content"));
            }
            let too_large = |_| SeqError::TooLarge {
                max: MAX_LV as usize,
            };
            let n = u32::try_from(n).map_err(too_large)?;
            let u = u32::try_from(u).map_err(too_large)?;
            let lv = b.next_lv();
            let ol = match e.origin_left {
                None => Origin::None,
                // Continuing the previous span: no lookup.
                Some(o) if Some(o) == last => Origin::Lv(lv - 1),
                Some(o) => Origin::Id(o),
            };
            let or = e.origin_right.map_or(Origin::None, Origin::Id);
            b.push(e.id, n, u, e.deleted, hole, ol, or)?;
            if !hole {
                content.push(&e.content);
            }
            last = Some(OpId::new(e.id.replica, e.id.counter + u64::from(n) - 1));
        }
        b.finish(content)
    }
}

/// A tree over `spans` (in document order, which is lv order, every lv held
/// once), `LEAF_FILL` spans to a leaf but the last. Spans are laid out as
/// they came: those that continue each other are not merged (a loaded text
/// has few, no invariant asks for it, and [`Seq::spans`] merges them for
/// encoding), so each leaf is one copy of its spans and a sum of their
/// visible lengths (`import15`: checking every pair of neighbours for a
/// merge was about half of the build). The WebAssembly build keeps its
/// smaller span-by-span fill, which merges ([`fill_leaves_in_place`]).
fn build_tree(spans: &[Span]) -> Tree {
    if spans.is_empty() {
        return Tree::default();
    }
    let n = spans.len().div_ceil(LEAF_FILL);
    // Natively, each leaf written where it lies (filling one on the stack
    // and pushing it copied it once more).
    #[cfg(target_arch = "wasm32")]
    let leaves = Leaves::with_capacity(n);
    #[cfg(not(target_arch = "wasm32"))]
    let leaves = vec![Leaf::empty(NONE); n];
    let mut tree = tree_over(leaves);
    if cfg!(target_arch = "wasm32") {
        fill_leaves_in_place(&mut tree, spans);
    } else {
        for (id, (leaf, chunk)) in tree
            .leaves
            .iter_mut()
            .zip(spans.chunks(LEAF_FILL))
            .enumerate()
        {
            if let Some(slots) = leaf.spans.get_mut(..chunk.len()) {
                slots.copy_from_slice(chunk);
            }
            // A whole leaf's count known to the compiler: its sums in
            // vector steps with no scalar tail (8 of 24 spans were one).
            let (chars, utf16) = match <&[Span; LEAF_FILL]>::try_from(chunk) {
                Ok(whole) => visible_sums(whole),
                Err(_) => visible_sums(chunk),
            };
            leaf.len = chunk.len() as u8;
            (leaf.chars, leaf.utf16) = (chars, utf16);
            if id + 1 < n {
                leaf.next = id as u32 + 1;
            }
        }
    }
    // (child, chars, utf16) of the level being built.
    let mut level: Vec<(u32, u32, u32)> = Vec::with_capacity(tree.leaves.len());
    // Built in lv order: a leaf's lvs are one range. The WebAssembly build
    // pushes them leaf by leaf, for its size.
    let ranges = tree.leaves.iter().enumerate().map(|(id, l)| {
        let (start, end) = (l.spans[0].lv, l.spans[l.len as usize - 1].end());
        (id as u32, end - start)
    });
    if cfg!(target_arch = "wasm32") {
        for (leaf, n) in ranges {
            tree.leaf_of.push(leaf, n);
        }
    } else {
        tree.leaf_of = LeafIndex::from_ranges(ranges);
    }
    for (id, l) in tree.leaves.iter().enumerate() {
        level.push((id as u32, l.chars, l.utf16));
    }
    let mut leaf_children = true;
    loop {
        let mut up = Vec::with_capacity(level.len().div_ceil(NODE_FILL));
        for group in level.chunks(NODE_FILL) {
            let id = tree.nodes.len() as u32;
            let mut node = Node::empty(leaf_children);
            for (i, &(child, chars, utf16)) in group.iter().enumerate() {
                node.children[i] = child;
                node.chars[i] = chars;
                node.utf16[i] = utf16;
                if leaf_children {
                    tree.leaves[child as usize].parent = id;
                    tree.leaves[child as usize].slot = i as u8;
                } else {
                    tree.nodes[child as usize].parent = id;
                    tree.nodes[child as usize].slot = i as u8;
                }
            }
            node.len = group.len() as u8;
            let (chars, utf16) = node.totals();
            tree.nodes.push(node);
            up.push((id, chars, utf16));
        }
        leaf_children = false;
        level = up;
        if level.len() == 1 {
            tree.root = level[0].0;
            tree.total = (level[0].1, level[0].2);
            return tree;
        }
    }
}

/// The visible characters and UTF-16 units of `spans`, summed.
#[inline(always)]
fn visible_sums(spans: &[Span]) -> (u32, u32) {
    let (mut chars, mut utf16) = (0u32, 0u32);
    for s in spans {
        let (c, u) = s.visible_masked();
        chars += c;
        utf16 += u;
    }
    (chars, utf16)
}

/// A tree with `leaves` as its arena and nothing else yet (no nodes, no
/// index, no totals): what [`build_tree`] fills in. Unlike
/// [`Tree::default`], which is a usable empty tree with its one leaf.
fn tree_over(leaves: Leaves) -> Tree {
    Tree {
        leaves,
        nodes: Vec::new(),
        root: 0,
        leaf_of: LeafIndex::default(),
        stale: Vec::new(),
        total: (0, 0),
        #[cfg(not(target_arch = "wasm32"))]
        pending: Default::default(),
    }
}

/// The WebAssembly build's leaves: filled where they lie in the arena, spans
/// that continue each other merged there (smaller code than the native
/// chunks, more instructions: the module as before `import15`).
fn fill_leaves_in_place(tree: &mut Tree, spans: &[Span]) {
    tree.leaves.push(Leaf::empty(NONE));
    let mut leaf = 0;
    for s in spans {
        let l = &mut tree.leaves[leaf];
        let n = l.len as usize;
        if n > 0 && l.spans[n - 1].can_append(s) {
            l.spans[n - 1].append(s);
        } else {
            let l = if n == LEAF_FILL {
                l.next = leaf as u32 + 1;
                tree.leaves.push(Leaf::empty(NONE));
                leaf += 1;
                &mut tree.leaves[leaf]
            } else {
                l
            };
            l.spans[l.len as usize] = *s;
            l.len += 1;
        }
        let (c, u) = s.visible();
        let l = &mut tree.leaves[leaf];
        l.chars += c;
        l.utf16 += u;
    }
}

#[cfg(test)]
mod tests {
    use super::{
        build_tree, fill_leaves_in_place, tree_over, Builder, Origin, Span, LEAF_FILL, NONE,
    };
    use crate::{OpId, ReplicaId};

    /// `count` spans in lv order; about `merge` in 16 continue the span
    /// before them (same side of deletion, left origin its last element,
    /// same right origin), so that building merges them: in stretches of
    /// every length, across where a leaf fills up too.
    fn spans(seed: u32, count: usize, merge: u32) -> Vec<Span> {
        let mut x = seed;
        let mut out: Vec<Span> = Vec::new();
        let mut lv = 0u32;
        for _ in 0..count {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let len = 1 + x % 9;
            let utf16 = len + (x >> 8) % 3;
            let mut s = match out.last() {
                Some(p) if (x >> 4) % 16 < merge => {
                    let mut s = Span::new(lv, len, utf16, lv - 1, p.or);
                    if p.deleted() {
                        s.set_deleted();
                    }
                    s
                }
                _ => {
                    let ol = if lv == 0 { NONE } else { (x >> 12) % lv };
                    let or = if (x >> 20).is_multiple_of(2) {
                        NONE
                    } else {
                        lv + len + (x >> 21) % 5
                    };
                    Span::new(lv, len, utf16, ol, or)
                }
            };
            let fresh = out.is_empty() || (x >> 24).is_multiple_of(3) && s.ol != lv.wrapping_sub(1);
            if fresh && (x >> 26).is_multiple_of(2) {
                s.set_deleted();
            }
            lv += len;
            out.push(s);
        }
        out
    }

    /// Spans pushed into a builder (origins given as lvs and named by id in
    /// turns, so that some are resolved by [`Builder::check`] out of order)
    /// come out of the tree in order, as given, in leaves of `LEAF_FILL` but
    /// the last, with every count, link and total right (`Tree::check`):
    /// across leaf boundaries and with spans that could have merged.
    #[test]
    fn builders_leaves_become_the_tree() {
        for (seed, merge) in [(1, 0), (7, 4), (5, 8), (77, 15), (3, 16)] {
            for count in [1, 2, 23, 24, 25, 48, 49, 3000] {
                let given = spans(seed, count, merge);
                let total = given.last().map_or(0, Span::end);
                let id = |lv: u32| OpId::new(ReplicaId(1), u64::from(lv) + 1);
                let mut b = Builder::with_capacity(given.len());
                let mut want = Vec::new();
                for (i, s) in given.iter().enumerate() {
                    let by_id = i % 3 == 1;
                    let ol = match s.ol {
                        NONE => Origin::None,
                        o if by_id => Origin::Id(id(o)),
                        o => Origin::Lv(o),
                    };
                    // Those a merged span inherits may fall inside it.
                    let or = match s.or {
                        o if o == NONE || o >= total || o < s.end() => NONE,
                        o => o,
                    };
                    let or_given = match or {
                        NONE => Origin::None,
                        o if i % 5 == 2 => Origin::Id(id(o)),
                        o => Origin::Lv(o),
                    };
                    b.push(id(s.lv), s.len(), s.utf16, s.deleted(), false, ol, or_given)
                        .unwrap();
                    let mut w = Span::new(s.lv, s.len(), s.utf16, s.ol, or);
                    if s.deleted() {
                        w.set_deleted();
                    }
                    want.push(w);
                }
                let checked = b.check().unwrap();
                assert_eq!(checked.totals(), {
                    let v = want.iter().map(Span::visible);
                    v.fold((0, 0), |(c, u), (a, b)| (c + a as usize, u + b as usize))
                });
                let tree = build_tree(&checked.spans);
                let at = format!("seed {seed} merge {merge} count {count}");
                tree.check().map_err(|e| format!("{at}: {e}")).unwrap();
                let mut got = Vec::new();
                let mut lens = Vec::new();
                for (_, l) in tree.leaves_in_order() {
                    got.extend_from_slice(l.spans());
                    lens.push(l.len as usize);
                }
                assert_eq!(got, want, "{at}");
                assert_eq!(lens.len(), count.div_ceil(LEAF_FILL), "{at}");
                assert!(
                    lens[..lens.len() - 1].iter().all(|&n| n == LEAF_FILL),
                    "{at}"
                );
            }
        }
    }

    /// The WebAssembly build's fill: every span in order, those that
    /// continue the one before them in the same leaf merged into it, each
    /// leaf's counts and link right.
    #[test]
    fn leaves_filled_in_place_hold_the_spans_merged() {
        for (seed, merge) in [(1, 0), (7, 4), (77, 15), (3, 16)] {
            for count in [1, 2, 25, 49, 3000] {
                let given = spans(seed, count, merge);
                let mut tree = tree_over(Vec::new());
                fill_leaves_in_place(&mut tree, &given);
                let at = format!("seed {seed} merge {merge} count {count}");
                let mut got = Vec::new();
                for (i, l) in tree.leaves.iter().enumerate() {
                    got.extend_from_slice(l.spans());
                    let sum = l.spans().iter().map(Span::visible);
                    let sum = sum.fold((0, 0), |(c, u), (a, b)| (c + a, u + b));
                    assert_eq!((l.chars, l.utf16), sum, "{at} leaf {i}");
                    let next = if i + 1 == tree.leaves.len() {
                        NONE
                    } else {
                        i as u32 + 1
                    };
                    assert_eq!(l.next, next, "{at} leaf {i}");
                    // Merged within the leaf: no neighbours that continue.
                    assert!(
                        !l.spans().windows(2).any(|w| w[0].can_append(&w[1])),
                        "{at} leaf {i}"
                    );
                }
                let flat: u32 = got.iter().map(Span::len).sum();
                assert_eq!(flat, given.iter().map(Span::len).sum::<u32>(), "{at}");
                assert!(got.windows(2).all(|w| w[0].end() == w[1].lv), "{at}");
                assert_eq!(got.first().map(|s| s.lv), Some(0), "{at}");
            }
        }
    }
}
