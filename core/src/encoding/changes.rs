//! The columnar encoding of changes: one column per field of changes and ops, each
//! run-length encoded, so that a long typing session costs a few bytes beyond
//! its text. Column order and meaning: `docs/encoding.md`.

use super::column::{all_done, frame, next_id, push_id, RleReader, RleWriter};
use super::marks::{MarkColumns, StateMarks, Trailer};
use super::reader::Reader;
use super::state::Derived;
use super::tables::{TableWriter, Tables};
use super::value::{self, read_value, write_value};
use super::writer::Writer;
use super::{text_block, DecodeError};
use crate::change::{Change, NewValue, Op, SeqContent};
use crate::clock::Hlc;
use crate::{Number, OpId};

const MAP_SET: u64 = 0;
const MAP_DELETE: u64 = 1;
const COUNTER_ADD: u64 = 2;
const SET_ADD: u64 = 3;
const SET_REMOVE: u64 = 4;
const TEXT_INSERT: u64 = 5;
const LIST_INSERT: u64 = 6;
const SEQ_DELETE: u64 = 7;
const MARK: u64 = 8;

/// How many ops (or elements) a payload may claim per byte of input: runs make
/// more than one per byte possible, but not unboundedly many.
pub(crate) const MAX_ITEMS_PER_BYTE: usize = 64;

/// The changes section's columns by index, in the order they are written.
const CH_REPLICA: usize = 0;
const CH_START: usize = 1;
const CH_DEPS: usize = 2;
const DEP_REPLICA: usize = 3;
const DEP_COUNTER: usize = 4;
const CH_MS: usize = 5;
const CH_LOGICAL: usize = 6;
const CH_OPS: usize = 7;
const OP_KIND: usize = 8;
const OP_OBJ: usize = 9;
const OP_KEY: usize = 10;
const NEW_KIND: usize = 11;
/// Not run-length coded: read through [`RleReader::raw`].
const VALUES: usize = 12;
const NUMBERS: usize = 13;
const TAG_COUNT: usize = 14;
const TAG_REPLICA: usize = 15;
const TAG_COUNTER: usize = 16;
const INS_LEN: usize = 17;
const ORIGIN_KIND: usize = 18;
const ORIGIN_REPLICA: usize = 19;
const ORIGIN_COUNTER: usize = 20;
/// The text block sits here, between the origin and the delete columns.
const DEL_REPLICA: usize = 21;
const DEL_COUNTER: usize = 22;
const DEL_LEN: usize = 23;
const COLUMNS: usize = 24;

struct Columns {
    cols: [RleWriter; COLUMNS],
    text: String,
    /// Where the next delete's target is expected (see [`next_delete_base`]).
    del_next: Option<u64>,
    marks: MarkColumns,
}

fn new_value(c: &mut Columns, v: &NewValue) {
    match v {
        NewValue::Value(v) => {
            c.cols[NEW_KIND].push(0);
            write_value(c.cols[VALUES].raw(), v);
        }
        NewValue::Container(k) => c.cols[NEW_KIND].push(1 + u64::from(k.tag())),
    }
}

fn origin(c: &mut Columns, t: &mut TableWriter, o: Option<OpId>, id: OpId) {
    match o {
        None => c.cols[ORIGIN_KIND].push(0),
        // Typing right after one's own text: the common case, and free.
        Some(o) if o.replica == id.replica && o.counter + 1 == id.counter => {
            c.cols[ORIGIN_KIND].push(1)
        }
        Some(o) => explicit_origin(c, t, o, id),
    }
}

/// An origin written out in full: kind 2, then its id relative to `id`.
fn explicit_origin(c: &mut Columns, t: &mut TableWriter, o: OpId, id: OpId) {
    c.cols[ORIGIN_KIND].push(2);
    push_id(
        &mut c.cols,
        ORIGIN_REPLICA,
        ORIGIN_COUNTER,
        t,
        o,
        id.counter,
    );
}

