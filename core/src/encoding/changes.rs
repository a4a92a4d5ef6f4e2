//! The columnar encoding of changes: one column per field of changes and ops, each
//! run-length encoded, so that a long typing session costs a few bytes beyond
//! its text. Column order and meaning: `docs/encoding.md`.

use super::column::{RleReader, RleWriter};
use super::marks::{MarkColumns, StateMarks, Trailer};
use super::reader::Reader;
use super::state::Derived;
use super::tables::{TableWriter, Tables};
use super::value::{read_value, write_value};
use super::writer::Writer;
use super::{text_block, DecodeError};
use crate::change::{Change, NewValue, Op, SeqContent};
use crate::clock::Hlc;
use crate::{ContainerKind, Number, OpId};

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

#[derive(Default)]
struct Columns {
    ch_replica: RleWriter,
    ch_start: RleWriter,
    ch_deps: RleWriter,
    dep_replica: RleWriter,
    dep_counter: RleWriter,
    ch_ms: RleWriter,
    ch_logical: RleWriter,
    ch_ops: RleWriter,
    op_kind: RleWriter,
    op_obj: RleWriter,
    op_key: RleWriter,
    new_kind: RleWriter,
    values: Writer,
    numbers: Writer,
    tag_count: RleWriter,
    tag_replica: RleWriter,
    tag_counter: RleWriter,
    ins_len: RleWriter,
    origin_kind: RleWriter,
    origin_replica: RleWriter,
    origin_counter: RleWriter,
    text: String,
    del_replica: RleWriter,
    del_counter: RleWriter,
    del_len: RleWriter,
    /// Where the next delete's target is expected (see [`next_delete_base`]).
    del_next: Option<u64>,
    marks: MarkColumns,
}

fn new_value(cols: &mut Columns, v: &NewValue) {
    match v {
        NewValue::Value(v) => {
            cols.new_kind.push(0);
            write_value(&mut cols.values, v);
        }
        NewValue::Container(k) => cols.new_kind.push(1 + u64::from(k.tag())),
    }
}

fn origin(cols: &mut Columns, t: &mut TableWriter, o: Option<OpId>, id: OpId) {
    match o {
        None => cols.origin_kind.push(0),
        // Typing right after one's own text: the common case, and free.
        Some(o) if o.replica == id.replica && o.counter + 1 == id.counter => {
            cols.origin_kind.push(1)
        }
        Some(o) => {
            cols.origin_kind.push(2);
            cols.origin_replica.push(t.replica(o.replica));
            cols.origin_counter
                .push_signed(o.counter.wrapping_sub(id.counter) as i64);
        }
    }
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
/// Mark ops' columns are returned, for the trailer.
pub(crate) fn write_changes(
    w: &mut Writer,
    t: &mut TableWriter,
    changes: &[Change],
    derived: bool,
) -> MarkColumns {
    let mut c = Columns {
        values: Writer::new(),
        numbers: Writer::new(),
        ..Default::default()
    };
    // Where each replica's next change is expected, by table index (see
    // `expected_at`).
    let mut expected: Vec<u64> = Vec::new();
    let mut prev_ms = 0u64;
    let mut prev_logical = 0u32;
    for ch in changes {
        let ri = t.replica(ch.replica);
        c.ch_replica.push(ri);
        let exp = *expected_at(&mut expected, ri);
        c.ch_start.push_signed(ch.start.wrapping_sub(exp) as i64);
        c.ch_deps.push(ch.deps.len() as u64);
        for d in &ch.deps {
            c.dep_replica.push(t.replica(d.replica));
            c.dep_counter
                .push_signed(d.counter.wrapping_sub(ch.start) as i64);
        }
        let ms_delta = ch.hlc.ms.wrapping_sub(prev_ms) as i64;
        c.ch_ms.push_signed(ms_delta);
        prev_ms = ch.hlc.ms;
        c.ch_logical
            .push_signed(logical_delta(ms_delta, prev_logical, ch.hlc.logical));
        prev_logical = ch.hlc.logical;
        c.ch_ops.push(ch.ops.len() as u64);
        // Ids counted here rather than by `Change::ops_with_ids`: an insert's
        // length counts its characters, which the insert's column needs anyway.
        let mut counter = ch.start;
        for op in &ch.ops {
            let id = OpId::new(ch.replica, counter);
            let mut len = 1;
            c.op_obj.push(t.container(op.obj()));
            match op {
                Op::MapSet { key, value, .. } => {
                    c.op_kind.push(MAP_SET);
                    c.op_key.push(t.key(key));
                    new_value(&mut c, value);
                }
                Op::MapDelete { key, .. } => {
                    c.op_kind.push(MAP_DELETE);
                    c.op_key.push(t.key(key));
                }
                Op::CounterAdd { delta, .. } => {
                    c.op_kind.push(COUNTER_ADD);
                    match delta {
                        Number::Int(i) => {
                            c.numbers.u8(0);
                            c.numbers.ivarint(*i);
                        }
                        Number::Float(f) => {
                            c.numbers.u8(1);
                            c.numbers.f64(*f);
                        }
                    }
                }
                Op::SetAdd { member, .. } => {
                    c.op_kind.push(SET_ADD);
                    write_value(&mut c.values, member);
                }
                Op::SetRemove { member, tags, .. } => {
                    c.op_kind.push(SET_REMOVE);
                    write_value(&mut c.values, member);
                    c.tag_count.push(tags.len() as u64);
                    for tag in tags {
                        c.tag_replica.push(t.replica(tag.replica));
                        c.tag_counter
                            .push_signed(tag.counter.wrapping_sub(id.counter) as i64);
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
                            c.op_kind.push(TEXT_INSERT);
                            let n = s.chars().count() as u64;
                            len = n.max(1);
                            c.ins_len.push(n);
                            if !derived {
                                c.text.push_str(s);
                            }
                        }
                        SeqContent::Values(items) => {
                            c.op_kind.push(LIST_INSERT);
                            len = (items.len() as u64).max(1);
                            c.ins_len.push(items.len() as u64);
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
                            None => c.origin_kind.push(0),
                            Some(o) => {
                                c.origin_kind.push(2);
                                c.origin_replica.push(t.replica(o.replica));
                                c.origin_counter
                                    .push_signed(o.counter.wrapping_sub(id.counter) as i64);
                            }
                        }
                    }
                }
                Op::SeqDelete {
                    target,
                    len: n,
                    reversed,
                    ..
                } => {
                    c.op_kind.push(SEQ_DELETE);
                    len = (*n).max(1);
                    c.del_replica.push(t.replica(target.replica));
                    let base = c.del_next.unwrap_or(id.counter);
                    c.del_counter
                        .push_signed(target.counter.wrapping_sub(base) as i64);
                    c.del_next = Some(next_delete_base(*target, *n, *reversed));
                    c.del_len.push(n << 1 | u64::from(*reversed));
                }
                Op::Mark(m) => {
                    c.op_kind.push(MARK);
                    c.marks.push(t, id, m);
                }
            }
            counter = counter.wrapping_add(len);
        }
        // Where the replica's next change is expected: `Change::last` + 1.
        *expected_at(&mut expected, ri) = counter.max(1);
    }
    w.uvarint(changes.len() as u64);
    for col in [
        c.ch_replica,
        c.ch_start,
        c.ch_deps,
        c.dep_replica,
        c.dep_counter,
        c.ch_ms,
        c.ch_logical,
        c.ch_ops,
        c.op_kind,
        c.op_obj,
        c.op_key,
        c.new_kind,
    ] {
        w.bytes(&col.finish());
    }
    w.bytes(&c.values.buf);
    w.bytes(&c.numbers.buf);
    for col in [
        c.tag_count,
        c.tag_replica,
        c.tag_counter,
        c.ins_len,
        c.origin_kind,
        c.origin_replica,
        c.origin_counter,
    ] {
        w.bytes(&col.finish());
    }
    text_block::write(w, &c.text);
    for col in [c.del_replica, c.del_counter, c.del_len] {
        w.bytes(&col.finish());
    }
    c.marks
}

