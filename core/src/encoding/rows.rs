//! The change log's in-memory blocks of sealed changes: one header byte and a
//! few varints per op, the text after them. A payload's columns are smaller by
//! a few bytes per op, but splitting ops over twenty run-length coded columns
//! takes several times as long, and changes are packed while the user types or
//! a batch merges. Never sent: blocks do not leave the process.
//!
//! Layout: tables; the rows (length-prefixed); the text (length-prefixed). The
//! rows: the change count; per change its replica, start, deps (count, then
//! replica and counter each), stamp (ms, logical) and op count, then per op a
//! header byte and its fields. Header: the op kind (bits 0-3), "same container
//! as the previous op" (bit 4, else its index follows), flags (bits 5-7).
//! - Inserts (text, list): flags left origin the op's own previous counter,
//!   left origin given, right origin given; fields: the text's byte length (or
//!   the element count), each given origin's replica and counter (relative to
//!   the op's id), a list's values.
//! - Delete: flag reversed; fields: target replica, target counter (relative
//!   to where the previous delete left off, as in the columns), length.
//! - Map set / delete: key index (set: then the new value); counter add: the
//!   number; set add: the member; set remove: the member, then the tags' count
//!   and each tag's replica and counter (relative to the op's id); mark: flag
//!   remove; fields: name index, both anchors (a kind byte, then an id if it
//!   names one), value.
//!
//! The WebAssembly build keeps its log in the payload's columns instead
//! ([`super::encode_log_block`]): only [`storable`] of this module is used
//! there.
#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

use super::reader::Reader;
use super::tables::{TableWriter, Tables};
use super::value::{self, read_value, write_value, MAX_DEPTH};
use super::writer::Writer;
use super::DecodeError;
use crate::change::{Anchor, Change, MarkOp, NewValue, Op, SeqContent};
use crate::clock::Hlc;
// The packer's character count (native only, like the rows' fast path).
#[cfg(not(target_arch = "wasm32"))]
use crate::seq::{Content, TextContent};
use crate::{ContainerId, Number, OpId, ReplicaId, Value};

const TEXT_INSERT: u8 = 0;
const LIST_INSERT: u8 = 1;
const DELETE: u8 = 2;
const MAP_SET: u8 = 3;
const MAP_DELETE: u8 = 4;
const COUNTER_ADD: u8 = 5;
const SET_ADD: u8 = 6;
const SET_REMOVE: u8 = 7;
const MARK: u8 = 8;
const KIND: u8 = 0x0f;
const SAME_OBJ: u8 = 0x10;
const LEFT_PREV: u8 = 0x20;
const LEFT_GIVEN: u8 = 0x40;
const RIGHT_GIVEN: u8 = 0x80;
/// Delete: run erased backwards. Mark: removal.
const FLAG: u8 = 0x20;

/// How many items (ops, list elements, tags: what the payload decoder's
/// budget counts, text apart) `c` spends when the change columns hold it, or
/// `None` when the column reader would refuse it or read it back otherwise:
/// the rows' refusals (an empty insert, a zero or too long delete, a value
/// nested too deep, counters that overflow) and an empty change starting at
/// 0 (the columns expect the replica's next change at 1 after it). The
/// WebAssembly change log keeps such changes as they are
/// ([`super::encode_log_block`]).
#[cfg(any(target_arch = "wasm32", test))]
pub(crate) fn storable(c: &Change) -> Option<usize> {
    if c.start == 0 && c.ops.is_empty() {
        return None;
    }
    let mut items = c.ops.len();
    let mut counter = c.start;
    for op in &c.ops {
        let fits = match op {
            Op::SeqInsert { content, .. } => match content {
                SeqContent::Text(s) => !s.is_empty(),
                SeqContent::Values(v) => {
                    items = items.saturating_add(v.len());
                    !v.is_empty() && v.iter().all(new_value_fits)
                }
            },
            Op::SeqDelete { target, len, .. } => deletable(target, *len),
            Op::MapSet { value, .. } => new_value_fits(value),
            Op::SetAdd { member, .. } => value_fits(member, 0),
            Op::SetRemove { member, tags, .. } => {
                items = items.saturating_add(tags.len());
                value_fits(member, 0)
            }
            Op::Mark(m) => value_fits(&m.value, 0),
            Op::MapDelete { .. } | Op::CounterAdd { .. } => true,
        };
        if !fits {
            return None;
        }
        counter = counter.checked_add(op.len().max(1))?;
    }
    Some(items)
}

