//! Cursors on the wire. No envelope: cursors travel inside presence messages and
//! selections, which carry their own framing, and are a few bytes long.

use super::reader::Reader;
use super::writer::Writer;
use super::DecodeError;
use crate::cursor::{Anchor, Cursor, Gravity};
use crate::{ContainerId, ContainerKind, OpId, ReplicaId};

/// The format version written first, so that a later layout can be told apart.
const CURSOR_VERSION: u8 = 1;

pub(crate) fn encode_cursor(c: &Cursor) -> Vec<u8> {
    let mut w = Writer::new();
    w.u8(CURSOR_VERSION);
    match &c.container {
        // Cursors never point into maps; the root is written for completeness.
        ContainerId::Root => w.u8(0),
        ContainerId::Named { name, kind } => {
            w.u8(1 + kind.tag());
            w.str(name);
        }
        ContainerId::Created { id, kind } => {
            w.u8(8 + kind.tag());
            w.u64_fixed(id.replica.0);
            w.uvarint(id.counter);
        }
    }
    let gravity = match c.gravity {
        Gravity::Left => 0,
        Gravity::Right => 1,
    };
    let anchor = match c.anchor {
        Anchor::Start => 0,
        Anchor::End => 1,
        Anchor::Element(_) => 2,
    };
    w.u8(gravity | anchor << 1);
    if let Anchor::Element(id) = c.anchor {
        w.u64_fixed(id.replica.0);
        w.uvarint(id.counter);
    }
    w.buf
}

fn op_id(r: &mut Reader<'_>) -> Result<OpId, DecodeError> {
    let replica = ReplicaId(r.u64_fixed()?);
    let offset = r.offset();
    let counter = r.uvarint()?;
    if counter == 0 {
        return Err(DecodeError::Corrupt {
            offset,
            what: "op counters start at 1",
        });
    }
    Ok(OpId::new(replica, counter))
}

pub(crate) fn decode_cursor(bytes: &[u8]) -> Result<Cursor, DecodeError> {
    let mut r = Reader::new(bytes);
    let version = r.u8()?;
    if version != CURSOR_VERSION {
        return Err(DecodeError::UnsupportedVersion(version));
    }
    let offset = r.offset();
    let tag = r.u8()?;
    let kind_of = |t: u8| {
        ContainerKind::from_tag(t)
            .filter(|k| matches!(k, ContainerKind::Text | ContainerKind::List))
            .ok_or(DecodeError::UnknownTag { tag, offset })
    };
    let container = match tag {
        1..=7 => {
            let kind = kind_of(tag - 1)?;
            let name = r.str()?;
            ContainerId::Named {
                name: name.into(),
                kind,
            }
        }
        8..=15 => {
            let kind = kind_of(tag - 8)?;
            ContainerId::Created {
                id: op_id(&mut r)?,
                kind,
            }
        }
        // The root map (0) holds no positions.
        _ => return Err(DecodeError::UnknownTag { tag, offset }),
    };
    let offset = r.offset();
    let flags = r.u8()?;
    let gravity = if flags & 1 == 0 {
        Gravity::Left
    } else {
        Gravity::Right
    };
    let anchor = match flags >> 1 {
        0 => Anchor::Start,
        1 => Anchor::End,
        2 => Anchor::Element(op_id(&mut r)?),
        _ => return Err(DecodeError::UnknownTag { tag: flags, offset }),
    };
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes(r.remaining()));
    }
    Ok(Cursor {
        container,
        anchor,
        gravity,
    })
}
