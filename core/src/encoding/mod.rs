//! Binary encoding of changes and documents. Layout: `docs/encoding.md`.
//!
//! Every decoder here treats its input as hostile: it never panics, never
//! allocates more than a bound derived from the input length, and reports a typed
//! [`DecodeError`]. The public entry points are [`decode_changes`] and
//! [`Doc::import`](crate::Doc::import).

mod changes;
mod column;
mod envelope;
mod error;
mod reader;
mod state;
mod tables;
mod text_block;
mod value;
mod writer;

pub use envelope::PayloadKind;
pub use error::DecodeError;
pub(crate) use value::value_key;

use crate::Change;
use reader::Reader;
use tables::{TableWriter, Tables};
use writer::Writer;

pub(crate) use state::StateParts;

/// Encodes changes as an update payload, for [`decode_changes`] or
/// [`Doc::import`](crate::Doc::import) on any replica.
pub fn encode_changes(changes: &[Change]) -> Vec<u8> {
    let mut t = TableWriter::default();
    let mut cols = Writer::new();
    changes::write_changes(&mut cols, &mut t, changes);
    let mut body = Writer::new();
    t.write(&mut body);
    body.buf.extend_from_slice(&cols.buf);
    envelope::seal(PayloadKind::Changes, &body.buf)
}

/// The kind of a payload, after checking its header and checksum.
pub fn payload_kind(bytes: &[u8]) -> Result<PayloadKind, DecodeError> {
    envelope::open(bytes).map(|(k, _)| k)
}

/// Decodes the changes of an update or of a snapshot with history.
pub fn decode_changes(bytes: &[u8]) -> Result<Vec<Change>, DecodeError> {
    let (kind, body) = envelope::open(bytes)?;
    match kind {
        PayloadKind::Changes | PayloadKind::Snapshot => {
            let mut r = Reader::new(body);
            let t = Tables::read(&mut r)?;
            let mut budget = item_budget(body.len());
            let changes = changes::read_changes(&mut r, &t, &mut budget)?;
            if kind == PayloadKind::Changes && r.remaining() != 0 {
                return Err(DecodeError::TrailingBytes(r.remaining()));
            }
            Ok(changes)
        }
        PayloadKind::State => Err(DecodeError::UnexpectedKind(3)),
    }
}

/// The most ops and elements a body of `len` bytes may describe.
fn item_budget(len: usize) -> usize {
    len.saturating_mul(changes::MAX_ITEMS_PER_BYTE)
        .saturating_add(1024)
}

/// Encodes a snapshot: the changes (if `changes` is given) and the state.
pub(crate) fn encode_document(
    changes: Option<&[Change]>,
    state: impl FnOnce(&mut Writer, &mut TableWriter),
) -> Vec<u8> {
    let mut t = TableWriter::default();
    let mut cols = Writer::new();
    if let Some(changes) = changes {
        changes::write_changes(&mut cols, &mut t, changes);
    }
    state(&mut cols, &mut t);
    let mut body = Writer::new();
    t.write(&mut body);
    body.buf.extend_from_slice(&cols.buf);
    let kind = if changes.is_some() {
        PayloadKind::Snapshot
    } else {
        PayloadKind::State
    };
    envelope::seal(kind, &body.buf)
}

/// A decoded payload.
pub(crate) struct Decoded {
    pub(crate) kind: PayloadKind,
    pub(crate) changes: Vec<Change>,
    pub(crate) state: Option<StateParts>,
}

/// Decodes any payload in full (nothing is applied until this succeeds).
/// `with_state`: whether a snapshot's state section is wanted.
pub(crate) fn decode(bytes: &[u8], with_state: bool) -> Result<Decoded, DecodeError> {
    let (kind, body) = envelope::open(bytes)?;
    let mut r = Reader::new(body);
    let t = Tables::read(&mut r)?;
    let mut budget = item_budget(body.len());
    let changes = match kind {
        PayloadKind::Changes | PayloadKind::Snapshot => {
            changes::read_changes(&mut r, &t, &mut budget)?
        }
        PayloadKind::State => Vec::new(),
    };
    let state = match kind {
        PayloadKind::Snapshot | PayloadKind::State if with_state || kind == PayloadKind::State => {
            Some(state::read_state(&mut r, &t, &mut budget)?)
        }
        PayloadKind::Snapshot => {
            // Skipped, but checked to be well-formed all the same.
            state::read_state(&mut r, &t, &mut budget)?;
            None
        }
        _ => None,
    };
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes(r.remaining()));
    }
    Ok(Decoded {
        kind,
        changes,
        state,
    })
}

pub(crate) use state::write_state;
