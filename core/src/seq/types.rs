//! Values that cross the module's boundary: ops to ship, id runs, changes for events,
//! and spans for encoding.

use std::borrow::Cow;

use crate::OpId;

/// An insert of a run of elements: what a local insert returns for shipping and what a
/// remote insert is applied from.
///
/// Element `i` of `content` has id `(id.replica, id.counter + i)`. Element 0 sits right
/// of `origin_left` and every later element right of its predecessor; all of them were
/// left of `origin_right` when inserted (Fugue's left and right origins). `None`
/// stands for the start or the end of the sequence.
#[derive(Debug, PartialEq)]
pub struct InsertOp<'a, T: ?Sized> {
    /// Id of the first element.
    pub id: OpId,
    /// The element immediately left of the insert point (tombstones included).
    pub origin_left: Option<OpId>,
    /// The element immediately right of the insert point (tombstones included).
    pub origin_right: Option<OpId>,
    /// The inserted elements.
    pub content: &'a T,
}

impl<T: ?Sized> Clone for InsertOp<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for InsertOp<'_, T> {}

/// A run of ids from one replica with consecutive counters:
/// `(start.replica, start.counter .. start.counter + len)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdRun {
    /// The first id.
    pub start: OpId,
    /// How many ids.
    pub len: u64,
}

impl IdRun {
    /// A run from its first id and length.
    pub const fn new(start: OpId, len: u64) -> Self {
        Self { start, len }
    }
}

/// How the visible sequence changed: `len` elements inserted or removed at `index`.
/// Both are given in elements (Unicode scalar values for text) and in UTF-16 code
/// units. A list of changes applies in order: each index is relative to the sequence
/// after the changes before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VisibleChange {
    /// Visible index, in elements.
    pub index: usize,
    /// Number of elements.
    pub len: usize,
    /// Visible index, in UTF-16 code units.
    pub utf16_index: usize,
    /// Number of UTF-16 code units.
    pub utf16_len: usize,
}

/// Where an id sits in the visible sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdPosition {
    /// The element's index if visible; if deleted, the index the next visible element
    /// has (where a cursor anchored to the deleted element should be drawn).
    pub index: usize,
    /// Whether the element is visible (not deleted).
    pub visible: bool,
}

/// One span of the whole sequence, tombstones included: a run of elements with
/// consecutive ids, each (after the first) right of its predecessor, all sharing one
/// right origin and one deleted flag. [`Seq::spans`](super::Seq::spans) yields them in
/// document order, maximally merged, so two replicas that have seen the same ops
/// yield identical spans. [`Seq::from_spans`](super::Seq::from_spans) rebuilds from
/// them.
pub struct SpanEntry<'a, T: ?Sized + ToOwned> {
    /// Id of the first element.
    pub id: OpId,
    /// Left origin of the first element.
    pub origin_left: Option<OpId>,
    /// Right origin of every element.
    pub origin_right: Option<OpId>,
    /// Whether the elements are deleted (tombstones).
    pub deleted: bool,
    /// Number of elements.
    pub len: usize,
    /// The elements. Empty for a tombstone that is only a length:
    /// [`Seq::spans`](super::Seq::spans) yields every tombstone so, and
    /// [`Seq::from_spans`](super::Seq::from_spans) then stores no content for it.
    pub content: Cow<'a, T>,
}

impl<T: ?Sized + ToOwned> Clone for SpanEntry<'_, T> {
    fn clone(&self) -> Self {
        Self {
            content: self.content.clone(),
            ..*self
        }
    }
}

impl<T: ?Sized + ToOwned + PartialEq> PartialEq for SpanEntry<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.origin_left == other.origin_left
            && self.origin_right == other.origin_right
            && self.deleted == other.deleted
            && self.len == other.len
            && *self.content == *other.content
    }
}

impl<T: ?Sized + ToOwned + std::fmt::Debug> std::fmt::Debug for SpanEntry<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpanEntry")
            .field("id", &self.id)
            .field("origin_left", &self.origin_left)
            .field("origin_right", &self.origin_right)
            .field("deleted", &self.deleted)
            .field("len", &self.len)
            .field("content", &&*self.content)
            .finish()
    }
}
