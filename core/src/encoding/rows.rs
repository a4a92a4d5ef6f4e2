//! A row layout for change blocks made only of text inserts and deletes (what
//! typing makes): one header byte and a few varints per op, the text after
//! them. The columns of a payload are smaller by a few bytes per op, but
//! splitting ops over twenty run-length coded columns costs several times as
//! long, and a typing session is packed while the user types. In memory only.
//!
//! Layout: tables; the rows (length-prefixed): the change count; per change its replica, start, deps (count,
//! then replica and counter each), stamp (ms, logical) and op count, then per op
//! a header byte and its fields; the text.
//! Header bits: 0 delete (else insert), 1 same container as the previous op
//! (else its index follows). Insert: bits 2-3 left origin (0 none, 1 the op's
//! own previous counter, 2 given), bit 4 right origin given; fields: text byte
//! length, then each given origin's replica and counter (relative to the op's
//! id). Delete: bit 2 reversed; fields: target replica, target counter
//! (relative to where the previous delete left off, as in the columns), length;
//! then the text (length-prefixed).

use super::reader::Reader;
use super::tables::{TableWriter, Tables};
use super::writer::Writer;
use super::DecodeError;
use crate::change::{Change, Op, SeqContent};
use crate::clock::Hlc;
use crate::{OpId, ReplicaId};

const DELETE: u8 = 1;
const SAME_OBJ: u8 = 2;
const LEFT_PREV: u8 = 4;
const LEFT_GIVEN: u8 = 8;
const RIGHT_GIVEN: u8 = 16;
const REVERSED: u8 = 4;

/// Whether every op of `changes` has a row form (and reads back as written).
pub(crate) fn fits(changes: &[Change]) -> bool {
    changes.iter().all(|c| {
        c.ops.iter().all(|op| match op {
            Op::SeqInsert {
                content: SeqContent::Text(s),
                ..
            } => !s.is_empty(),
            Op::SeqDelete { target, len, .. } => {
                *len != 0 && *len >> 62 == 0 && target.counter.checked_add(*len).is_some()
            }
            _ => false,
        })
    })
}

fn delta(to: u64, from: u64) -> i64 {
    to.wrapping_sub(from) as i64
}

fn add(counter: u64, delta: i64) -> u64 {
    counter.wrapping_add(delta as u64)
}

/// Writes `changes` (which [`fits`] accepts) in rows after `tag`, sized
/// exactly (the log keeps the bytes as they are).
pub(crate) fn write(tag: u8, changes: &[Change]) -> Vec<u8> {
    let mut t = TableWriter::default();
    let ops: usize = changes.iter().map(|c| c.ops.len()).sum();
    let mut w = Writer {
        buf: Vec::with_capacity(4 * ops + 16 * changes.len() + 8),
    };
    let mut text = String::new();
    w.uvarint(changes.len() as u64);
    let mut obj = None;
    let mut prev_obj: Option<&crate::ContainerId> = None;
    let mut del_next: Option<u64> = None;
    for c in changes {
        w.uvarint(t.replica(c.replica));
        w.uvarint(c.start);
        w.uvarint(c.deps.len() as u64);
        for d in &c.deps {
            w.uvarint(t.replica(d.replica));
            w.uvarint(d.counter);
        }
        w.uvarint(c.hlc.ms);
        w.uvarint(u64::from(c.hlc.logical));
        w.uvarint(c.ops.len() as u64);
        let mut counter = c.start;
        for op in &c.ops {
            let at = w.buf.len();
            w.u8(0);
            let mut head = 0;
            if prev_obj == Some(op.obj()) {
                head |= SAME_OBJ;
            } else {
                let o = t.container(op.obj());
                if obj == Some(o) {
                    head |= SAME_OBJ;
                } else {
                    w.uvarint(o);
                    obj = Some(o);
                }
                prev_obj = Some(op.obj());
            }
            let len = match op {
                Op::SeqInsert {
                    left,
                    right,
                    content: SeqContent::Text(s),
                    ..
                } => {
                    w.uvarint(s.len() as u64);
                    text.push_str(s);
                    match left {
                        None => {}
                        Some(l)
                            if l.replica == c.replica && l.counter.wrapping_add(1) == counter =>
                        {
                            head |= LEFT_PREV;
                        }
                        Some(l) => {
                            head |= LEFT_GIVEN;
                            w.uvarint(t.replica(l.replica));
                            w.ivarint(delta(l.counter, counter));
                        }
                    }
                    if let Some(r) = right {
                        head |= RIGHT_GIVEN;
                        w.uvarint(t.replica(r.replica));
                        w.ivarint(delta(r.counter, counter));
                    }
                    s.chars().count() as u64
                }
                Op::SeqDelete {
                    target,
                    len,
                    reversed,
                    ..
                } => {
                    head |= DELETE;
                    if *reversed {
                        head |= REVERSED;
                    }
                    w.uvarint(t.replica(target.replica));
                    w.ivarint(delta(target.counter, del_next.unwrap_or(counter)));
                    w.uvarint(*len);
                    del_next = Some(if *reversed {
                        target.counter.wrapping_sub(1)
                    } else {
                        target.counter.wrapping_add(*len)
                    });
                    *len
                }
                // `fits` admits nothing else.
                _ => 1,
            };
            w.buf[at] = head;
            counter = counter.wrapping_add(len);
        }
    }
    let mut tables = Writer::new();
    t.write(&mut tables);
    let varint = |n: usize| (usize::BITS - n.leading_zeros()).max(1).div_ceil(7) as usize;
    let size =
        1 + tables.buf.len() + varint(w.buf.len()) + w.buf.len() + varint(text.len()) + text.len();
    let mut out = Writer {
        buf: Vec::with_capacity(size),
    };
    out.u8(tag);
    out.buf.extend_from_slice(&tables.buf);
    out.bytes(&w.buf);
    out.bytes(text.as_bytes());
    out.buf
}

