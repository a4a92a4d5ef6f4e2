//! Rebuilding a sequence from its spans (snapshot import).

use super::leaf_index::LeafIndex;
use super::span::{Span, NONE};
use super::tree::{Leaf, Node, Tree, LEAF_CAP, NODE_CAP};
use super::{Content, Seq, SeqError, SpanEntry};
use crate::OpId;

/// Spans per leaf when building: room is left for later edits so that the first
/// ones after a load do not split every leaf they touch.
const LEAF_FILL: usize = LEAF_CAP * 3 / 4;
const NODE_FILL: usize = NODE_CAP * 3 / 4;

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
        Self::from_spans_sized(spans, 0, &[])
    }

    /// [`Seq::from_spans`], told how many elements with content to expect so that
    /// the content store is allocated once, and, per span, which span (by index)
    /// may hold its left origin as its last element and its right origin as its
    /// first (`u32::MAX`: none known). A hint that proves wrong is ignored: the
    /// origin is then looked up by id.
    pub(crate) fn from_spans_sized<'a, I>(
        spans: I,
        content_len: usize,
        hints: &[(u32, u32)],
    ) -> Result<Self, SeqError>
    where
        I: IntoIterator<Item = SpanEntry<'a, C::Slice>>,
        C::Slice: 'a,
    {
        let spans = spans.into_iter();
        let mut seq = Self::new();
        seq.content.reserve(content_len);
        let mut pending: Vec<Pending> = Vec::with_capacity(spans.size_hint().0);
        let mut last_id: Option<OpId> = None;
        for e in spans {
            let invalid = |reason| SeqError::InvalidSpan { id: e.id, reason };
            let (mut n, mut u) = C::measure(&e.content);
            // A tombstone without content is a length only: its lvs become holes.
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
            seq.check_room(n)?;
            if e.id.counter.checked_add(n as u64).is_none() {
                return Err(SeqError::CounterOverflow { id: e.id, len: n });
            }
            let lv = seq.ids.push_bulk(e.id, n as u32);
            if hole {
                seq.holes.push(lv, n as u32);
            } else {
                seq.content.push(&e.content);
            }
            // Left origins that continue the previous span need no lookup later.
            let ol_hint = if e.origin_left.is_some() && e.origin_left == last_id {
                Some(lv - 1)
            } else {
                None
            };
            let span = Span::new(lv, n as u32, u as u32, ol_hint.unwrap_or(NONE), NONE);
            pending.push(Pending {
                span,
                deleted: e.deleted,
                ol: e.origin_left,
                or: e.origin_right,
                id: e.id,
            });
            last_id = Some(OpId::new(e.id.replica, e.id.counter + n as u64 - 1));
        }

        if let Err(id) = seq.ids.finish_bulk() {
            return Err(SeqError::InvalidSpan {
                id,
                reason: "id used by more than one element",
            });
        }
        let mut spans: Vec<Span> = Vec::with_capacity(pending.len());
        for i in 0..pending.len() {
            let Pending {
                span: mut s,
                deleted,
                ol,
                or,
                id,
            } = pending[i];
            // A right origin is most often the next span's first element: its lv
            // is known without a lookup.
            let next = pending.get(i + 1).map(|p| (p.id, p.span.lv));
            let invalid = |reason| SeqError::InvalidSpan { id, reason };
            let (hint_l, hint_r) = hints.get(i).copied().unwrap_or((NONE, NONE));
            let hinted = |j: u32| pending.get(j as usize).map(|p| (p.id, p.span));
            if s.ol == NONE {
                if let Some(ol) = ol {
                    s.ol = match hinted(hint_l) {
                        Some((first, h))
                            if first.replica == ol.replica
                                && first.counter + u64::from(h.len()) - 1 == ol.counter =>
                        {
                            h.end() - 1
                        }
                        _ => seq.ids.lv_of(ol).ok_or(SeqError::UnknownOrigin(ol))?.0,
                    };
                    if s.ol >= s.lv {
                        return Err(invalid("left origin is not before the span"));
                    }
                }
            }
            if let Some(or) = or {
                s.or = match next {
                    Some((next_id, next_lv)) if next_id == or => next_lv,
                    _ if hinted(hint_r).is_some_and(|(first, _)| first == or) => {
                        pending[hint_r as usize].span.lv
                    }
                    _ => seq.ids.lv_of(or).ok_or(SeqError::UnknownOrigin(or))?.0,
                };
                if s.or < s.end() {
                    return Err(invalid("right origin is not after the span"));
                }
            }
            if deleted {
                s.set_deleted();
            }
            match spans.last_mut() {
                Some(prev) if prev.can_append(&s) => prev.append(&s),
                _ => spans.push(s),
            }
        }
        seq.tree = build_tree(&spans);
        seq.debug_check();
        Ok(seq)
    }
}

/// A span read but not yet linked: its origins resolve once every id is known.
#[derive(Clone, Copy)]
struct Pending {
    span: Span,
    deleted: bool,
    ol: Option<OpId>,
    or: Option<OpId>,
    id: OpId,
}

/// A tree over `spans` (in document order, which is lv order, every lv held once).
fn build_tree(spans: &[Span]) -> Tree {
    if spans.is_empty() {
        return Tree::default();
    }
    let mut tree = Tree {
        leaves: Vec::with_capacity(spans.len().div_ceil(LEAF_FILL)),
        nodes: Vec::new(),
        root: 0,
        leaf_of: LeafIndex::default(),
        total: (0, 0),
    };
    // (child, chars, utf16) of the level being built.
    let mut level: Vec<(u32, u32, u32)> = Vec::new();
    for chunk in spans.chunks(LEAF_FILL) {
        let id = tree.leaves.len() as u32;
        let mut leaf = Leaf::empty(NONE);
        leaf.spans[..chunk.len()].copy_from_slice(chunk);
        leaf.len = chunk.len() as u8;
        leaf.next = id + 1;
        (leaf.chars, leaf.utf16) = leaf.totals();
        // Built in document order, which is lv order: a leaf's lvs are one range.
        tree.leaf_of
            .push(id, chunk.last().map_or(0, |s| s.end()) - chunk[0].lv);
        level.push((id, leaf.chars, leaf.utf16));
        tree.leaves.push(leaf);
    }
    if let Some(last) = tree.leaves.last_mut() {
        last.next = NONE;
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
