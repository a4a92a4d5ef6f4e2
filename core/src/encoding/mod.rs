//! Binary encoding of changes and documents. Layout: `docs/encoding.md`.
//!
//! Every decoder here treats its input as hostile: it never panics, never
//! allocates more than a bound derived from the input length, and reports a typed
//! [`DecodeError`]. The public entry points are [`decode_changes`] and
//! [`Doc::import`](crate::Doc::import).

mod changes;
mod column;
mod crc;
mod cursor;
mod deflate;
mod envelope;
mod error;
mod inflate;
mod marks;
mod reader;
mod rows;
mod state;
mod tables;
mod text_block;
mod value;
mod version;
mod writer;

pub(crate) use cursor::{decode_cursor, encode_cursor};
pub use envelope::PayloadKind;
pub use error::DecodeError;
#[cfg(any(not(target_arch = "wasm32"), test))]
pub(crate) use rows::{decode_block, encode_block};
pub(crate) use value::value_key;
pub use version::{decode_version, encode_version};

use crate::Change;
use reader::Reader;
use std::borrow::Cow;
use tables::{TableWriter, Tables};
use writer::Writer;

pub(crate) use state::StateParts;

/// Encodes changes as an update payload, for [`decode_changes`] or
/// [`Doc::import`](crate::Doc::import) on any replica.
pub fn encode_changes(changes: &[Change]) -> Vec<u8> {
    let mut t = TableWriter::default();
    let mut cols = Writer::new();
    let marks = changes::write_changes(&mut cols, &mut t, changes, false, false);
    marks::write_trailer(&mut cols, &mut t, marks, &[]);
    seal(PayloadKind::Changes, &t, &cols, None)
}

/// The WebAssembly change log's block of sealed changes: the tables, then
/// the update payload's columns with the text raw, without envelope, checksum
/// or deflate (never sent, read back by [`decode_log_block`]). Natively the
/// log writes rows ([`encode_block`]: packing several times faster); here the
/// module then carries one op format, not two (the rows' writer and reader).
/// `None` for changes the column reader would refuse or read back otherwise
/// ([`rows::storable`], more deps per replica than a payload allows, more
/// items than its length allows): the log keeps those as they are.
#[cfg(any(target_arch = "wasm32", test))]
pub(crate) fn encode_log_block(changes: &[Change]) -> Option<Vec<u8>> {
    let mut items = 0usize;
    let mut deps = 0;
    for c in changes {
        items = items.saturating_add(rows::storable(c)?);
        deps = deps.max(c.deps.len());
    }
    let mut t = TableWriter::default();
    let mut cols = Writer::new();
    let marks = changes::write_changes(&mut cols, &mut t, changes, false, true);
    marks::write_trailer(&mut cols, &mut t, marks, &[]);
    let mut out = Writer::new();
    t.write(&mut out);
    out.buf.extend_from_slice(&cols.buf);
    if deps > t.replica_count().max(1) * 4 || items > item_budget(out.buf.len()) {
        return None;
    }
    Some(out.buf)
}

/// Reads a block [`encode_log_block`] wrote, as hostile input like any payload.
#[cfg(any(target_arch = "wasm32", test))]
pub(crate) fn decode_log_block(bytes: &[u8]) -> Result<Vec<Change>, DecodeError> {
    let mut r = Reader::new(bytes);
    let t = Tables::read(&mut r)?;
    let mut budget = item_budget(bytes.len());
    let (changes, marks) = changes::read_changes(&mut r, &t, &mut budget, None)?;
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes(r.remaining()));
    }
    if !marks.is_empty() {
        return Err(DecodeError::Corrupt {
            offset: 0,
            what: "a log block holds state marks",
        });
    }
    Ok(changes)
}

/// Tables, then the sections, deflated as a whole when that saves bytes: the id
/// and length columns still hold patterns that run-length coding leaves. Text
/// the sections held out of the body (a snapshot's) follows it in a text block
/// of its own, and a snapshot's history (`history`: its change count and
/// section) a byte block of its own, so that loading the state leaves it packed.
fn seal(
    kind: PayloadKind,
    t: &TableWriter,
    sections: &Writer,
    history: Option<(usize, &Writer)>,
) -> Vec<u8> {
    let mut body = Writer::new();
    t.write(&mut body);
    body.buf.extend_from_slice(&sections.buf);
    let mut tail = Writer::new();
    if let Some((n, section)) = history {
        tail.uvarint(n as u64);
        text_block::write_bytes(&mut tail, &section.buf);
    }
    let mut packed = Writer::new();
    match &sections.held {
        Some(held) => {
            let allowance = match kind {
                PayloadKind::State => STATE_ALLOWANCE,
                _ => HISTORY_ALLOWANCE,
            };
            seal_within(&mut packed, &body.buf, held, tail.buf.len(), allowance);
        }
        None => text_block::write_bytes(&mut packed, &body.buf),
    }
    packed.buf.extend_from_slice(&tail.buf);
    envelope::seal(kind, &packed.buf)
}