fn corrupt(what: &'static str) -> DecodeError {
    DecodeError::Corrupt { offset: 0, what }
}

/// Reads what [`write`] wrote (the rest of `r`).
pub(crate) fn read(r: &mut Reader<'_>) -> Result<Vec<Change>, DecodeError> {
    let t = Tables::read(r)?;
    let rows = r.bytes()?;
    let mut text_rest = r.str()?;
    let mut r = Reader::new(rows);
    // Every change takes at least six bytes, every op two.
    let n = r.count(6)?;
    let mut out = Vec::with_capacity(n);
    let mut obj = None;
    let mut del_next: Option<u64> = None;
    for _ in 0..n {
        let replica = t.replica(r.uvarint()?)?;
        let start = r.uvarint()?;
        let ndeps = r.count(2)?;
        let mut deps = Vec::with_capacity(ndeps);
        for _ in 0..ndeps {
            let dr = t.replica(r.uvarint()?)?;
            deps.push(OpId::new(dr, r.uvarint()?));
        }
        let ms = r.uvarint()?;
        let logical =
            u32::try_from(r.uvarint()?).map_err(|_| corrupt("HLC logical counter out of range"))?;
        let nops = r.count(2)?;
        let mut ops = Vec::with_capacity(nops);
        let mut counter = start;
        for _ in 0..nops {
            let head = r.u8()?;
            if head & SAME_OBJ == 0 {
                obj = Some(t.container(r.uvarint()?)?.clone());
            }
            let obj = obj.clone().ok_or(corrupt("op without a container"))?;
            let (op, len) = if head & DELETE != 0 {
                let tr = t.replica(r.uvarint()?)?;
                let tc = add(del_next.unwrap_or(counter), r.ivarint()?);
                let len = r.uvarint()?;
                let reversed = head & REVERSED != 0;
                if len == 0 || len >> 62 != 0 || tc.checked_add(len).is_none() {
                    return Err(corrupt("bad delete length"));
                }
                del_next = Some(if reversed {
                    tc.wrapping_sub(1)
                } else {
                    tc + len
                });
                let op = Op::SeqDelete {
                    obj,
                    target: OpId::new(tr, tc),
                    len,
                    reversed,
                };
                (op, len)
            } else {
                let bytes = usize::try_from(r.uvarint()?).unwrap_or(usize::MAX);
                let s = text_rest
                    .get(..bytes)
                    .filter(|s| !s.is_empty())
                    .ok_or(corrupt("insert not on the text's character boundaries"))?;
                text_rest = &text_rest[bytes..];
                let left = match head & (LEFT_PREV | LEFT_GIVEN) {
                    0 => None,
                    LEFT_PREV => Some(OpId::new(replica, counter.wrapping_sub(1))),
                    LEFT_GIVEN => Some(read_id(&mut r, &t, counter)?),
                    _ => return Err(corrupt("unknown origin kind")),
                };
                let right = if head & RIGHT_GIVEN != 0 {
                    Some(read_id(&mut r, &t, counter)?)
                } else {
                    None
                };
                let len = s.chars().count() as u64;
                let op = Op::SeqInsert {
                    obj,
                    left,
                    right,
                    content: SeqContent::Text(s.to_owned()),
                };
                (op, len)
            };
            counter = counter
                .checked_add(len)
                .ok_or(corrupt("op counters overflow"))?;
            ops.push(op);
        }
        out.push(Change {
            replica,
            start,
            deps,
            hlc: Hlc::new(ms, logical),
            ops,
        });
    }
    if r.remaining() != 0 || !text_rest.is_empty() {
        return Err(corrupt("rows hold more than their changes use"));
    }
    Ok(out)
}

fn read_id(r: &mut Reader<'_>, t: &Tables, counter: u64) -> Result<OpId, DecodeError> {
    let replica: ReplicaId = t.replica(r.uvarint()?)?;
    Ok(OpId::new(replica, add(counter, r.ivarint()?)))
}