fn new_value_fits(v: &NewValue) -> bool {
    match v {
        NewValue::Value(v) => value_fits(v, 0),
        NewValue::Container(_) => true,
    }
}

fn value_fits(v: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match v {
        Value::Array(items) => items.iter().all(|v| value_fits(v, depth + 1)),
        Value::Object(map) => map.values().all(|v| value_fits(v, depth + 1)),
        _ => true,
    }
}

fn delta(to: u64, from: u64) -> i64 {
    to.wrapping_sub(from) as i64
}

fn add(counter: u64, delta: i64) -> u64 {
    counter.wrapping_add(delta as u64)
}

/// The changes as one block, or `None` when one of them holds something the
/// reader refuses (an empty insert, a zero-length delete, a value nested
/// deeper than the value decoder allows, counters that overflow: only changes
/// applied through the API can), which the log then keeps as it is. Checked
/// as the ops are written, not in a pass of its own: a session's ops are
/// read once. Sized exactly: the log keeps the bytes as they are.
pub(crate) fn encode_block(changes: &[Change]) -> Option<Vec<u8>> {
    encode_rows::<true>(changes)
}

/// [`encode_block`], with `FAST` (natively) text inserts and deletes written
/// by [`Row`]; without, by the general writer (the test's reference).
fn encode_rows<const FAST: bool>(changes: &[Change]) -> Option<Vec<u8>> {
    let mut t = TableWriter::default();
    // Room for the rows at about eight bytes an op (`Row::put` needs 64
    // spare): grown by doubling from four bytes an op, the buffer was
    // reallocated and copied about a dozen times per block (seph-blog1: 147
    // growths of it and of the text's in 12 blocks, 0.21 M instructions).
    // The texts' bytes are summed as the rows are written, and the texts
    // copied once, from the ops straight into the block after its rows
    // ([`push_texts`]), not gathered in a buffer of their own first.
    let ops: usize = changes.iter().map(|c| c.ops.len()).sum();
    let mut text_len = 0;
    let mut w = Writer {
        buf: Vec::with_capacity(8 * ops + 16 * changes.len() + 64),
        held: None,
    };
    w.uvarint(changes.len() as u64);
    let mut obj = None;
    let mut prev_obj: Option<&ContainerId> = None;
    let mut del_next: Option<u64> = None;
    // Where `Row` writes an op (natively): one array for them all, so none
    // is zeroed per op; bytes past an op's end are cut off, never kept.
    #[cfg(not(target_arch = "wasm32"))]
    let mut row = [0u8; ROW];
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
            #[cfg(not(target_arch = "wasm32"))]
            if FAST {
                let mut fast = || -> Option<Option<u64>> {
                    Some(Some(match op {
                        Op::SeqInsert {
                            obj: o,
                            left,
                            right,
                            content: SeqContent::Text(s),
                        } => {
                            if s.is_empty() {
                                return Some(None);
                            }
                            let mut r = Row::new(&mut row);
                            let mut head = r.obj(&mut t, o, &mut prev_obj, &mut obj);
                            r.uvarint(s.len() as u64);
                            head |= origins(&mut r, &mut t, c.replica, counter, left, right);
                            r.put(&mut w.buf, head | TEXT_INSERT);
                            text_len += s.len();
                            TextContent::measure(s).0 as u64
                        }
                        Op::SeqDelete {
                            obj: o,
                            target,
                            len: n,
                            reversed,
                        } => {
                            if !deletable(target, *n) {
                                return Some(None);
                            }
                            let mut r = Row::new(&mut row);
                            let head = r.obj(&mut t, o, &mut prev_obj, &mut obj);
                            let flags = delete(
                                &mut r,
                                &mut t,
                                target,
                                *n,
                                *reversed,
                                counter,
                                &mut del_next,
                            );
                            r.put(&mut w.buf, head | flags);
                            *n
                        }
                        _ => return None,
                    }))
                };
                match fast() {
                    Some(Some(len)) => {
                        counter = counter.checked_add(len.max(1))?;
                        continue;
                    }
                    Some(None) => return None,
                    None => {}
                }
            }
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
            let mut len = 1;
            match op {
                Op::SeqInsert {
                    left,
                    right,
                    content,
                    ..
                } => {
                    match content {
                        SeqContent::Text(s) => {
                            if s.is_empty() {
                                return None;
                            }
                            w.uvarint(s.len() as u64);
                            text_len += s.len();
                            len = s.chars().count() as u64;
                        }
                        SeqContent::Values(v) => {
                            if v.is_empty() || !v.iter().all(new_value_fits) {
                                return None;
                            }
                            head |= LIST_INSERT;
                            w.uvarint(v.len() as u64);
                            len = v.len() as u64;
                        }
                    }
                    head |= origins(&mut w, &mut t, c.replica, counter, left, right);
                    if let SeqContent::Values(v) = content {
                        for item in v {
                            write_new_value(&mut w, item);
                        }
                    }
                }
                Op::SeqDelete {
                    target,
                    len: n,
                    reversed,
                    ..
                } => {
                    if !deletable(target, *n) {
                        return None;
                    }
                    head |= delete(
                        &mut w,
                        &mut t,
                        target,
                        *n,
                        *reversed,
                        counter,
                        &mut del_next,
                    );
                    len = *n;
                }
                Op::MapSet { key, value, .. } => {
                    if !new_value_fits(value) {
                        return None;
                    }
                    head |= MAP_SET;
                    w.uvarint(t.key(key));
                    write_new_value(&mut w, value);
                }
                Op::MapDelete { key, .. } => {
                    head |= MAP_DELETE;
                    w.uvarint(t.key(key));
                }
                Op::CounterAdd { delta, .. } => {
                    head |= COUNTER_ADD;
                    match delta {
                        Number::Int(i) => {
                            w.u8(0);
                            w.ivarint(*i);
                        }
                        Number::Float(f) => {
                            w.u8(1);
                            w.f64(*f);
                        }
                    }
                }
                Op::SetAdd { member, .. } => {
                    if !value_fits(member, 0) {
                        return None;
                    }
                    head |= SET_ADD;
                    write_value(&mut w, member);
                }
                Op::SetRemove { member, tags, .. } => {
                    if !value_fits(member, 0) {
                        return None;
                    }
                    head |= SET_REMOVE;
                    write_value(&mut w, member);
                    w.uvarint(tags.len() as u64);
                    for tag in tags {
                        w.uvarint(t.replica(tag.replica));
                        w.ivarint(delta(tag.counter, counter));
                    }
                }
                Op::Mark(m) => {
                    if !value_fits(&m.value, 0) {
                        return None;
                    }
                    head |= MARK;
                    if m.remove {
                        head |= FLAG;
                    }
                    w.uvarint(t.key(&m.name));
                    for a in [&m.start, &m.end] {
                        let (kind, id) = match a {
                            Anchor::Start => (0, None),
                            Anchor::Before(id) => (1, Some(id)),
                            Anchor::After(id) => (2, Some(id)),
                            Anchor::End => (3, None),
                        };
                        w.u8(kind);
                        if let Some(id) = id {
                            w.uvarint(t.replica(id.replica));
                            w.ivarint(delta(id.counter, counter));
                        }
                    }
                    write_value(&mut w, &m.value);
                }
            }
            w.buf[at] = head;
            counter = counter.checked_add(len.max(1))?;
        }
    }
    let mut tables = Writer::new();
    t.write(&mut tables);
    let varint = |n: usize| (usize::BITS - n.leading_zeros()).max(1).div_ceil(7) as usize;
    let size = tables.buf.len() + varint(w.buf.len()) + w.buf.len() + varint(text_len) + text_len;
    let mut out = Writer {
        buf: Vec::with_capacity(size),
        held: None,
    };
    out.buf.extend_from_slice(&tables.buf);
    out.bytes(&w.buf);
    out.uvarint(text_len as u64);
    push_texts(&mut out.buf, changes);
    debug_assert_eq!(out.buf.len(), size, "every text counted once");
    Some(out.buf)
}