/// The counter where the next change of the replica at table index `ri` is
/// expected to start (1 before its first): changes store their start relative to
/// it. A `Vec` by table index rather than a map by replica id, so no hash map is
/// compiled for it; it grows only to the highest index met, which the caller has
/// bounded by the table (the reader checks the index against the table first).
fn expected_at(expected: &mut Vec<u64>, ri: u64) -> &mut u64 {
    let i = ri as usize;
    if i >= expected.len() {
        expected.resize(i + 1, 1);
    }
    &mut expected[i]
}

/// Appends the columns of `changes` to `w`, interning ids in `t`. `derived`: the
/// payload's state section holds every inserted element (a snapshot), so insert
/// ops keep only their length; origins and content are read back from the spans.
/// Mark ops' columns are returned, for the trailer. `raw_text`: the text block
/// is written uncompressed (the WebAssembly change log's blocks, written while
/// the user types), else deflated when that saves bytes.
pub(crate) fn write_changes(
    w: &mut Writer,
    t: &mut TableWriter,
    changes: &[Change],
    derived: bool,
    raw_text: bool,
) -> MarkColumns {
    // The text block sized at once: grown by doubling, a pasted session's
    // (rustcode's 106 KB paste) held up to twice its bytes while its old copy
    // was still live, in WebAssembly at the top of a memory that never shrinks.
    let text_bytes = match derived {
        true => 0,
        false => changes
            .iter()
            .flat_map(|ch| &ch.ops)
            .map(|op| match op {
                Op::SeqInsert {
                    content: SeqContent::Text(s),
                    ..
                } => s.len(),
                _ => 0,
            })
            .sum(),
    };
    let mut c = Columns {
        cols: [RleWriter::EMPTY; COLUMNS],
        text: String::with_capacity(text_bytes),
        del_next: None,
        marks: MarkColumns::default(),
    };
    // Where each replica's next change is expected, by table index (see
    // `expected_at`).
    let mut expected: Vec<u64> = Vec::new();
    let mut prev_ms = 0u64;
    let mut prev_logical = 0u32;
    for ch in changes {
        let ri = t.replica(ch.replica);
        c.cols[CH_REPLICA].push(ri);
        let exp = *expected_at(&mut expected, ri);
        c.cols[CH_START].push_signed(ch.start.wrapping_sub(exp) as i64);
        c.cols[CH_DEPS].push(ch.deps.len() as u64);
        for d in &ch.deps {
            push_id(&mut c.cols, DEP_REPLICA, DEP_COUNTER, t, *d, ch.start);
        }
        let ms_delta = ch.hlc.ms.wrapping_sub(prev_ms) as i64;
        c.cols[CH_MS].push_signed(ms_delta);
        prev_ms = ch.hlc.ms;
        c.cols[CH_LOGICAL].push_signed(logical_delta(ms_delta, prev_logical, ch.hlc.logical));
        prev_logical = ch.hlc.logical;
        c.cols[CH_OPS].push(ch.ops.len() as u64);
        // Ids counted here rather than by `Change::ops_with_ids`: an insert's
        // length counts its characters, which the insert's column needs anyway.
        let mut counter = ch.start;
        for op in &ch.ops {
            let id = OpId::new(ch.replica, counter);
            let mut len = 1;
            c.cols[OP_OBJ].push(t.container(op.obj()));
            match op {
                Op::MapSet { key, value, .. } => {
                    c.cols[OP_KIND].push(MAP_SET);
                    c.cols[OP_KEY].push(t.key(key));
                    new_value(&mut c, value);
                }
                Op::MapDelete { key, .. } => {
                    c.cols[OP_KIND].push(MAP_DELETE);
                    c.cols[OP_KEY].push(t.key(key));
                }
                Op::CounterAdd { delta, .. } => {
                    c.cols[OP_KIND].push(COUNTER_ADD);
                    let numbers = c.cols[NUMBERS].raw();
                    match delta {
                        Number::Int(i) => {
                            numbers.u8(0);
                            numbers.ivarint(*i);
                        }
                        Number::Float(f) => {
                            numbers.u8(1);
                            numbers.f64(*f);
                        }
                    }
                }
                Op::SetAdd { member, .. } => {
                    c.cols[OP_KIND].push(SET_ADD);
                    write_value(c.cols[VALUES].raw(), member);
                }
                Op::SetRemove { member, tags, .. } => {
                    c.cols[OP_KIND].push(SET_REMOVE);
                    write_value(c.cols[VALUES].raw(), member);
                    c.cols[TAG_COUNT].push(tags.len() as u64);
                    for tag in tags {
                        push_id(&mut c.cols, TAG_REPLICA, TAG_COUNTER, t, *tag, id.counter);
                    }
                }
                Op::SeqInsert {
                    left,
                    right,
                    content,
                    ..
                } => {
                    match content {
                        SeqContent::Text(s) => {
                            c.cols[OP_KIND].push(TEXT_INSERT);
                            let n = s.chars().count() as u64;
                            len = n.max(1);
                            c.cols[INS_LEN].push(n);
                            if !derived {
                                c.text.push_str(s);
                            }
                        }
                        SeqContent::Values(items) => {
                            c.cols[OP_KIND].push(LIST_INSERT);
                            len = (items.len() as u64).max(1);
                            c.cols[INS_LEN].push(items.len() as u64);
                            if !derived {
                                for item in items {
                                    new_value(&mut c, item);
                                }
                            }
                        }
                    }
                    if !derived {
                        origin(&mut c, t, *left, id);
                        // "None" (typing at the end) is the common right origin.
                        match right {
                            None => c.cols[ORIGIN_KIND].push(0),
                            Some(o) => explicit_origin(&mut c, t, *o, id),
                        }
                    }
                }
                Op::SeqDelete {
                    target,
                    len: n,
                    reversed,
                    ..
                } => {
                    c.cols[OP_KIND].push(SEQ_DELETE);
                    len = (*n).max(1);
                    let base = c.del_next.unwrap_or(id.counter);
                    push_id(&mut c.cols, DEL_REPLICA, DEL_COUNTER, t, *target, base);
                    c.del_next = Some(next_delete_base(*target, *n, *reversed));
                    c.cols[DEL_LEN].push(n << 1 | u64::from(*reversed));
                }
                Op::Mark(m) => {
                    c.cols[OP_KIND].push(MARK);
                    c.marks.push(t, id, m);
                }
            }
            counter = counter.wrapping_add(len);
        }
        // Where the replica's next change is expected: `Change::last` + 1.
        *expected_at(&mut expected, ri) = counter.max(1);
    }
    w.uvarint(changes.len() as u64);
    // `w` grown once for all the columns and the text (the most they take
    // raw, each with its length), not doubled past them: see `text_bytes`.
    let cols = c.cols.map(RleWriter::finish);
    let most = cols.iter().map(|col| col.len() + 10).sum::<usize>() + c.text.len() + 11;
    w.buf.reserve_exact(most);
    for (i, col) in cols.iter().enumerate() {
        if i == DEL_REPLICA {
            match raw_text {
                true => text_block::write_raw(w, &c.text),
                false => text_block::write(w, &c.text),
            }
        }
        w.bytes(col);
    }
    c.marks
}

