//! Stable cursors on a document's texts and lists (see [`crate::cursor`]).

use super::error::DocError;
use super::seq::local_error;
use super::state::Container;
use super::Doc;
use crate::cursor::{Anchor, Cursor, Gravity};
use crate::seq::Shape;
use crate::{ContainerId, ContainerKind, ListId, TextId};

/// The anchor for a position at `index` (0..=len) of `seq` (its tree and ids:
/// one copy for texts and lists).
fn anchor_at(
    seq: Option<Shape<'_>>,
    index: usize,
    gravity: Gravity,
    kind: ContainerKind,
) -> Result<Anchor, DocError> {
    let len = seq.map_or(0, |s| s.len());
    if index > len {
        return Err(DocError::IndexOutOfRange { index, len, kind });
    }
    let element = |i: usize| -> Result<Anchor, DocError> {
        let seq = seq.ok_or(DocError::IndexOutOfRange { index, len, kind })?;
        let id = seq.id_at(i).map_err(|e| local_error(e, kind))?;
        Ok(Anchor::Element(id))
    };
    match gravity {
        Gravity::Left if index == 0 => Ok(Anchor::Start),
        Gravity::Left => element(index - 1),
        Gravity::Right if index == len => Ok(Anchor::End),
        Gravity::Right => element(index),
    }
}

/// The index `cursor` stands for in `seq`.
fn resolve(seq: Option<Shape<'_>>, cursor: &Cursor) -> Result<usize, DocError> {
    let len = seq.map_or(0, |s| s.len());
    match cursor.anchor {
        Anchor::Start => Ok(0),
        Anchor::End => Ok(len),
        Anchor::Element(id) => {
            let unknown = || DocError::UnknownAnchor {
                container: cursor.container.clone(),
                anchor: id,
            };
            let pos = seq
                .ok_or_else(unknown)?
                .index_of(id)
                .map_err(|_| unknown())?;
            // A deleted element's position is where it was: between the visible
            // elements around its tombstone, whichever side the cursor keeps.
            Ok(match cursor.gravity {
                Gravity::Left if pos.visible => pos.index + 1,
                _ => pos.index,
            })
        }
    }
}

impl Doc {
    /// A stable position at character index `index` (0..=length) of `text`.
    pub fn text_cursor(
        &self,
        text: &TextId,
        index: usize,
        gravity: Gravity,
    ) -> Result<Cursor, DocError> {
        self.seq_cursor(text.id(), index, gravity)
    }

    /// A stable position at UTF-16 offset `utf16` of `text` (JavaScript indices;
    /// an offset inside a surrogate pair rounds down).
    pub fn text_cursor_utf16(
        &self,
        text: &TextId,
        utf16: usize,
        gravity: Gravity,
    ) -> Result<Cursor, DocError> {
        let index = self.text_utf16_to_index(text, utf16)?;
        self.text_cursor(text, index, gravity)
    }

    /// A stable position at index `index` (0..=length) of `list`.
    pub fn list_cursor(
        &self,
        list: &ListId,
        index: usize,
        gravity: Gravity,
    ) -> Result<Cursor, DocError> {
        self.seq_cursor(list.id(), index, gravity)
    }

    /// [`Doc::text_cursor`] and [`Doc::list_cursor`], compiled once: `obj` is
    /// a text's or a list's id (its kind says which).
    fn seq_cursor(
        &self,
        obj: &ContainerId,
        index: usize,
        gravity: Gravity,
    ) -> Result<Cursor, DocError> {
        self.check_exists(obj)?;
        let kind = obj.kind();
        let anchor = match self.state.get(obj) {
            Some(Container::Text(t)) => anchor_at(Some(t.seq.shape()), index, gravity, kind),
            Some(Container::List(l)) => anchor_at(Some(l.seq.shape()), index, gravity, kind),
            // A root-named container nobody has written to yet: empty.
            _ => anchor_at(None, index, gravity, kind),
        }?;
        Ok(Cursor {
            container: obj.clone(),
            anchor,
            gravity,
        })
    }

    /// The index `cursor` stands for now, in characters for a text.
    ///
    /// Fails with [`DocError::UnknownAnchor`] if this replica has not received the
    /// anchor element yet (sync, then ask again), [`DocError::UnknownContainer`] if
    /// it does not know the container, [`DocError::NotASequence`] if the cursor
    /// names a map, counter or set.
    pub fn cursor_index(&self, cursor: &Cursor) -> Result<usize, DocError> {
        let obj: &ContainerId = &cursor.container;
        match obj.kind() {
            ContainerKind::Text | ContainerKind::List => {}
            _ => return Err(DocError::NotASequence(obj.clone())),
        }
        self.check_exists(obj)?;
        match self.state.get(obj) {
            Some(Container::Text(t)) => resolve(Some(t.seq.shape()), cursor),
            Some(Container::List(l)) => resolve(Some(l.seq.shape()), cursor),
            // A root-named container nobody has written to yet: empty.
            _ => resolve(None, cursor),
        }
    }

    /// The UTF-16 offset `cursor` stands for now (JavaScript indices; a list
    /// counts one unit per element).
    pub fn cursor_index_utf16(&self, cursor: &Cursor) -> Result<usize, DocError> {
        let index = self.cursor_index(cursor)?;
        match self.state.get(&cursor.container) {
            Some(Container::Text(t)) => t
                .seq
                .index_to_utf16(index)
                .map_err(|e| local_error(e, ContainerKind::Text)),
            _ => Ok(index),
        }
    }
}
