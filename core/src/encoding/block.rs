//! The change log's in-memory form of sealed changes: the columns of an update
//! payload (tables, changes, marks trailer) without its envelope, checksum or
//! deflating, so that keeping a change costs a few bytes beyond its text and
//! reading it back costs no inflating.
//!
//! Layout: a tag byte. Tag 0, columns: the exact number of ops, elements, tags
//! and deps the changes hold (the decoder's budget), then the tables and the
//! changes section as an update payload's body writes them, the text block raw.
//! Tag 1, rows (blocks of text inserts and deletes only): see `rows.rs`.

use super::changes::{read_changes, write_changes};
use super::reader::Reader;
use super::tables::{TableWriter, Tables};
use super::value::MAX_DEPTH;
use super::writer::Writer;
use super::{marks, rows, DecodeError};
use crate::change::{Change, NewValue, Op, SeqContent};
use crate::Value;

const COLUMNS: u8 = 0;
const ROWS: u8 = 1;

/// The changes as one block, or `None` when one of them holds something the
/// payload decoder refuses (an empty insert, a zero-length delete, a value
/// nested too deep: only changes applied through the API can), which the log
/// then keeps as they are.
pub(crate) fn encode_block(changes: &[Change]) -> Option<Vec<u8>> {
    if rows::fits(changes) {
        return Some(rows::write(ROWS, changes));
    }
    let mut items = 0usize;
    for c in changes {
        items = items.saturating_add(items_of(c)?);
    }
    let mut t = TableWriter::default();
    let mut cols = Writer::new();
    let marks = write_changes(&mut cols, &mut t, changes, false, false);
    marks::write_trailer(&mut cols, &mut t, marks, &[]);
    let mut out = Writer::new();
    out.u8(COLUMNS);
    out.uvarint(items as u64);
    t.write(&mut out);
    out.buf.extend_from_slice(&cols.buf);
    Some(out.buf)
}

/// Reads a block [`encode_block`] wrote. It never panics, whatever the bytes,
/// and allocates no more than the block's recorded count of items allows.
pub(crate) fn decode_block(bytes: &[u8]) -> Result<Vec<Change>, DecodeError> {
    let mut r = Reader::new(bytes);
    match r.u8()? {
        COLUMNS => {}
        ROWS => {
            let changes = rows::read(&mut r)?;
            if r.remaining() != 0 {
                return Err(DecodeError::TrailingBytes(r.remaining()));
            }
            return Ok(changes);
        }
        tag => return Err(DecodeError::UnknownTag { tag, offset: 0 }),
    }
    // Runs let a handful of bytes stand for any number of ops, so no ratio to
    // the length bounds a legitimate block: the count the writer recorded does.
    let items = r.uvarint()?;
    let mut budget = usize::try_from(items).map_err(|_| DecodeError::LengthTooLarge {
        claimed: items,
        offset: 0,
    })?;
    let t = Tables::read(&mut r)?;
    let (changes, texts) = read_changes(&mut r, &t, &mut budget, None, true)?;
    if !texts.is_empty() {
        return Err(DecodeError::Corrupt {
            offset: 0,
            what: "a change block holds state marks",
        });
    }
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes(r.remaining()));
    }
    Ok(changes)
}

/// How much of the decoder's budget `c` spends, if it decodes at all.
fn items_of(c: &Change) -> Option<usize> {
    let mut items = c.deps.len() + c.ops.len();
    // The decoder refuses counters that overflow; a text's byte length bounds
    // its character count, which would cost a pass over the text to count.
    let mut counter = c.start;
    for op in &c.ops {
        let most = match op {
            Op::SeqInsert {
                content: SeqContent::Text(s),
                ..
            } => s.len() as u64,
            op => op.len(),
        };
        counter = counter.checked_add(most)?;
        match op {
            Op::SeqInsert { content, .. } => {
                match content {
                    // Text pays for its characters itself (the decoder credits
                    // the text block's length).
                    SeqContent::Text(s) if !s.is_empty() => {}
                    SeqContent::Values(v) if !v.is_empty() && v.iter().all(new_value_fits) => {
                        items += v.len();
                    }
                    _ => return None,
                }
            }
            // The length shares a varint with the direction bit.
            Op::SeqDelete { target, len, .. }
                if *len == 0 || *len >> 62 != 0 || target.counter.checked_add(*len).is_none() =>
            {
                return None;
            }
            Op::MapSet { value, .. } if !new_value_fits(value) => return None,
            Op::SetAdd { member, .. } if !fits(member, 0) => return None,
            Op::SetRemove { member, tags, .. } => {
                if !fits(member, 0) {
                    return None;
                }
                items += tags.len();
            }
            Op::Mark(m) if !fits(&m.value, 0) => return None,
            _ => {}
        }
    }
    Some(items)
}

fn new_value_fits(v: &NewValue) -> bool {
    match v {
        NewValue::Value(v) => fits(v, 0),
        NewValue::Container(_) => true,
    }
}

/// Whether the value decoder accepts `v`'s nesting (it refuses deeper values).
fn fits(v: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match v {
        Value::Array(items) => items.iter().all(|v| fits(v, depth + 1)),
        Value::Object(map) => map.values().all(|v| fits(v, depth + 1)),
        _ => true,
    }
}