struct In<'a> {
    cols: [RleReader<'a>; COLUMNS],
    del_next: Option<u64>,
    marks: Trailer<'a>,
}

fn add(counter: u64, delta: i64) -> u64 {
    counter.wrapping_add(delta as u64)
}

fn corrupt(what: &'static str) -> DecodeError {
    DecodeError::Corrupt { offset: 0, what }
}

/// Reads the columns `write_changes` wrote. `budget` is how many ops and elements
/// the caller allows (derived from the input length); it is spent as they decode.
/// `derive`: the snapshot's sequences, for insert ops written `derived`. Reads
/// the marks trailer too (the body's end) and returns the state's mark sets.
#[cfg_attr(weft_wasm_speed, optimize(speed))]
pub(crate) fn read_changes(
    r: &mut Reader<'_>,
    t: &Tables,
    budget: &mut usize,
    derive: Option<&Derived>,
) -> Result<(Vec<Change>, StateMarks), DecodeError> {
    read_changes_from(r, t, budget, derive, None)
}

/// Like [`read_changes`], for a section that ends without the marks trailer:
/// a snapshot keeps its history in a byte block of its own, and the trailer,
/// already read (`marks`), in the state's.
pub(crate) fn read_changes_with<'a>(
    r: &mut Reader<'a>,
    t: &Tables,
    budget: &mut usize,
    derive: Option<&Derived>,
    marks: Trailer<'a>,
) -> Result<(Vec<Change>, StateMarks), DecodeError> {
    read_changes_from(r, t, budget, derive, Some(marks))
}