struct In<'a> {
    ch_replica: RleReader<'a>,
    ch_start: RleReader<'a>,
    ch_deps: RleReader<'a>,
    dep_replica: RleReader<'a>,
    dep_counter: RleReader<'a>,
    ch_ms: RleReader<'a>,
    ch_logical: RleReader<'a>,
    ch_ops: RleReader<'a>,
    op_kind: RleReader<'a>,
    op_obj: RleReader<'a>,
    op_key: RleReader<'a>,
    new_kind: RleReader<'a>,
    values: Reader<'a>,
    numbers: Reader<'a>,
    tag_count: RleReader<'a>,
    tag_replica: RleReader<'a>,
    tag_counter: RleReader<'a>,
    ins_len: RleReader<'a>,
    origin_kind: RleReader<'a>,
    origin_replica: RleReader<'a>,
    origin_counter: RleReader<'a>,
    del_replica: RleReader<'a>,
    del_counter: RleReader<'a>,
    del_len: RleReader<'a>,
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
        ch_replica: RleReader::new(r.bytes()?),
        ch_start: RleReader::new(r.bytes()?),
        ch_deps: RleReader::new(r.bytes()?),
        dep_replica: RleReader::new(r.bytes()?),
        dep_counter: RleReader::new(r.bytes()?),
        ch_ms: RleReader::new(r.bytes()?),
        ch_logical: RleReader::new(r.bytes()?),
        ch_ops: RleReader::new(r.bytes()?),
        op_kind: RleReader::new(r.bytes()?),
        op_obj: RleReader::new(r.bytes()?),
        op_key: RleReader::new(r.bytes()?),
        new_kind: RleReader::new(r.bytes()?),
        values: Reader::new(r.bytes()?),
        numbers: Reader::new(r.bytes()?),
        tag_count: RleReader::new(r.bytes()?),
        tag_replica: RleReader::new(r.bytes()?),
        tag_counter: RleReader::new(r.bytes()?),
        ins_len: RleReader::new(r.bytes()?),
        origin_kind: RleReader::new(r.bytes()?),
        origin_replica: RleReader::new(r.bytes()?),
        origin_counter: RleReader::new(r.bytes()?),
        del_replica: RleReader::new(&[]),
        del_counter: RleReader::new(&[]),
        del_len: RleReader::new(&[]),
        del_next: None,
        marks: Trailer::empty(),
    };
    // The text block sits between the origin and delete columns.
    let text = text_block::read(r)?;
    super::credit_text(budget, &text);
    c.del_replica = RleReader::new(r.bytes()?);
    c.del_counter = RleReader::new(r.bytes()?);
    c.del_len = RleReader::new(r.bytes()?);
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
        let ri = c.ch_replica.next()?;
        // Checked against the table first, so `expected` stays within its length.
        let replica = t.replica(ri)?;
        let exp = *expected_at(&mut expected, ri);
        let start = add(exp, c.ch_start.next_signed()?);
        let ndeps = c.ch_deps.next_usize(t.replicas.len().max(1) * 4)?;
        let mut deps = Vec::with_capacity(ndeps);
        for _ in 0..ndeps {
            let dr = t.replica(c.dep_replica.next()?)?;
            deps.push(OpId::new(dr, add(start, c.dep_counter.next_signed()?)));
        }
        let ms_delta = c.ch_ms.next_signed()?;
        let ms = add(prev_ms, ms_delta);
        prev_ms = ms;
        let logical = logical_from_delta(ms_delta, prev_logical, c.ch_logical.next_signed()?)?;
        prev_logical = logical;
        let nops = c.ch_ops.next_usize(*budget)?;
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
    let all_done = c.ch_replica.is_done()
        && c.ch_start.is_done()
        && c.op_kind.is_done()
        && c.op_obj.is_done()
        && c.ins_len.is_done()
        && c.origin_kind.is_done()
        && c.del_len.is_done()
        && c.values.remaining() == 0
        && c.numbers.remaining() == 0
        && c.marks.ops_done()
        && text_rest.is_empty();
    if !all_done {
        return Err(corrupt("columns hold more values than the changes use"));
    }
    Ok((out, c.marks.state))
}