/// Appends the texts of `changes`' text inserts, in op order: a block's
/// text, which follows its rows. Written from the ops straight into the
/// block rather than gathered in a buffer of their own while the rows were
/// written and then copied after them: every text was copied twice (a
/// session's pastes, on rustcode, most of the bytes), through a buffer
/// allocated and freed per block.
fn push_texts(out: &mut Vec<u8>, changes: &[Change]) {
    for c in changes {
        for op in &c.ops {
            if let Op::SeqInsert {
                content: SeqContent::Text(s),
                ..
            } = op
            {
                out.extend_from_slice(s.as_bytes());
            }
        }
    }
}

/// Where an op's varints go: the rows themselves, or natively a [`Row`]
/// first. The op fields both write are spelled once, over this.
trait Varints {
    fn uvarint(&mut self, v: u64);
    fn ivarint(&mut self, v: i64);
}

impl Varints for Writer {
    #[inline(always)]
    fn uvarint(&mut self, v: u64) {
        Writer::uvarint(self, v);
    }

    #[inline(always)]
    fn ivarint(&mut self, v: i64) {
        Writer::ivarint(self, v);
    }
}

/// An insert's origins, each given one's replica and counter written;
/// returns their header flags.
#[inline(always)]
fn origins(
    w: &mut impl Varints,
    t: &mut TableWriter,
    replica: ReplicaId,
    counter: u64,
    left: &Option<OpId>,
    right: &Option<OpId>,
) -> u8 {
    let mut head = 0;
    match left {
        None => {}
        Some(l) if l.replica == replica && l.counter.wrapping_add(1) == counter => {
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
    head
}

/// Whether a delete of `n` from `target` has a row: a length the decoder's
/// counters can hold.
#[inline(always)]
fn deletable(target: &OpId, n: u64) -> bool {
    n != 0 && n >> 62 == 0 && target.counter.checked_add(n).is_some()
}

/// A delete's fields (checked by [`deletable`]), its target relative to
/// where the previous delete left off; returns its kind and flags.
#[inline(always)]
fn delete(
    w: &mut impl Varints,
    t: &mut TableWriter,
    target: &OpId,
    n: u64,
    reversed: bool,
    counter: u64,
    del_next: &mut Option<u64>,
) -> u8 {
    w.uvarint(t.replica(target.replica));
    w.ivarint(delta(target.counter, del_next.unwrap_or(counter)));
    w.uvarint(n);
    *del_next = Some(if reversed {
        target.counter.wrapping_sub(1)
    } else {
        target.counter.wrapping_add(n)
    });
    if reversed {
        DELETE | FLAG
    } else {
        DELETE
    }
}

/// The most bytes [`Row`] writes for an op: a header byte and five varints
/// (the container, a text's length, two origins' replicas and counters; a
/// delete has four) of at most ten bytes each, rounded up to a power of two.
#[cfg(not(target_arch = "wasm32"))]
const ROW: usize = 64;

/// One text insert's or delete's bytes, written natively into a local array
/// and appended to the rows at once: the general writer pushes byte by byte
/// into the rows' `Vec`, whose length and pointer the table lookups between
/// the pushes keep in memory (a load, a capacity check and two stores per
/// byte). It must write what the general writer does (tested against it).
#[cfg(not(target_arch = "wasm32"))]
struct Row<'b> {
    buf: &'b mut [u8; ROW],
    /// Bytes written, the header's slot (0) included.
    n: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl Varints for Row<'_> {
    /// Unsigned LEB128, as [`Writer::uvarint`]. The index is masked: no op
    /// writes past [`ROW`] bytes, so the mask never changes it and there is
    /// no bounds check per byte.
    #[inline(always)]
    fn uvarint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf[self.n & (ROW - 1)] = (v as u8) | 0x80;
            self.n += 1;
            v >>= 7;
        }
        self.buf[self.n & (ROW - 1)] = v as u8;
        self.n += 1;
    }

    #[inline(always)]
    fn ivarint(&mut self, v: i64) {
        self.uvarint(((v << 1) ^ (v >> 63)) as u64);
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl<'b> Row<'b> {
    #[inline(always)]
    fn new(buf: &'b mut [u8; ROW]) -> Self {
        Self { buf, n: 1 }
    }

    /// The op's container: the "same container" bit, or its index written.
    #[inline(always)]
    fn obj<'a>(
        &mut self,
        t: &mut TableWriter,
        o: &'a ContainerId,
        prev_obj: &mut Option<&'a ContainerId>,
        obj: &mut Option<u64>,
    ) -> u8 {
        if *prev_obj == Some(o) {
            return SAME_OBJ;
        }
        *prev_obj = Some(o);
        let i = t.container(o);
        if *obj == Some(i) {
            return SAME_OBJ;
        }
        self.uvarint(i);
        *obj = Some(i);
        0
    }

    /// Appends the row, `head` first: the whole array (a fixed-size copy, no
    /// call), then the unused end cut off.
    #[inline(always)]
    fn put(self, out: &mut Vec<u8>, head: u8) {
        self.buf[0] = head;
        out.extend_from_slice(&self.buf[..]);
        out.truncate(out.len() - (ROW - self.n));
    }
}