fn read_changes_from<'a>(
    r: &mut Reader<'a>,
    t: &Tables,
    budget: &mut usize,
    derive: Option<&Derived>,
    marks: Option<Trailer<'a>>,
) -> Result<(Vec<Change>, StateMarks), DecodeError> {
    let n = r.count(1)?;
    let mut c = In {
        cols: [RleReader::EMPTY; COLUMNS],
        del_next: None,
        marks: Trailer::empty(),
    };
    frame(r, &mut c.cols[..DEL_REPLICA])?;
    let text = text_block::read(r)?;
    super::credit_text(budget, &text);
    frame(r, &mut c.cols[DEL_REPLICA..])?;
    c.marks = match marks {
        Some(marks) => marks,
        None => super::marks::read_trailer(r, t, budget)?,
    };
    let mut text_rest: &str = &text;

    let mut out = Vec::with_capacity(n);
    let mut expected: Vec<u64> = Vec::new();
    let mut prev_ms = 0u64;
    let mut prev_logical = 0u32;
    for _ in 0..n {
        let ri = c.cols[CH_REPLICA].next()?;
        // Checked against the table first, so `expected` stays within its length.
        let replica = t.replica(ri)?;
        let exp = *expected_at(&mut expected, ri);
        let start = add(exp, c.cols[CH_START].next_signed()?);
        let ndeps = c.cols[CH_DEPS].next_usize(t.replicas.len().max(1) * 4)?;
        let mut deps = Vec::with_capacity(ndeps);
        for _ in 0..ndeps {
            deps.push(next_id(&mut c.cols, DEP_REPLICA, DEP_COUNTER, t, start)?);
        }
        let ms_delta = c.cols[CH_MS].next_signed()?;
        let ms = add(prev_ms, ms_delta);
        prev_ms = ms;
        let logical =
            logical_from_delta(ms_delta, prev_logical, c.cols[CH_LOGICAL].next_signed()?)?;
        prev_logical = logical;
        let nops = c.cols[CH_OPS].next_usize(*budget)?;
        *budget -= nops;
        let mut ops = Vec::with_capacity(nops);
        let mut counter = start;
        for _ in 0..nops {
            let id = OpId::new(replica, counter);
            let mut len = 1;
            let op = read_op(&mut c, t, id, &mut text_rest, budget, derive, &mut len)?;
            counter = counter
                .checked_add(len)
                .ok_or(corrupt("op counters overflow"))?;
            ops.push(op);
        }
        *expected_at(&mut expected, ri) = counter;
        out.push(Change {
            replica,
            start,
            deps,
            hlc: Hlc::new(ms, logical),
            ops,
        });
    }
    if !(all_done(&c.cols) && c.marks.ops_done() && text_rest.is_empty()) {
        return Err(corrupt("columns hold more values than the changes use"));
    }
    Ok((out, c.marks.state))
}

fn read_new_value(c: &mut In<'_>) -> Result<NewValue, DecodeError> {
    let kind = c.cols[NEW_KIND].next()?;
    value::read_new_value(kind, 0, c.cols[VALUES].raw())
}