fn read_new_value(c: &mut In<'_>) -> Result<NewValue, DecodeError> {
    let offset = 0;
    Ok(match c.new_kind.next()? {
        0 => NewValue::Value(read_value(&mut c.values, 0)?),
        k => NewValue::Container(
            u8::try_from(k - 1)
                .ok()
                .and_then(ContainerKind::from_tag)
                .ok_or(DecodeError::UnknownTag {
                    tag: k as u8,
                    offset,
                })?,
        ),
    })
}

fn read_origin(c: &mut In<'_>, t: &Tables, id: OpId) -> Result<Option<OpId>, DecodeError> {
    Ok(match c.origin_kind.next()? {
        0 => None,
        1 => Some(OpId::new(id.replica, id.counter.wrapping_sub(1))),
        2 => {
            let r = t.replica(c.origin_replica.next()?)?;
            Some(OpId::new(
                r,
                add(id.counter, c.origin_counter.next_signed()?),
            ))
        }
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
    let obj = t.container(c.op_obj.next()?)?.clone();
    Ok(match c.op_kind.next()? {
        MAP_SET => Op::MapSet {
            obj,
            key: t.key(c.op_key.next()?)?.clone(),
            value: read_new_value(c)?,
        },
        MAP_DELETE => Op::MapDelete {
            obj,
            key: t.key(c.op_key.next()?)?.clone(),
        },
        COUNTER_ADD => {
            let offset = c.numbers.offset();
            let delta = match c.numbers.u8()? {
                0 => Number::Int(c.numbers.ivarint()?),
                1 => Number::Float(c.numbers.f64()?),
                tag => return Err(DecodeError::UnknownTag { tag, offset }),
            };
            Op::CounterAdd { obj, delta }
        }
        SET_ADD => Op::SetAdd {
            obj,
            member: read_value(&mut c.values, 0)?,
        },
        SET_REMOVE => {
            let member = read_value(&mut c.values, 0)?;
            let n = c.tag_count.next_usize(*budget)?;
            *budget -= n;
            let mut tags = Vec::with_capacity(n);
            for _ in 0..n {
                let r = t.replica(c.tag_replica.next()?)?;
                tags.push(OpId::new(r, add(id.counter, c.tag_counter.next_signed()?)));
            }
            Op::SetRemove { obj, member, tags }
        }
        kind @ (TEXT_INSERT | LIST_INSERT) => {
            let n = c.ins_len.next_usize(*budget)?;
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
                let ascii = text.as_bytes().get(..n).is_some_and(<[u8]>::is_ascii);
                let byte = match ascii {
                    true => Some(n),
                    false => text
                        .char_indices()
                        .nth(n)
                        .map(|(b, _)| b)
                        .or_else(|| (text.chars().count() == n).then_some(text.len())),
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
            let r = t.replica(c.del_replica.next()?)?;
            let base = c.del_next.unwrap_or(id.counter);
            let target = OpId::new(r, add(base, c.del_counter.next_signed()?));
            let packed = c.del_len.next()?;
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