/// A snapshot's body and text block, as much of them raw as keeps the whole
/// payload (`tail`: the bytes after them) within `allowance` of the text: a
/// snapshot is the form for a fast first load, and inflating is the largest
/// cost of loading. Raw columns come first: they deflate by only about a third,
/// mostly to literals, so each byte of allowance they take saves more
/// inflating than raw text would (prose deflates to a quarter, mostly by cheap
/// copies): raw whole if they fit beside the deflated text, else a deflated
/// head and the rest raw. The text takes the room left.
fn seal_within(packed: &mut Writer, body: &[u8], held: &[u8], tail: usize, allowance: (u64, u64)) {
    let allowed = held.len() as u64 * allowance.0 / allowance.1;
    let allowed = (allowed as usize).saturating_sub(envelope::HEADER_LEN + tail);
    let whole = text_block::deflated(held);
    let text_least = text_block::smallest_len(held.len(), whole.as_deref());
    let body_room = allowed.saturating_sub(text_least);
    if text_block::smallest_len(body.len(), None) <= body_room {
        text_block::write_raw_bytes(packed, body);
    } else {
        let body_whole = text_block::deflated(body);
        text_block::write_within(packed, body, body_room, body_whole.as_deref());
    }
    let room = allowed.saturating_sub(packed.buf.len());
    text_block::write_within(packed, held, room, whole.as_deref());
}

/// How large a state-only snapshot may grow, as a fraction of its text, to load
/// faster: the budget for a fast first load (docs/benchmarks.md).
const STATE_ALLOWANCE: (u64, u64) = (5, 4);

/// The same for a snapshot with history: none, so it is written in its smallest
/// form. It is what peers store and send, and an allowance in proportion to the
/// text made a repetitive document's snapshot ten times its smallest form
/// (the crate doc's example: 2,156 B instead of under 200); a fast first load
/// is the state-only snapshot's job. Its history still sits in a block of its
/// own, which loading leaves packed.
const HISTORY_ALLOWANCE: (u64, u64) = (0, 1);

/// The kind of a payload, after checking its header and checksum.
pub fn payload_kind(bytes: &[u8]) -> Result<PayloadKind, DecodeError> {
    envelope::open(bytes).map(|(k, _)| k)
}

/// The kind a payload's header names, without checking its checksum: for
/// choosing how to decode it (the decoder checks the checksum).
pub(crate) fn peek_kind(bytes: &[u8]) -> Result<PayloadKind, DecodeError> {
    envelope::peek_kind(bytes)
}

/// Decodes the changes of an update or of a snapshot with history. In a snapshot
/// the text of deleted characters is not kept: their inserts carry NUL
/// placeholders (the deletes that hide them come along).
pub fn decode_changes(bytes: &[u8]) -> Result<Vec<Change>, DecodeError> {
    match decode(bytes, false)? {
        Decoded {
            kind: PayloadKind::State,
            ..
        } => Err(DecodeError::UnexpectedKind(3)),
        d => Ok(d.changes),
    }
}

/// The most ops and elements a body of `len` bytes may describe.
fn item_budget(len: usize) -> usize {
    len.saturating_mul(changes::MAX_ITEMS_PER_BYTE)
        .saturating_add(1024)
}

/// Credits `budget` with the characters of a text block that has just been
/// inflated to its declared length. A text block is deflated on its own inside
/// the (again deflated) body, so repetitive text inflates far beyond any
/// multiple of the body's length that [`item_budget`] could safely allow: one
/// megabyte of `"a"` is a body of a few dozen bytes. Its characters are not a
/// forged claim, though: the text block refused any declared length beyond
/// deflate's maximum ratio before allocating, and the bytes now exist, so every
/// one of them may pay for one element (a character is at least one byte).
/// Memory stays bounded by the input: at most 1032 bytes of text per byte of
/// text block, plus what [`item_budget`] allows.
fn credit_text(budget: &mut usize, text: &str) {
    *budget = budget.saturating_add(text.len());
}