/// Inlined natively: called twice per insert, and the call's frame and its
/// result, returned through memory, cost about as much as the read.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn read_origin(c: &mut In<'_>, t: &Tables, id: OpId) -> Result<Option<OpId>, DecodeError> {
    Ok(match c.cols[ORIGIN_KIND].next()? {
        0 => None,
        1 => Some(OpId::new(id.replica, id.counter.wrapping_sub(1))),
        2 => Some(next_id(
            &mut c.cols,
            ORIGIN_REPLICA,
            ORIGIN_COUNTER,
            t,
            id.counter,
        )?),
        _ => return Err(corrupt("unknown origin kind")),
    })
}

/// Reads one op; sets `len` to how many counters it takes when that is more than
/// one ([`Op::len`], known here without counting an insert's characters again).
fn read_op(
    c: &mut In<'_>,
    t: &Tables,
    id: OpId,
    text: &mut &str,
    budget: &mut usize,
    derive: Option<&Derived>,
    len: &mut u64,
) -> Result<Op, DecodeError> {
    let obj = t.container(c.cols[OP_OBJ].next()?)?.clone();
    Ok(match c.cols[OP_KIND].next()? {
        MAP_SET => Op::MapSet {
            obj,
            key: t.key(c.cols[OP_KEY].next()?)?.clone(),
            value: read_new_value(c)?,
        },
        MAP_DELETE => Op::MapDelete {
            obj,
            key: t.key(c.cols[OP_KEY].next()?)?.clone(),
        },
        COUNTER_ADD => {
            let numbers = c.cols[NUMBERS].raw();
            let offset = numbers.offset();
            let delta = match numbers.u8()? {
                0 => Number::Int(numbers.ivarint()?),
                1 => Number::Float(numbers.f64()?),
                tag => return Err(DecodeError::UnknownTag { tag, offset }),
            };
            Op::CounterAdd { obj, delta }
        }
        SET_ADD => Op::SetAdd {
            obj,
            member: read_value(c.cols[VALUES].raw(), 0)?,
        },
        SET_REMOVE => {
            let member = read_value(c.cols[VALUES].raw(), 0)?;
            let n = c.cols[TAG_COUNT].next_usize(*budget)?;
            *budget -= n;
            let mut tags = Vec::with_capacity(n);
            for _ in 0..n {
                tags.push(next_id(
                    &mut c.cols,
                    TAG_REPLICA,
                    TAG_COUNTER,
                    t,
                    id.counter,
                )?);
            }
            Op::SetRemove { obj, member, tags }
        }
        kind @ (TEXT_INSERT | LIST_INSERT) => {
            let n = c.cols[INS_LEN].next_usize(*budget)?;
            if n == 0 {
                return Err(corrupt("empty insert"));
            }
            *budget -= n;
            *len = n as u64;
            if let Some(derive) = derive {
                let missing = || corrupt("insert op's elements are not in the snapshot's state");
                let d = derive.get(&obj).ok_or_else(missing)?;
                let (left, right) = d.origins(id).ok_or_else(missing)?;
                let content = if kind == TEXT_INSERT {
                    SeqContent::Text(d.text(id, n as u64).ok_or_else(missing)?)
                } else {
                    SeqContent::Values(d.items(id, n as u64).ok_or_else(missing)?)
                };
                return Ok(Op::SeqInsert {
                    obj,
                    left,
                    right,
                    content,
                });
            }
            let content = if kind == TEXT_INSERT {
                // ASCII (the usual text) needs no walk over characters.
                let ascii = text.as_bytes().get(..n).is_some_and(crate::seq::ascii);
                let byte = match ascii {
                    true => Some(n),
                    false => crate::seq::char_end(text, n),
                }
                .ok_or(corrupt("insert longer than the text column"))?;
                let (s, rest) = text.split_at(byte);
                *text = rest;
                SeqContent::Text(s.to_owned())
            } else {
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(read_new_value(c)?);
                }
                SeqContent::Values(items)
            };
            let left = read_origin(c, t, id)?;
            let right = read_origin(c, t, id)?;
            Op::SeqInsert {
                obj,
                left,
                right,
                content,
            }
        }
        SEQ_DELETE => {
            let base = c.del_next.unwrap_or(id.counter);
            let target = next_id(&mut c.cols, DEL_REPLICA, DEL_COUNTER, t, base)?;
            let packed = c.cols[DEL_LEN].next()?;
            let (n, reversed) = (packed >> 1, packed & 1 == 1);
            if n == 0 || target.counter.checked_add(n).is_none() {
                return Err(corrupt("bad delete length"));
            }
            c.del_next = Some(next_delete_base(target, n, reversed));
            *len = n;
            Op::SeqDelete {
                obj,
                target,
                len: n,
                reversed,
            }
        }
        MARK => Op::Mark(Box::new(c.marks.next_op(t, obj, id)?)),
        _ => return Err(corrupt("unknown op kind")),
    })
}

