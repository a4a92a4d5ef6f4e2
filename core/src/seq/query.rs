//! Reading: content, index and id conversions, and span iteration for encoding.

use std::borrow::Cow;

use super::ids::IdTable;
use super::span::NONE;
use super::tree::{Leaf, Metric, Tree};
use super::{Content, IdPosition, ListContent, Loc, Seq, SeqError, SpanEntry, TextContent};
use crate::{OpId, Value};

impl<C: Content> Seq<C> {
    /// The id of the visible element at `index`.
    pub fn id_at(&self, index: usize) -> Result<OpId, SeqError> {
        self.shape().id_at(index)
    }

    /// Where element `id` is: its visible index, or for a deleted element the index
    /// of the next visible one.
    pub fn index_of(&self, id: OpId) -> Result<IdPosition, SeqError> {
        self.shape().index_of(id)
    }

    /// The element index at UTF-16 offset `utf16` (an offset inside a surrogate pair
    /// rounds down to the pair's character).
    pub fn utf16_to_index(&self, utf16: usize) -> Result<usize, SeqError> {
        let (chars, units) = self.tree.totals();
        let len = units as usize;
        if utf16 > len {
            return Err(SeqError::Utf16OutOfRange { index: utf16, len });
        }
        // With as many units as elements, every visible element is one unit (no
        // astral character, as in most texts) and offsets are indices: no descent.
        // Each edit from JavaScript converts its offset, so this is per call.
        if utf16 == len || chars == units {
            return Ok(if utf16 == len { chars as usize } else { utf16 });
        }
        let (leaf, mut chars, start) = self.tree.descend(utf16 as u32, Metric::Utf16);
        let mut rem = utf16 as u32 - start;
        for s in self.tree.leaves[leaf as usize].spans() {
            let (c, u) = s.visible();
            if rem < u {
                let within = if c == u {
                    rem
                } else {
                    self.content.elements_within_utf16(
                        self.holes.dense(s.lv),
                        self.holes.dense(s.end()),
                        rem,
                    )
                };
                return Ok((chars + within) as usize);
            }
            rem -= u;
            chars += c;
        }
        Ok(chars as usize)
    }

    /// The UTF-16 offset of element index `index` (`index` may be the length).
    pub fn index_to_utf16(&self, index: usize) -> Result<usize, SeqError> {
        let (chars, units) = self.tree.totals();
        let len = chars as usize;
        if index > len {
            return Err(SeqError::IndexOutOfRange { index, len });
        }
        // As in `utf16_to_index`: one unit per element, no descent.
        if index == len || chars == units {
            return Ok(if index == len { units as usize } else { index });
        }
        let (leaf, start, mut utf16) = self.tree.descend(index as u32, Metric::Chars);
        let mut rem = index as u32 - start;
        for s in self.tree.leaves[leaf as usize].spans() {
            let (c, u) = s.visible();
            if rem < c {
                return Ok((utf16 + self.utf16_prefix(s, rem)) as usize);
            }
            rem -= c;
            utf16 += u;
        }
        Ok(utf16 as usize)
    }

    /// The visible content, as contiguous runs in document order.
    pub fn chunks(&self) -> impl Iterator<Item = Cow<'_, C::Slice>> + '_ {
        self.tree
            .leaves_in_order()
            .flat_map(|(_, leaf)| leaf.spans().iter())
            .filter(|s| !s.deleted())
            .scan(0, |hint, s| {
                // Document order is mostly lv order: look holes up from the last.
                let a = self.holes.dense_near(s.lv, hint);
                let b = self.holes.dense_near(s.end(), hint);
                Some(self.content.get(a, b))
            })
    }

    /// Every span, tombstones included, in document order and maximally merged (see
    /// [`SpanEntry`]). Feed them to [`Seq::from_spans`] to rebuild.
    pub fn spans(&self) -> Spans<'_, C> {
        Spans {
            seq: self,
            walk: Walk {
                leaf: 0,
                idx: 0,
                piece: None,
            },
        }
    }
}

impl Seq<TextContent> {
    /// The visible text.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.len());
        for chunk in self.chunks() {
            out.push_str(&chunk);
        }
        out
    }
}

impl Seq<ListContent> {
    /// The visible values.
    pub fn values(&self) -> Vec<Value> {
        let mut out = Vec::with_capacity(self.len());
        for chunk in self.chunks() {
            out.extend_from_slice(&chunk);
        }
        out
    }
}