fn write_new_value(w: &mut Writer, v: &NewValue) {
    match v {
        NewValue::Value(v) => {
            w.u8(0);
            write_value(w, v);
        }
        NewValue::Container(k) => w.u8(1 + k.tag()),
    }
}

fn corrupt(what: &'static str) -> DecodeError {
    DecodeError::Corrupt { offset: 0, what }
}

/// Reads a block [`encode_block`] wrote. It never panics, whatever the bytes,
/// and allocates no more than their length allows.
pub(crate) fn decode_block(bytes: &[u8]) -> Result<Vec<Change>, DecodeError> {
    let mut r = Reader::new(bytes);
    let t = Tables::read(&mut r)?;
    let rows = r.bytes()?;
    let mut text = r.str()?;
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes(r.remaining()));
    }
    let mut r = Reader::new(rows);
    // Every change takes at least six bytes.
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
            deps.push(OpId::new(t.replica(r.uvarint()?)?, r.uvarint()?));
        }
        let ms = r.uvarint()?;
        let logical =
            u32::try_from(r.uvarint()?).map_err(|_| corrupt("HLC logical counter out of range"))?;
        // Every op takes at least two bytes.
        let nops = r.count(2)?;
        let mut ops = Vec::with_capacity(nops);
        let mut counter = start;
        for _ in 0..nops {
            let head = r.u8()?;
            if head & SAME_OBJ == 0 {
                obj = Some(t.container(r.uvarint()?)?.clone());
            }
            let obj = obj.clone().ok_or(corrupt("op without a container"))?;
            let op = match head & KIND {
                kind @ (TEXT_INSERT | LIST_INSERT) => {
                    let n = usize::try_from(r.uvarint()?).unwrap_or(usize::MAX);
                    let s = if kind == TEXT_INSERT {
                        let s = text
                            .get(..n)
                            .ok_or(corrupt("insert not on the text's character boundaries"))?;
                        text = &text[n..];
                        Some(s)
                    } else {
                        None
                    };
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
                    let content = match s {
                        Some(s) => SeqContent::Text(s.to_owned()),
                        None => {
                            // Every value takes at least one byte.
                            if n > r.remaining() {
                                return Err(corrupt("list insert longer than its block"));
                            }
                            let mut items = Vec::with_capacity(n);
                            for _ in 0..n {
                                items.push(read_new_value(&mut r)?);
                            }
                            SeqContent::Values(items)
                        }
                    };
                    if content.is_empty() {
                        return Err(corrupt("empty insert"));
                    }
                    Op::SeqInsert {
                        obj,
                        left,
                        right,
                        content,
                    }
                }
                DELETE => {
                    let tr = t.replica(r.uvarint()?)?;
                    let tc = add(del_next.unwrap_or(counter), r.ivarint()?);
                    let len = r.uvarint()?;
                    let reversed = head & FLAG != 0;
                    if len == 0 || len >> 62 != 0 || tc.checked_add(len).is_none() {
                        return Err(corrupt("bad delete length"));
                    }
                    del_next = Some(if reversed {
                        tc.wrapping_sub(1)
                    } else {
                        tc + len
                    });
                    Op::SeqDelete {
                        obj,
                        target: OpId::new(tr, tc),
                        len,
                        reversed,
                    }
                }
                MAP_SET => Op::MapSet {
                    obj,
                    key: t.key(r.uvarint()?)?.clone(),
                    value: read_new_value(&mut r)?,
                },
                MAP_DELETE => Op::MapDelete {
                    obj,
                    key: t.key(r.uvarint()?)?.clone(),
                },
                COUNTER_ADD => {
                    let offset = r.offset();
                    let delta = match r.u8()? {
                        0 => Number::Int(r.ivarint()?),
                        1 => Number::Float(r.f64()?),
                        tag => return Err(DecodeError::UnknownTag { tag, offset }),
                    };
                    Op::CounterAdd { obj, delta }
                }
                SET_ADD => Op::SetAdd {
                    obj,
                    member: read_value(&mut r, 0)?,
                },
                SET_REMOVE => {
                    let member = read_value(&mut r, 0)?;
                    let n = r.count(2)?;
                    let mut tags = Vec::with_capacity(n);
                    for _ in 0..n {
                        tags.push(read_id(&mut r, &t, counter)?);
                    }
                    Op::SetRemove { obj, member, tags }
                }
                MARK => {
                    let name = t.key(r.uvarint()?)?.clone();
                    let start = read_anchor(&mut r, &t, counter)?;
                    let end = read_anchor(&mut r, &t, counter)?;
                    Op::Mark(Box::new(MarkOp {
                        obj,
                        start,
                        end,
                        name,
                        value: read_value(&mut r, 0)?,
                        remove: head & FLAG != 0,
                    }))
                }
                _ => return Err(corrupt("unknown op kind")),
            };
            counter = counter
                .checked_add(op.len())
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
    if r.remaining() != 0 || !text.is_empty() {
        return Err(corrupt("a block holds more than its changes use"));
    }
    Ok(out)
}