/// Deletes come in streaks: a selection deleted in pieces, a word erased with
/// backspace. So a delete's target is written relative to where the previous
/// delete in the payload leaves off (just before a run erased backwards, just after
/// one erased forwards), which is a smaller number than its distance from the
/// delete op's own id whenever the deleted text is old.
fn next_delete_base(target: OpId, len: u64, reversed: bool) -> u64 {
    if reversed {
        target.counter.wrapping_sub(1)
    } else {
        target.counter.wrapping_add(len)
    }
}

/// A change stamped in the same millisecond as the one before it nearly always
/// carries the next logical counter, so the column holds the difference from that
/// (a run of zeros); a change in a new millisecond holds its counter as is.
fn logical_delta(ms_delta: i64, prev: u32, logical: u32) -> i64 {
    if ms_delta == 0 {
        i64::from(logical) - (i64::from(prev) + 1)
    } else {
        i64::from(logical)
    }
}

fn logical_from_delta(ms_delta: i64, prev: u32, delta: i64) -> Result<u32, DecodeError> {
    let base = if ms_delta == 0 {
        i64::from(prev) + 1
    } else {
        0
    };
    base.checked_add(delta)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(corrupt("HLC logical counter out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Doc, ReplicaId};

    /// A section of one change typed on one replica (no deps, so the dep
    /// columns are empty), its tables, and the section with `column`
    /// replaced by one holding the single value 0.
    fn section_with_extra(column: usize) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let mut d = Doc::new(ReplicaId(7));
        let t = d.text("t").unwrap();
        d.text_insert(&t, 0, "abc").unwrap();
        d.commit();
        let changes =
            crate::encoding::decode_changes(&d.export_changes(&Default::default())).unwrap();
        let mut tw = TableWriter::default();
        let mut w = Writer::new();
        write_changes(&mut w, &mut tw, &changes, false, false);
        let mut tables = Writer::new();
        tw.write(&mut tables);
        let mut r = Reader::new(&w.buf);
        let mut out = Writer::new();
        out.uvarint(r.uvarint().unwrap());
        for i in 0..DEL_REPLICA {
            let col = r.bytes().unwrap();
            if i == column {
                assert!(col.is_empty(), "column {i} holds values already");
                let mut extra = RleWriter::EMPTY;
                extra.push(0);
                out.bytes(&extra.finish());
            } else {
                out.bytes(col);
            }
        }
        out.buf.extend_from_slice(r.take(r.remaining()).unwrap());
        (tables.buf, w.buf, out.buf)
    }

    fn read(tables: &[u8], section: &[u8]) -> Result<Vec<Change>, DecodeError> {
        let t = Tables::read(&mut Reader::new(tables))?;
        let mut r = Reader::new(section);
        let mut budget = 1 << 20;
        read_changes(&mut r, &t, &mut budget, None).map(|(c, _)| c)
    }

    #[test]
    fn a_value_left_in_any_column_is_refused() {
        for column in [DEP_REPLICA, DEP_COUNTER, TAG_COUNT, TAG_REPLICA] {
            let (tables, section, tampered) = section_with_extra(column);
            assert_eq!(read(&tables, &section).unwrap().len(), 1);
            assert!(
                matches!(read(&tables, &tampered), Err(DecodeError::Corrupt { .. })),
                "a left-over value in column {column} was accepted"
            );
        }
    }
}