/// Iterator over a sequence's spans; see [`Seq::spans`].
pub struct Spans<'a, C: Content> {
    seq: &'a Seq<C>,
    walk: Walk,
}

/// Where [`Spans`] is in the tree: apart from the content, so that the walk
/// is compiled once for texts and lists.
#[derive(Clone, Copy)]
struct Walk {
    leaf: u32,
    idx: usize,
    /// Rest of the current tree span not yet yielded: (lv, len).
    piece: Option<(u32, u32, Loc)>,
}

/// One id run inside a tree span.
struct Piece {
    lv: u32,
    len: u32,
    id: OpId,
    ol: u32,
    or: u32,
    deleted: bool,
}

impl Walk {
    fn next_piece(&mut self, tree: &Tree, ids: &IdTable) -> Option<Piece> {
        if self.piece.is_none() {
            let leaf: &Leaf = loop {
                if self.leaf == NONE {
                    return None;
                }
                let leaf = &tree.leaves[self.leaf as usize];
                if self.idx < leaf.len as usize {
                    break leaf;
                }
                self.leaf = leaf.next;
                self.idx = 0;
            };
            let s = leaf.spans[self.idx];
            self.piece = Some((
                s.lv,
                s.len(),
                Loc {
                    leaf: self.leaf,
                    idx: self.idx,
                    off: 0,
                },
            ));
            self.idx += 1;
        }
        let (lv, len, loc) = self.piece?;
        let s = tree.leaves[loc.leaf as usize].spans[loc.idx];
        let (id, run) = ids.id_of(lv);
        let n = run.min(len);
        self.piece = (n < len).then_some((lv + n, len - n, loc));
        Some(Piece {
            lv,
            len: n,
            id,
            ol: s.ol_at(lv - s.lv),
            or: s.or,
            deleted: s.deleted(),
        })
    }
}

impl<'a, C: Content> Iterator for Spans<'a, C> {
    type Item = SpanEntry<'a, C::Slice>;

    fn next(&mut self) -> Option<Self::Item> {
        let seq = self.seq;
        let first = self.walk.next_piece(&seq.tree, &seq.ids)?;
        let mut entry = SpanEntry {
            id: first.id,
            origin_left: seq.id_or_none(first.ol),
            origin_right: seq.id_or_none(first.or),
            deleted: first.deleted,
            len: first.len as usize,
            content: if first.deleted {
                // Tombstones are yielded length-only: their content may not exist
                // (see `holes.rs`), and nobody needs it to rebuild the sequence.
                seq.content.get(0, 0)
            } else {
                seq.content_get(first.lv, first.lv + first.len)
            },
        };
        let mut last_lv = first.lv + first.len - 1;
        let mut lv_end = first.lv + first.len;
        // Pieces that continue the run in id space merge even where the tree keeps
        // them apart, so the output does not depend on this replica's history.
        loop {
            let saved = self.walk;
            let Some(p) = self.walk.next_piece(&seq.tree, &seq.ids) else {
                break;
            };
            let continues = p.deleted == entry.deleted
                && p.id.replica == entry.id.replica
                && p.id.counter == entry.id.counter + entry.len as u64
                && (p.ol == last_lv)
                && seq.id_or_none(p.or) == entry.origin_right;
            if !continues {
                self.walk = saved;
                break;
            }
            if entry.deleted {
                entry.len += p.len as usize;
                last_lv = p.lv + p.len - 1;
                lv_end = p.lv + p.len;
                continue;
            }
            let more = seq.content_get(p.lv, p.lv + p.len);
            if p.lv == lv_end {
                if let Cow::Borrowed(_) = entry.content {
                    let start = lv_end - entry.len as u32;
                    entry.content = seq.content_get(start, p.lv + p.len);
                } else {
                    C::append(entry.content.to_mut(), &more);
                }
            } else {
                if let Cow::Borrowed(b) = entry.content {
                    let mut owned = C::empty();
                    C::append(&mut owned, b);
                    entry.content = Cow::Owned(owned);
                }
                C::append(entry.content.to_mut(), &more);
            }
            entry.len += p.len as usize;
            last_lv = p.lv + p.len - 1;
            lv_end = p.lv + p.len;
        }
        Some(entry)
    }
}