/// Encodes a snapshot: the changes (if `changes` is given) and the state, with
/// the mark sets of the state's texts (`texts`, in container order).
pub(crate) fn encode_document(
    changes: Option<&[Change]>,
    state: impl FnOnce(&mut Writer, &mut TableWriter),
    texts: &[(&crate::ContainerId, &crate::doc::marks::MarkSet)],
) -> Vec<u8> {
    let mut t = TableWriter::default();
    let mut cols = Writer::new();
    cols.held = Some(Vec::new());
    // State first: a snapshot's changes are read back against its sequences.
    state(&mut cols, &mut t);
    let mut marks = marks::MarkColumns::default();
    let mut history = Writer::new();
    if let Some(changes) = changes {
        marks = changes::write_changes(&mut history, &mut t, changes, true, false);
    }
    // The trailer stays with the state: its state marks are needed to load it.
    marks::write_trailer(&mut cols, &mut t, marks, texts);
    match changes {
        Some(changes) => seal(
            PayloadKind::Snapshot,
            &t,
            &cols,
            Some((changes.len(), &history)),
        ),
        None => seal(PayloadKind::State, &t, &cols, None),
    }
}

/// A decoded payload.
pub(crate) struct Decoded {
    pub(crate) kind: PayloadKind,
    pub(crate) changes: Vec<Change>,
    pub(crate) state: Option<StateParts>,
    /// How many changes a snapshot's history claims (0 for other kinds).
    pub(crate) claimed: usize,
    /// An update's body as opened (inflated), in WebAssembly only: the
    /// tables and columns a log block of the module holds
    /// ([`decode_log_block`] reads it as the update's decoder did), so the
    /// change log can keep it for the changes instead of encoding them again.
    pub(crate) body: Option<Vec<u8>>,
}

/// An opened payload: its kind, inflated body, for a state-only snapshot the
/// text block that follows the body, and for a snapshot with history its
/// history, still packed.
struct Opened<'a> {
    kind: PayloadKind,
    body: Cow<'a, [u8]>,
    held: Option<Cow<'a, [u8]>>,
    history: Option<History<'a>>,
}

/// A snapshot's history as the payload holds it: the change count it claims
/// and the byte block holding its changes section, not yet inflated.
struct History<'a> {
    count: usize,
    block: &'a [u8],
}

impl History<'_> {
    /// The changes section, inflated.
    fn section(&self) -> Result<Cow<'_, [u8]>, DecodeError> {
        text_block::read_bytes(&mut Reader::new(self.block))
    }
}

/// Checks the envelope and inflates the body: the first step of every decoder.
/// A snapshot's history block is checked only for its framing (the checksum
/// covers its bytes): loading the state does not need it.
fn open_body(bytes: &[u8]) -> Result<Opened<'_>, DecodeError> {
    let (kind, body) = envelope::open(bytes)?;
    let mut r = Reader::new(body);
    let unpacked = text_block::read_bytes(&mut r)?;
    let (mut held, mut history) = (None, None);
    match kind {
        PayloadKind::State => held = Some(text_block::read_bytes(&mut r)?),
        PayloadKind::Snapshot => {
            held = Some(text_block::read_bytes(&mut r)?);
            history = Some(read_history(&mut r, body)?);
        }
        PayloadKind::Changes => {}
    }
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes(r.remaining()));
    }
    Ok(Opened {
        kind,
        body: unpacked,
        held,
        history,
    })
}

/// Reads the change count and steps over the history's byte block. The count
/// is reported by a load that leaves the block packed, so it is bounded the
/// way the section's own count will be (a change takes at least one byte of
/// section, and a block inflates to at most [`text_block::MAX_RATIO`] × its
/// length); the two must agree when the history is decoded.
fn read_history<'a>(r: &mut Reader<'a>, body: &'a [u8]) -> Result<History<'a>, DecodeError> {
    let offset = r.offset();
    let claimed = r.uvarint()?;
    let start = r.offset();
    text_block::skip(r)?;
    let block = &body[start..r.offset()];
    let max = block.len().saturating_mul(text_block::MAX_RATIO) as u64;
    if claimed > max {
        return Err(DecodeError::LengthTooLarge { claimed, offset });
    }
    Ok(History {
        count: claimed as usize,
        block,
    })
}

/// Decodes any payload in full (nothing is applied until this succeeds).
/// `with_state`: whether a snapshot's state section is wanted.
pub(crate) fn decode(bytes: &[u8], with_state: bool) -> Result<Decoded, DecodeError> {
    decode_as(bytes, with_state, true)
}

