//! Stable positions in a text or list: a place between elements named by the
//! element next to it, so that it stays put when others edit around it.
//!
//! An index goes stale as soon as anyone inserts or deletes before it. A
//! [`Cursor`] instead names an element by its op id (which never changes and is
//! the same on every replica) and says which side of the position it is on; it is
//! turned back into an index with [`Doc::cursor_index`](crate::Doc::cursor_index)
//! after any number of local or remote edits. Fugue keeps deleted elements as
//! tombstones, so a cursor whose element was deleted still resolves: to where that
//! element was.
//!
//! ```
//! use weft_core::{Doc, Gravity, ReplicaId};
//!
//! let mut alice = Doc::new(ReplicaId(1));
//! let text = alice.text("t")?;
//! alice.text_insert(&text, 0, "hello world")?;
//! // The caret after "hello", kept with the "o" before it.
//! let caret = alice.text_cursor(&text, 5, Gravity::Left)?;
//!
//! let mut bob = Doc::new(ReplicaId(2));
//! bob.import(&alice.export_changes(bob.version())).unwrap();
//! bob.text_insert(&text, 0, "Oh, ")?;
//! alice.import(&bob.export_changes(alice.version())).unwrap();
//! assert_eq!(alice.cursor_index(&caret)?, 9);
//!
//! // Cursors travel as bytes (presence, selections) and resolve on any replica
//! // that has the element.
//! let bytes = caret.encode();
//! let theirs = weft_core::Cursor::decode(&bytes).unwrap();
//! assert_eq!(bob.cursor_index(&theirs)?, 9);
//! # Ok::<(), weft_core::DocError>(())
//! ```

use crate::encoding::{self, DecodeError};
use crate::{ContainerId, OpId};

/// Which neighbour a position sticks to when something is inserted right at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gravity {
    /// Stays after the element before the position: text typed at the position by
    /// others goes after the cursor (a caret at the end of what its owner typed).
    Left,
    /// Stays before the element after the position: text typed at the position by
    /// others goes before the cursor (the start of a selection that should not
    /// grow to the left).
    Right,
}

/// What a cursor is anchored to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The start of the sequence (index 0 whatever is inserted).
    Start,
    /// The end of the sequence (its length whatever is inserted).
    End,
    /// The element with this id: the position is right after it
    /// ([`Gravity::Left`]) or right before it ([`Gravity::Right`]).
    Element(OpId),
}

/// A stable position in a text or list; see the [module docs](self).
///
/// Built by [`Doc::text_cursor`](crate::Doc::text_cursor) and
/// [`Doc::list_cursor`](crate::Doc::list_cursor): a left-gravity cursor is anchored
/// to the element before the index (the start at index 0), a right-gravity one to
/// the element at the index (the end at the length).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cursor {
    /// The text or list.
    pub container: ContainerId,
    /// What the position is anchored to.
    pub anchor: Anchor,
    /// Which side of the anchor element the position is on.
    pub gravity: Gravity,
}

impl Cursor {
    /// The cursor as bytes (layout: `docs/encoding.md`, "Cursors"), for presence
    /// messages and storage.
    pub fn encode(&self) -> Vec<u8> {
        encoding::encode_cursor(self)
    }

    /// Decodes what [`Cursor::encode`] wrote; hostile input gives a typed error.
    pub fn decode(bytes: &[u8]) -> Result<Cursor, DecodeError> {
        encoding::decode_cursor(bytes)
    }
}