fn read_id(r: &mut Reader<'_>, t: &Tables, counter: u64) -> Result<OpId, DecodeError> {
    let replica = t.replica(r.uvarint()?)?;
    Ok(OpId::new(replica, add(counter, r.ivarint()?)))
}

fn read_anchor(r: &mut Reader<'_>, t: &Tables, counter: u64) -> Result<Anchor, DecodeError> {
    Ok(match r.u8()? {
        0 => Anchor::Start,
        1 => Anchor::Before(read_id(r, t, counter)?),
        2 => Anchor::After(read_id(r, t, counter)?),
        3 => Anchor::End,
        _ => return Err(corrupt("unknown anchor kind")),
    })
}

fn read_new_value(r: &mut Reader<'_>) -> Result<NewValue, DecodeError> {
    let offset = r.offset();
    let kind = r.u8()?;
    value::read_new_value(u64::from(kind), offset, r)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::ContainerKind;
    use std::sync::Arc;

    /// splitmix64: a fixed-seed generator, so a failure repeats.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        /// Small mostly, sometimes up to every varint length.
        fn counter(&mut self) -> u64 {
            match self.below(4) {
                0 => self.below(100),
                1 => self.below(1 << 20),
                2 => self.below(1 << 40),
                _ => self.below(1 << 62),
            }
        }
    }

    const PIECES: [&str; 6] = ["a", "x", "hello ", "é", "日本", "🦀z"];

    fn random_changes(rng: &mut Rng) -> Vec<Change> {
        let replicas = [ReplicaId(1), ReplicaId(7), ReplicaId(u64::MAX)];
        let name: Arc<str> = Arc::from("doc");
        let objs = [
            ContainerId::Named {
                name: name.clone(),
                kind: ContainerKind::Text,
            },
            // The same container under another `Arc`.
            ContainerId::Named {
                name: Arc::from("doc"),
                kind: ContainerKind::Text,
            },
            ContainerId::Named {
                name,
                kind: ContainerKind::List,
            },
            ContainerId::Created {
                id: OpId::new(replicas[1], 3),
                kind: ContainerKind::Text,
            },
        ];
        let pick = |rng: &mut Rng| replicas[rng.below(3) as usize];
        let id = |rng: &mut Rng| OpId::new(pick(rng), rng.counter());
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let replica = pick(rng);
            let start = 1 + rng.counter();
            let mut counter = start;
            let mut ops = Vec::new();
            let mut obj = objs[0].clone();
            for _ in 0..rng.below(40) {
                if rng.below(8) == 0 {
                    obj = objs[rng.below(4) as usize].clone();
                }
                let op = match rng.below(7) {
                    0..=2 => {
                        let mut s = String::new();
                        let most = if rng.below(8) == 0 { 40 } else { 3 };
                        for _ in 0..1 + rng.below(most) {
                            s.push_str(PIECES[rng.below(6) as usize]);
                        }
                        let left = match rng.below(4) {
                            0 => None,
                            1 | 2 => Some(OpId::new(replica, counter.wrapping_sub(1))),
                            _ => Some(id(rng)),
                        };
                        let right = (rng.below(2) == 0).then(|| id(rng));
                        Op::SeqInsert {
                            obj: obj.clone(),
                            left,
                            right,
                            content: SeqContent::Text(s),
                        }
                    }
                    3..=5 => Op::SeqDelete {
                        obj: obj.clone(),
                        target: id(rng),
                        len: 1 + if rng.below(4) == 0 {
                            rng.counter()
                        } else {
                            rng.below(5)
                        },
                        reversed: rng.below(2) == 0,
                    },
                    // Written by the general writer either way, between the
                    // fast ones: the container state they share must agree.
                    _ => Op::MapSet {
                        obj: obj.clone(),
                        key: Arc::from("k"),
                        value: NewValue::Value(Value::Int(rng.below(1000) as i64)),
                    },
                };
                counter = counter.wrapping_add(op.len());
                ops.push(op);
            }
            changes.push(Change {
                replica,
                start,
                deps: Vec::new(),
                hlc: Hlc::new(rng.below(1 << 45), rng.below(3) as u32),
                ops,
            });
        }
        changes
    }

    #[test]
    fn rows_write_text_inserts_and_deletes_as_the_general_writer_does() {
        let mut rng = Rng(0x85eb_ca6b);
        let mut blocks = 0;
        for _ in 0..3000 {
            let changes = random_changes(&mut rng);
            let fast = encode_rows::<true>(&changes);
            assert_eq!(fast, encode_rows::<false>(&changes), "{changes:?}");
            if let Some(bytes) = fast {
                blocks += 1;
                assert_eq!(decode_block(&bytes).as_ref(), Ok(&changes));
            }
        }
        // Most blocks are written (the rest overflow their counters).
        assert!(blocks > 2000, "{blocks} blocks");
    }

    #[test]
    fn rows_refuse_what_the_general_writer_refuses() {
        let obj = ContainerId::Named {
            name: Arc::from("t"),
            kind: ContainerKind::Text,
        };
        let target = OpId::new(ReplicaId(2), 5);
        let bad = [
            Op::SeqInsert {
                obj: obj.clone(),
                left: None,
                right: None,
                content: SeqContent::Text(String::new()),
            },
            Op::SeqDelete {
                obj: obj.clone(),
                target,
                len: 0,
                reversed: false,
            },
            Op::SeqDelete {
                obj: obj.clone(),
                target,
                len: 1 << 62,
                reversed: true,
            },
            Op::SeqDelete {
                obj,
                target: OpId::new(ReplicaId(2), u64::MAX - 1),
                len: 2,
                reversed: false,
            },
        ];
        for op in bad {
            let changes = vec![Change {
                replica: ReplicaId(1),
                start: 1,
                deps: Vec::new(),
                hlc: Hlc::new(1, 0),
                ops: vec![op],
            }];
            assert_eq!(encode_rows::<true>(&changes), None);
            assert_eq!(encode_rows::<false>(&changes), None);
        }
    }
}