/// [`decode`], or with `with_history` false only a snapshot's state (any other
/// kind is refused), its history left packed: only its block's framing is
/// checked (the checksum covers its bytes). One function for both, so that
/// the WebAssembly build carries the body's walk once.
fn decode_as(bytes: &[u8], with_state: bool, with_history: bool) -> Result<Decoded, DecodeError> {
    let opened = open_body(bytes)?;
    let kind = opened.kind;
    if !with_history && kind != PayloadKind::Snapshot {
        return Err(DecodeError::UnexpectedKind(kind.tag()));
    }
    let body = &opened.body[..];
    let mut r = Reader::new(body);
    let t = Tables::read(&mut r)?;
    let claimed = opened.history.as_ref().map_or(0, |h| h.count);
    let history = match &opened.history {
        Some(h) if with_history => Some(h.section()?),
        _ => None,
    };
    let history_len = history.as_ref().map_or(0, |h| h.len());
    let mut budget = item_budget(body.len().saturating_add(history_len));
    let (changes, state) = match kind {
        PayloadKind::Changes => {
            let (changes, texts) = changes::read_changes(&mut r, &t, &mut budget, None)?;
            if !texts.is_empty() {
                return Err(DecodeError::Corrupt {
                    offset: 0,
                    what: "an update holds state marks",
                });
            }
            (changes, None)
        }
        // One walk for both snapshot kinds: only a snapshot read with its
        // history derives its inserts from the state.
        PayloadKind::State | PayloadKind::Snapshot => {
            let mut derived = state::Derived::default();
            let derive = history.is_some().then_some(&mut derived);
            let held = opened.held.as_deref();
            let mut parts = read_held_state(&mut r, held, &t, &mut budget, derive)?;
            let trailer = marks::read_trailer(&mut r, &t, &mut budget)?;
            match &history {
                None => {
                    // A snapshot's trailer op columns belong to its history,
                    // left packed here; a state-only one has none.
                    if kind == PayloadKind::State && !trailer.ops_done() {
                        return Err(DecodeError::Corrupt {
                            offset: 0,
                            what: "a state-only snapshot holds mark ops",
                        });
                    }
                    parts.attach_marks(trailer.state)?;
                    (Vec::new(), Some(parts))
                }
                Some(section) => {
                    let mut h = Reader::new(section);
                    let (changes, texts) = changes::read_changes_with(
                        &mut h,
                        &t,
                        &mut budget,
                        Some(&derived),
                        trailer,
                    )?;
                    if h.remaining() != 0 {
                        return Err(DecodeError::TrailingBytes(h.remaining()));
                    }
                    if changes.len() != claimed {
                        return Err(DecodeError::Corrupt {
                            offset: 0,
                            what: "history holds another number of changes than it claims",
                        });
                    }
                    parts.attach_marks(texts)?;
                    (changes, with_state.then_some(parts))
                }
            }
        }
    };
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes(r.remaining()));
    }
    // (Also in the crate's unit tests, which check it reads back.)
    let body = (cfg!(any(target_arch = "wasm32", test)) && kind == PayloadKind::Changes)
        .then(|| opened.body.into_owned());
    Ok(Decoded {
        kind,
        changes,
        state,
        claimed,
        body,
    })
}

pub(crate) use state::write_state;

/// Reads a snapshot's state section, its texts from the payload's text block,
/// which they must use up.
fn read_held_state<'a>(
    r: &mut Reader<'a>,
    held: Option<&'a [u8]>,
    t: &Tables,
    budget: &mut usize,
    derive: Option<&mut state::Derived>,
) -> Result<StateParts, DecodeError> {
    let mut held = Reader::new(held.unwrap_or_default());
    let parts = state::read_state(r, Some(&mut held), t, budget, derive)?;
    if held.remaining() != 0 {
        return Err(DecodeError::Corrupt {
            offset: held.offset(),
            what: "text block longer than the state's texts",
        });
    }
    Ok(parts)
}

/// The state of a snapshot with history, for loading into an empty document,
/// and how many changes its history claims. The history is left packed, and
/// [`decode`] inflates and reads it when it is first needed.
pub(crate) fn decode_snapshot_state(bytes: &[u8]) -> Result<(StateParts, usize), DecodeError> {
    let d = decode_as(bytes, true, false)?;
    let parts = d.state.ok_or(DecodeError::UnexpectedKind(d.kind.tag()))?;
    Ok((parts, d.claimed))
}

#[cfg(test)]
mod update_body;
