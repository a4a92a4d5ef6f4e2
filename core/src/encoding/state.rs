//! The state section: every container's current state plus the version it
//! reflects, so that loading rebuilds a document linearly instead of replaying
//! its history. Sequences are written as their spans in document order
//! (tombstones included, so later concurrent ops still merge), deleted content
//! omitted: nobody can see it, and the changes section keeps it when needed.

use crate::hash::FxHashMap;

use super::column::{push_id, unzigzag, RleReader, RleWriter};
use super::reader::Reader;
use super::tables::{TableWriter, Tables};
use super::value::{read_value, value_key, write_value};
use super::writer::Writer;
use super::{text_block, DecodeError};
use crate::change::NewValue;
use crate::clock::{Hlc, VersionVector};
use crate::doc::counter::{CounterState, Totals};
use crate::doc::map::{Entry, FieldValue, MapState};
use crate::doc::seq::{LazyText, ListState, NestedKinds, TextState};
use crate::doc::set::{Member, SetState};
use crate::doc::stamp::Stamp;
use crate::doc::state::{new_container_id, Container};
use crate::seq::{Builder, Content, ListContent, Seq, SpanEntry, TextContent};
use crate::{ContainerId, ContainerKind, OpId, Value};

/// What a state section holds.
pub(crate) struct StateParts {
    pub(crate) version: VersionVector,
    pub(crate) frontier: Vec<OpId>,
    pub(crate) hlc: Hlc,
    pub(crate) containers: Vec<(ContainerId, Container)>,
}

/// Where a snapshot's inserted elements are, so that its insert ops need not
/// repeat their origins and content: those are read back from the spans.
#[derive(Default)]
pub(crate) struct Derive {
    text: String,
    values: Vec<Value>,
    nested: NestedKinds,
    /// Sorted by id.
    spans: Vec<SpanRef>,
    /// Where the last lookup ended: ops are read in counter order, so the next
    /// lookup is usually in the same or the next span.
    hint: std::cell::Cell<usize>,
}

struct SpanRef {
    id: OpId,
    len: u64,
    left: Option<OpId>,
    right: Option<OpId>,
    deleted: bool,
    /// Byte range in `text`, or the index range in `values`.
    start: usize,
    end: usize,
}

/// Derivation tables of every sequence in a snapshot, found through the
/// container index's map type rather than a hash map of their own (whose code
/// was 1.5 KB of the WASM module).
#[derive(Default)]
pub(crate) struct Derived {
    index: FxHashMap<ContainerId, u32>,
    tables: Vec<Derive>,
}

impl Derived {
    /// A later table for the same container replaces the earlier one, as a map's would.
    fn insert(&mut self, id: ContainerId, table: Derive) {
        match self.index.get(&id) {
            Some(&i) => self.tables[i as usize] = table,
            None => {
                self.index.insert(id, self.tables.len() as u32);
                self.tables.push(table);
            }
        }
    }

    pub(crate) fn get(&self, id: &ContainerId) -> Option<&Derive> {
        self.index.get(id).map(|&i| &self.tables[i as usize])
    }
}

impl Derive {
    fn find(&self, id: OpId) -> Option<(&SpanRef, u64)> {
        let covers = |s: &SpanRef| {
            s.id.replica == id.replica
                && id.counter >= s.id.counter
                && id.counter - s.id.counter < s.len
        };
        let hint = self.hint.get();
        for i in [hint, hint + 1] {
            if let Some(s) = self.spans.get(i).filter(|s| covers(s)) {
                self.hint.set(i);
                return Some((s, id.counter - s.id.counter));
            }
        }
        let key = id_key(id);
        let i = self
            .spans
            .partition_point(|s| id_key(s.id) <= key)
            .checked_sub(1)?;
        let s = &self.spans[i];
        self.hint.set(i);
        covers(s).then(|| (s, id.counter - s.id.counter))
    }

    /// The origins of the insert run starting at `id`.
    pub(crate) fn origins(&self, id: OpId) -> Option<(Option<OpId>, Option<OpId>)> {
        let (s, off) = self.find(id)?;
        let left = if off == 0 {
            s.left
        } else {
            Some(OpId::new(id.replica, id.counter - 1))
        };
        Some((left, s.right))
    }

    /// Calls `piece` for each stretch of the run `id..id + n`: its span, the
    /// offset into it and how many elements.
    fn pieces(&self, id: OpId, n: u64, mut piece: impl FnMut(&SpanRef, u64, u64)) -> Option<()> {
        let mut cur = id.counter;
        let end = id.counter.checked_add(n)?;
        while cur < end {
            let (s, off) = self.find(OpId::new(id.replica, cur))?;
            let take = (s.len - off).min(end - cur);
            piece(s, off, take);
            cur += take;
        }
        Some(())
    }

    /// The characters of the text insert run `id..id + n` (deleted ones as NUL:
    /// their content is not kept).
    pub(crate) fn text(&self, id: OpId, n: u64) -> Option<String> {
        let mut out = String::new();
        // A forged insert may name a list's spans as text: they index no text.
        let mut found = true;
        self.pieces(id, n, |s, off, take| {
            if s.deleted {
                out.extend(std::iter::repeat_n('\0', take as usize));
            } else if let Some(run) = self.text.get(s.start..s.end) {
                if run.len() == s.len as usize {
                    // ASCII: characters are bytes.
                    out.push_str(run.get(off as usize..(off + take) as usize).unwrap_or(""));
                } else {
                    let tail = crate::seq::char_end(run, off as usize).map_or("", |at| &run[at..]);
                    let end = crate::seq::char_end(tail, take as usize).unwrap_or(tail.len());
                    out.push_str(&tail[..end]);
                }
            } else {
                found = false;
            }
        })?;
        found.then_some(out)
    }

    /// The elements of the list insert run `id..id + n`.
    pub(crate) fn items(&self, id: OpId, n: u64) -> Option<Vec<NewValue>> {
        let mut out = Vec::new();
        self.pieces(id, n, |s, off, take| {
            for k in 0..take {
                let eid = OpId::new(id.replica, s.id.counter + off + k);
                out.push(match self.nested.get(eid) {
                    Some(kind) => NewValue::Container(kind),
                    None if s.deleted => NewValue::Value(Value::Null),
                    None => NewValue::Value(
                        self.values
                            .get(s.start + (off + k) as usize)
                            .cloned()
                            .unwrap_or(Value::Null),
                    ),
                });
            }
        })?;
        Some(out)
    }
}

impl Derive {
    /// The derivation table of a sequence just loaded: its spans as it would
    /// write them (those of the snapshot), with their content laid end to end
    /// by `content` (which returns the range it took).
    fn of<C: Content>(seq: &Seq<C>, mut content: impl FnMut(&C::Slice) -> (usize, usize)) -> Self {
        let spans: Vec<SpanRef> = seq
            .spans()
            .map(|e| {
                let (start, end) = if e.deleted {
                    (0, 0)
                } else {
                    content(&e.content)
                };
                SpanRef {
                    id: e.id,
                    len: e.len as u64,
                    left: e.origin_left,
                    right: e.origin_right,
                    deleted: e.deleted,
                    start,
                    end,
                }
            })
            .collect();
        Self::sorted(spans)
    }

    /// The table of `spans` sorted by id: apart from [`Derive::of`], which is
    /// compiled per content type, so that the sort is compiled once.
    fn sorted(mut spans: Vec<SpanRef>) -> Self {
        spans.sort_unstable_by_key(|s| id_key(s.id));
        Derive {
            spans,
            ..Derive::default()
        }
    }
}

/// Ids as one integer, ordered by replica then counter: cheaper to compare.
fn id_key(id: OpId) -> u128 {
    (u128::from(id.replica.0) << 64) | u128::from(id.counter)
}

fn corrupt(what: &'static str) -> DecodeError {
    DecodeError::Corrupt { offset: 0, what }
}

fn write_id(w: &mut Writer, t: &mut TableWriter, id: OpId) {
    w.uvarint(t.replica(id.replica));
    w.uvarint(id.counter);
}

fn read_id(r: &mut Reader<'_>, t: &Tables) -> Result<OpId, DecodeError> {
    t.read_id(r)
}

/// Whether a container can be left out: root-named containers exist implicitly,
/// so an empty one is the same as none.
fn skippable(id: &ContainerId, c: &Container) -> bool {
    matches!(id, ContainerId::Named { .. })
        && match c {
            Container::Map(m) => m.entries.is_empty(),
            Container::Counter(c) => c.is_empty(),
            Container::Set(s) => s.members.is_empty(),
            Container::Text(t) => t.seq.total_len() == 0,
            Container::List(l) => l.seq.total_len() == 0,
        }
}

pub(crate) fn write_state<'a>(
    w: &mut Writer,
    t: &mut TableWriter,
    version: &VersionVector,
    frontier: &[OpId],
    hlc: Hlc,
    containers: impl Iterator<Item = (&'a ContainerId, &'a Container)>,
) {
    w.uvarint(version.len() as u64);
    for (r, c) in version.iter() {
        write_id(w, t, OpId::new(r, c));
    }
    w.uvarint(frontier.len() as u64);
    for id in frontier {
        write_id(w, t, *id);
    }
    w.uvarint(hlc.ms);
    w.uvarint(u64::from(hlc.logical));
    let mut sorted: Vec<_> = containers.filter(|(id, c)| !skippable(id, c)).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    w.uvarint(sorted.len() as u64);
    for (id, c) in sorted {
        w.uvarint(t.container(id));
        match c {
            Container::Map(m) => write_map(w, t, m),
            Container::Counter(c) => {
                w.uvarint(c.len() as u64);
                for (r, tot) in c.iter() {
                    w.uvarint(t.replica(*r));
                    w.ivarint(tot.int);
                    w.u8(u8::from(tot.has_float));
                    if tot.has_float {
                        w.f64(tot.float);
                    }
                }
            }
            Container::Set(s) => {
                w.uvarint(s.members.len() as u64);
                for m in s.members.values() {
                    write_value(w, &m.value);
                    w.uvarint(m.tags.len() as u64);
                    for tag in &m.tags {
                        write_id(w, t, *tag);
                    }
                }
            }
            Container::Text(s) => {
                let mut text = String::new();
                let spans = span_heads(&s.seq, |e| {
                    if !e.deleted {
                        text.push_str(&e.content);
                    }
                });
                write_spans(w, t, &spans);
                text_block::write_state_text(w, &text);
            }
            Container::List(l) => {
                let mut values = Writer::new();
                let mut n = 0u64;
                let spans = span_heads(&l.seq, |e| {
                    if !e.deleted {
                        for v in e.content.iter() {
                            write_value(&mut values, v);
                            n += 1;
                        }
                    }
                });
                write_spans(w, t, &spans);
                w.uvarint(n);
                w.bytes(&values.buf);
                let nested = l.containers.sorted();
                w.uvarint(nested.len() as u64);
                for (id, kind) in nested {
                    write_id(w, t, id);
                    w.u8(kind.tag());
                }
            }
        }
    }
}

fn write_map(w: &mut Writer, t: &mut TableWriter, m: &MapState) {
    w.uvarint(m.entries.len() as u64);
    for (key, e) in m.sorted() {
        w.uvarint(t.key(key));
        w.uvarint(e.stamp.hlc.ms);
        w.uvarint(u64::from(e.stamp.hlc.logical));
        write_id(w, t, OpId::new(e.stamp.replica, e.stamp.counter));
        match &e.value {
            None => w.u8(0),
            Some(FieldValue::Value(v)) => {
                w.u8(1);
                write_value(w, v);
            }
            Some(FieldValue::Container(c)) => w.u8(2 + c.kind().tag()),
        }
    }
}

/// A span as the span columns hold it: everything but its content, so that
/// the column writer is compiled once for text and list spans.
struct SpanHead {
    id: OpId,
    len: u64,
    left: Option<OpId>,
    right: Option<OpId>,
    deleted: bool,
}

/// The spans of `seq` in document order without their content, each span's
/// content handed to `content` on the way.
fn span_heads<C: Content>(
    seq: &Seq<C>,
    mut content: impl FnMut(&SpanEntry<'_, C::Slice>),
) -> Vec<SpanHead> {
    seq.spans()
        .map(|e| {
            content(&e);
            SpanHead {
                id: e.id,
                len: e.len as u64,
                left: e.origin_left,
                right: e.origin_right,
                deleted: e.deleted,
            }
        })
        .collect()
}

/// The span columns, in the order they are written.
const S_REPLICA: usize = 0;
const S_LEN: usize = 1;
const S_FLAGS: usize = 2;
const S_LINK: usize = 3;
const S_OREPLICA: usize = 4;
const S_OCOUNTER: usize = 5;
const S_ORDER: usize = 6;
const S_GAP: usize = 7;
const SPAN_COLUMNS: usize = 8;

/// Span columns: replica; length; flags (`deleted + 2 × left kind + 8 × right
/// kind + 32 × new id run`, the kinds as the `ORIGIN_*` constants below say);
/// links (how many spans away a linked origin is, less 2); explicit origins'
/// replica and counter (delta from the previous span's end on the left, from
/// the span's first counter on the right); then the id runs in counter order
/// (see `docs/encoding.md`): each one's document-order index as a delta from
/// the previous one's, and the counters skipped before it, as plain varints
/// (they seldom repeat: run-length coded, they were larger and slower to
/// read, docs/benchmarks.md, branch `import22`). Flags repeat a
/// lot (typing at the end of a document gives `0 + 2 + 0` for every span).
fn write_spans(w: &mut Writer, t: &mut TableWriter, spans: &[SpanHead]) {
    let mut cols = [RleWriter::EMPTY; SPAN_COLUMNS];
    let mut prev_end: Option<OpId> = None;
    // The id runs (spans whose ids continue the previous span's are one
    // run): (replica slot, first counter, index in document order, end).
    // Slots are numbered in order of first appearance, as the decoder's
    // table numbers them; `slot_of` maps a replica's table index (dense) to
    // its slot, so a document with many writers is not searched per run.
    let mut slot_of: Vec<u32> = Vec::new();
    let mut slots = 0u32;
    let mut runs: Vec<(u32, u64, u32, u64)> = Vec::new();
    for (i, e) in spans.iter().enumerate() {
        let table_index = t.replica(e.id.replica);
        cols[S_REPLICA].push(table_index);
        let end_base = prev_end.map_or(0, |p| p.counter);
        let prev_last = prev_end.map(|p| OpId::new(p.replica, p.counter.wrapping_sub(1)));
        let left = match e.left {
            None => ORIGIN_NONE,
            Some(o) if Some(o) == prev_last => ORIGIN_ADJACENT,
            Some(o) => match (2..=i.min(LINK_REACH + 1)).find(|&k| last_id(&spans[i - k]) == o) {
                Some(k) => {
                    cols[S_LINK].push((k - 2) as u64);
                    ORIGIN_LINKED
                }
                None => {
                    push_id(&mut cols, S_OREPLICA, S_OCOUNTER, t, o, end_base);
                    ORIGIN_EXPLICIT
                }
            },
        };
        cols[S_LEN].push(e.len);
        let next_first = spans.get(i + 1).map(|n| n.id);
        let right = match e.right {
            None => ORIGIN_NONE,
            Some(o) if Some(o) == next_first => ORIGIN_ADJACENT,
            Some(o) => {
                match (2..=LINK_REACH + 1).find(|&k| spans.get(i + k).is_some_and(|s| s.id == o)) {
                    Some(k) => {
                        cols[S_LINK].push((k - 2) as u64);
                        ORIGIN_LINKED
                    }
                    None => {
                        push_id(&mut cols, S_OREPLICA, S_OCOUNTER, t, o, e.id.counter);
                        ORIGIN_EXPLICIT
                    }
                }
            }
        };
        let end = e.id.counter + e.len;
        let new_run = prev_end != Some(e.id);
        if new_run {
            let ti = table_index as usize;
            if slot_of.len() <= ti {
                slot_of.resize(ti + 1, u32::MAX);
            }
            if slot_of[ti] == u32::MAX {
                slot_of[ti] = slots;
                slots += 1;
            }
            runs.push((slot_of[ti], e.id.counter, runs.len() as u32, end));
        } else if let Some(run) = runs.last_mut() {
            run.3 = end;
        }
        cols[S_FLAGS].push(u64::from(e.deleted) + 2 * left + 8 * right + 32 * u64::from(new_run));
        prev_end = Some(OpId::new(e.id.replica, end));
    }
    // Counter order: a replica's runs one after another, replicas by slot.
    runs.sort_unstable();
    let (mut at, mut run_end, mut slot) = (0u32, 1u64, u32::MAX);
    for &(s, counter, index, end) in &runs {
        if s != slot {
            (slot, run_end) = (s, 1);
        }
        cols[S_ORDER]
            .raw()
            .ivarint(i64::from(index) - i64::from(at));
        cols[S_GAP].raw().uvarint(counter - run_end);
        (at, run_end) = (index, end);
    }
    w.uvarint(spans.len() as u64);
    for col in cols {
        w.bytes(&col.finish());
    }
}

/// Longest tombstone a span may claim: a sequence holds fewer elements anyway.
const TOMBSTONE_MAX: usize = 1 << 31;

/// Tombstones up to this long are loaded with placeholder content; longer ones
/// as lengths only. Placeholders cost a few bytes each, while every length-only
/// tombstone makes reading content elsewhere look its lv up among them.
const SHORT_TOMBSTONE: usize = 64;

/// How a span's origin is written (two bits of its flags for each side).
const ORIGIN_NONE: u64 = 0;
/// The left neighbour span's last element (left), or the right neighbour's first.
const ORIGIN_ADJACENT: u64 = 1;
/// The last element of a span further left, or the first of one further right,
/// by its distance in spans: text typed into the middle of a run splits it around
/// the new span, so an origin is nearly always a span boundary a few spans away.
const ORIGIN_LINKED: u64 = 2;
/// By replica and counter.
const ORIGIN_EXPLICIT: u64 = 3;
/// How many spans away a linked origin may be.
const LINK_REACH: usize = 64;

fn last_id(e: &SpanHead) -> OpId {
    OpId::new(e.id.replica, e.id.counter + e.len - 1)
}

/// A spans section's columns, framed but not yet decoded: a text's spans are
/// decoded only once the text block after them has been inflated, so that the
/// characters it proves are credited to the budget first.
struct SpanColumns<'a> {
    n: usize,
    /// Where the span count was read, for reporting it.
    offset: usize,
    replica: RleReader<'a>,
    len: RleReader<'a>,
    flags: RleReader<'a>,
    link: RleReader<'a>,
    oreplica: RleReader<'a>,
    ocounter: RleReader<'a>,
    order: RleReader<'a>,
    gap: RleReader<'a>,
}

impl<'a> SpanColumns<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, DecodeError> {
        // Not bounded by the bytes left here: run-length columns hold many
        // spans in a byte, and a snapshot's text sits apart from its columns.
        // `decode` charges the spans to the item budget before allocating.
        let offset = r.offset();
        let n = r.uvarint()?;
        let n =
            usize::try_from(n).map_err(|_| DecodeError::LengthTooLarge { claimed: n, offset })?;
        let mut cols = [RleReader::EMPTY; SPAN_COLUMNS];
        super::column::frame(r, &mut cols)?;
        let [replica, len, flags, link, oreplica, ocounter, order, gap] = cols;
        Ok(SpanColumns {
            n,
            offset,
            replica,
            len,
            flags,
            link,
            oreplica,
            ocounter,
            order,
            gap,
        })
    }

    /// Decodes the spans into a builder. `content(len, deleted, hole)` takes each
    /// span's content (placeholders for a short tombstone, nothing for a hole)
    /// and returns its length in UTF-16 units.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn decode(
        self,
        t: &Tables,
        budget: &mut usize,
        content: &mut impl FnMut(usize, bool, bool) -> Result<u32, DecodeError>,
    ) -> Result<Builder, DecodeError> {
        // The WebAssembly build calls the content through a pointer, so that
        // the loop is compiled once for texts and lists.
        #[cfg(target_arch = "wasm32")]
        let content: &mut dyn FnMut(usize, bool, bool) -> Result<u32, DecodeError> = content;
        // Natively, spans all of one replica (its column one run: a text
        // typed by one writer) take a loop that does not read the column.
        #[cfg(not(target_arch = "wasm32"))]
        {
            let mut columns = self;
            let one = columns.replica.take_repeats(columns.n);
            columns.decode_with(t, budget, content, one)
        }
        #[cfg(target_arch = "wasm32")]
        self.decode_with(t, budget, content)
    }

    /// Built for speed in the WebAssembly module too (its column reads then
    /// inline): the automerge-paper import ~5% faster there for +602 B
    /// gzipped (branch `wasmimport`, docs/benchmarks.md).
    ///
    /// `one` (natively): every span's replica is the one at this index of
    /// the table (its column already read), so the column is not read per span.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn decode_with<F: FnMut(usize, bool, bool) -> Result<u32, DecodeError> + ?Sized>(
        self,
        t: &Tables,
        budget: &mut usize,
        content: &mut F,
        #[cfg(not(target_arch = "wasm32"))] one: Option<u64>,
    ) -> Result<Builder, DecodeError> {
        #[cfg(target_arch = "wasm32")]
        let one: Option<u64> = None;
        let SpanColumns {
            n,
            offset,
            mut replica,
            mut len,
            mut flags,
            mut link,
            mut oreplica,
            mut ocounter,
            mut order,
            mut gap,
        } = self;
        // The budget is kept in a register and written back once.
        let mut left = *budget;
        if n > left {
            return Err(DecodeError::LengthTooLarge {
                claimed: n as u64,
                offset,
            });
        }
        left -= n;
        let none = Builder::NO_ORIGIN;
        let mut b = Builder::with_capacity(n);
        // One past the last lv of recent spans, by index modulo `RING`, for
        // the left origins linked to them.
        let mut ring = [0u32; RING];
        // Spans whose right origin is the first element of a span still to
        // come, resolved when it comes (its lv is then known), not deferred
        // to `Builder::check`: `waiting[j % RING]` is the last span waiting
        // for span `j`, `after[i % RING]` the one that waited before span
        // `i` (`NONE` ends the chain). A span waits at most `LINK_REACH + 1`
        // spans ahead, and `RING` is more than that, so a slot is free again
        // by the time it is reused.
        let mut waiting = [none; RING];
        let mut after = [none; RING];
        // The previous span's replica slot (`u32::MAX`, which no replica
        // has, before the first span): a span continues its id run only if
        // it is of the same replica.
        let mut prev_slot = u32::MAX;
        // The replica column is nearly always one run: its index is looked up
        // in the table only when it changes.
        let (mut rep_index, mut slot) = (u64::MAX, 0);
        let one = match one {
            Some(ri) => {
                let rep = t.replica(ri)?;
                rep_index = ri;
                slot = b.slot(rep);
                true
            }
            None => false,
        };
        for i in 0..n {
            let ri = if one { rep_index } else { replica.next()? };
            if ri != rep_index {
                let rep = t.replica(ri)?;
                rep_index = ri;
                slot = b.slot(rep);
            }
            let f = flags.next_inline()?;
            if f >= 64 {
                return Err(corrupt("unknown span flags"));
            }
            let deleted = f & 1 == 1;
            // Counters are given to whole id runs once every span is in
            // (`Builder::order_runs`): a span either starts a run or
            // continues the previous span's, which must be of its replica.
            let continues = f & 32 == 0;
            if continues && slot != prev_slot {
                return Err(corrupt("span continues no id run"));
            }
            prev_slot = slot;
            let lv = b.next_lv();
            let mut w = std::mem::replace(&mut waiting[i % RING], none);
            while w != none {
                b.set_right(w, lv);
                w = after[w as usize % RING];
            }
            let ol = match (f >> 1) & 3 {
                ORIGIN_NONE => none,
                ORIGIN_ADJACENT => {
                    if i == 0 {
                        return Err(corrupt("first span continues nothing"));
                    }
                    lv - 1
                }
                ORIGIN_LINKED => {
                    let k = link.next_usize_inline(LINK_REACH - 1)? + 2;
                    let j = i
                        .checked_sub(k)
                        .ok_or(corrupt("span origin links before the first span"))?;
                    // Every span holds an element: its end lv is at least 1.
                    ring[j % RING] - 1
                }
                _ => {
                    // Counter − the previous span's end (0 before the first).
                    let r = t.replica(oreplica.next()?)?;
                    let delta = ocounter.next_signed()? as u64;
                    b.defer_relative(false, r, delta, if i > 0 { b.runs() - 1 } else { none });
                    none
                }
            };
            // A long tombstone is loaded as a length only (no content, a few bytes
            // of index per 65,536 elements), so its length is not charged to the
            // budget: only the sequence's own limit bounds it. Short ones get
            // placeholders, as cheap to store as to skip, and are charged.
            let offset = len.offset();
            let l = len.next_inline()?;
            let max = if deleted { TOMBSTONE_MAX } else { left };
            if l > max as u64 {
                return Err(DecodeError::LengthTooLarge { claimed: l, offset });
            }
            let l = l as usize;
            let hole = deleted && l > SHORT_TOMBSTONE;
            if !hole {
                if l > left {
                    return Err(DecodeError::LengthTooLarge {
                        claimed: l as u64,
                        offset,
                    });
                }
                left -= l;
            }
            if l == 0 {
                return Err(corrupt("empty span"));
            }
            let l32 = u32::try_from(l).map_err(|_| corrupt("span too long"))?;
            let or = match f >> 3 & 3 {
                ORIGIN_NONE => none,
                ORIGIN_ADJACENT => {
                    if i + 1 >= n {
                        return Err(corrupt("last span's right origin is a next span"));
                    }
                    lv.saturating_add(l32)
                }
                ORIGIN_LINKED => {
                    let j = i + link.next_usize_inline(LINK_REACH - 1)? + 2;
                    if j >= n {
                        return Err(corrupt("span origin links past the last span"));
                    }
                    after[i % RING] = waiting[j % RING];
                    waiting[j % RING] = i as u32;
                    none
                }
                _ => {
                    // Counter − the span's first counter.
                    let r = t.replica(oreplica.next()?)?;
                    let delta = ocounter.next_signed()? as u64;
                    b.defer_relative(true, r, delta, b.runs() - u32::from(continues));
                    none
                }
            };
            let utf16 = content(l, deleted, hole)?;
            b.push_unordered(slot, continues, l32, utf16, deleted, hole, ol, or)
                .map_err(|_| invalid_spans())?;
            ring[i % RING] = lv + l32;
        }
        // Every id run's counters, from the runs in counter order: a
        // replica's runs follow each other, so its ids are unique by
        // construction and its counter index needs no sort.
        b.order_runs(
            #[inline(always)]
            // (`Reader::ivarint` is not inlined in the WebAssembly module.)
            || Ok((unzigzag(order.raw().uvarint()?), gap.raw().uvarint()?)),
            corrupt,
        )?;
        *budget = left;
        Ok(b)
    }
}

fn invalid_spans() -> DecodeError {
    corrupt("sequence spans do not form a valid sequence")
}

/// How many recent spans' ends are kept for linked left origins.
const RING: usize = (LINK_REACH + 2).next_power_of_two();

/// Byte and UTF-16 length of the first `n` characters of `s`, if it has that many.
fn chars_prefix(s: &str, n: usize) -> Option<(usize, usize)> {
    let (mut bytes, mut units) = (0, 0);
    let mut chars = s.chars();
    for _ in 0..n {
        let c = chars.next()?;
        bytes += c.len_utf8();
        units += c.len_utf16();
    }
    Some((bytes, units))
}

/// Copies `s` into a zeroed content store at `*w` (which it moves past
/// them), after placeholders counted into `*w` but not written: the store is
/// grown (zeroed) by a quarter when it is too short, not doubled, as it is
/// the document's resident memory.
fn put(store: &mut Vec<u8>, w: &mut usize, s: &[u8]) {
    let end = w.saturating_add(s.len());
    if store.len() < end {
        store.resize(end.max(store.len() + store.len() / 4), 0);
    }
    if let Some(to) = store.get_mut(*w..end) {
        to.copy_from_slice(s);
    }
    *w = end;
}

/// Takes a visible span of `len` characters from `text` at `*taken`: its
/// bytes are spoken for, its UTF-16 length returned.
#[inline(always)]
fn take_visible(
    text: &str,
    ascii: bool,
    taken: &mut usize,
    len: usize,
) -> Result<u32, DecodeError> {
    let short = || corrupt("text shorter than its spans");
    // `taken` only lands on character boundaries; ASCII text (the usual
    // case) is not sliced per span at all.
    let (n, units) = if ascii {
        (len, len)
    } else {
        chars_prefix(text.get(*taken..).unwrap_or(""), len).ok_or_else(short)?
    };
    if n > text.len() - *taken {
        return Err(short());
    }
    *taken += n;
    Ok(units as u32)
}

/// Where a loaded text's placeholders are noted while its store is built.
/// Natively the (byte offset, count) run of each stretch of tombstones, so
/// that the visible text can be cut out of the store when read instead of
/// kept as a copy (bounded by the span count, which the budget bounds); in
/// the WebAssembly build only whether there are any, as the copy costs less
/// code there than cutting it out.
trait PlaceholderRuns {
    fn note(&mut self, at: usize, count: usize);
}

impl PlaceholderRuns for Vec<(usize, usize)> {
    #[inline(always)]
    fn note(&mut self, at: usize, count: usize) {
        self.push((at, count));
    }
}

impl PlaceholderRuns for bool {
    #[inline(always)]
    fn note(&mut self, _: usize, _: usize) {
        *self = true;
    }
}

/// A text's spans and its content store: the visible text with a NUL
/// placeholder per character of each short tombstone, noted in `runs`.
/// Both builds take this one body; the WebAssembly import once built the
/// store as a string, two appends per tombstone (each a `memory.copy`, a
/// call into the host in V8), about a seventh of its automerge-paper import
/// (branch `wasmimport2`, docs/benchmarks.md).
#[inline(always)]
fn text_spans(
    columns: SpanColumns<'_>,
    t: &Tables,
    budget: &mut usize,
    text: &str,
    ascii: bool,
    runs: &mut impl PlaceholderRuns,
) -> Result<(Builder, String), DecodeError> {
    let bytes = text.as_bytes();
    // Room for as many placeholders as characters, given back at the end:
    // growing the store would copy it (edited texts hold about half as many
    // placeholders as characters: automerge-paper 50,382 for 104,852 bytes),
    // while shrinking it stays in place and untouched room costs no pages.
    // The store is zeroed when allocated (by the allocator: fresh pages need
    // no clearing), and `w` of its bytes are written: placeholders, NULs,
    // are skipped over rather than written, and the text is copied in one
    // piece per stretch between tombstones, not span by span, as bytes (no
    // character boundary checks per piece), checked as UTF-8 once.
    let mut store: Vec<u8> = vec![0; text.len().saturating_mul(2)];
    let mut w = 0usize;
    // `taken` bytes of the text are spoken for, `copied` of them are in the
    // store; `nuls` placeholders are not yet counted in: those of tombstones
    // that follow each other are skipped over together, before the next text.
    let (mut taken, mut copied, mut nuls) = (0usize, 0usize, 0usize);
    let b = columns.decode(t, budget, &mut |len, deleted, hole| {
        if deleted {
            if !hole {
                if taken > copied {
                    if nuls > 0 {
                        runs.note(w, nuls);
                        w += nuls;
                        nuls = 0;
                    }
                    put(
                        &mut store,
                        &mut w,
                        bytes.get(copied..taken).unwrap_or_default(),
                    );
                    copied = taken;
                }
                nuls += len;
            }
            return Ok(len as u32);
        }
        take_visible(text, ascii, &mut taken, len)
    })?;
    if taken != text.len() {
        return Err(corrupt("text longer than its spans"));
    }
    if nuls > 0 {
        runs.note(w, nuls);
        w += nuls;
    }
    put(&mut store, &mut w, bytes.get(copied..).unwrap_or_default());
    store.truncate(w);
    store.shrink_to_fit();
    // Text cut at character boundaries and NULs: always UTF-8.
    let store = String::from_utf8(store).map_err(|_| corrupt("text cut inside a character"))?;
    Ok((b, store))
}

/// Reads a state section; with `derive`, also records where every sequence
/// element's origins and content are (for a snapshot's changes section).
/// `held`: the payload's text block, for texts held out of the body.
pub(crate) fn read_state<'a>(
    r: &mut Reader<'a>,
    mut held: Option<&mut Reader<'a>>,
    t: &Tables,
    budget: &mut usize,
    mut derive: Option<&mut Derived>,
) -> Result<StateParts, DecodeError> {
    let n = r.count(2)?;
    let mut version = VersionVector::new();
    for _ in 0..n {
        let id = read_id(r, t)?;
        version.advance(id.replica, id.counter);
    }
    let n = r.count(2)?;
    let mut frontier = Vec::with_capacity(n);
    for _ in 0..n {
        frontier.push(read_id(r, t)?);
    }
    let ms = r.uvarint()?;
    let logical =
        u32::try_from(r.uvarint()?).map_err(|_| corrupt("HLC logical counter too large"))?;
    let n = r.count(2)?;
    let mut containers = Vec::with_capacity(n);
    for _ in 0..n {
        let id = t.container(r.uvarint()?)?.clone();
        let c = match id.kind() {
            ContainerKind::Map => Container::Map(read_map(r, t, &id)?),
            ContainerKind::Counter => {
                let n = r.count(3)?;
                let mut counter = CounterState::default();
                for _ in 0..n {
                    let rep = t.replica(r.uvarint()?)?;
                    let int = r.ivarint()?;
                    let has_float = r.u8()? != 0;
                    let float = if has_float { r.f64()? } else { 0.0 };
                    counter.set(
                        rep,
                        Totals {
                            int,
                            float,
                            has_float,
                        },
                    );
                }
                Container::Counter(counter)
            }
            ContainerKind::Set => {
                let n = r.count(2)?;
                let mut members = crate::doc::set::Members::default();
                for _ in 0..n {
                    let value = read_value(r, 0)?;
                    let k = r.count(2)?;
                    let mut tags = Vec::with_capacity(k);
                    for _ in 0..k {
                        tags.push(read_id(r, t)?);
                    }
                    tags.sort_unstable();
                    members.insert(value_key(&value), Member { value, tags });
                }
                Container::Set(SetState { members })
            }
            ContainerKind::Text => {
                let columns = SpanColumns::read(r)?;
                let text = text_block::read_state_text(r, held.as_deref_mut())?;
                super::credit_text(budget, &text);
                let ascii = text.is_ascii();
                // The placeholders' runs natively, only whether there are
                // any in the module (`PlaceholderRuns`).
                #[cfg(target_arch = "wasm32")]
                let mut placeholders = false;
                #[cfg(not(target_arch = "wasm32"))]
                let mut placeholders: Vec<(usize, usize)> = Vec::new();
                let (b, store) = text_spans(columns, t, budget, &text, ascii, &mut placeholders)?;
                // The visible spans hold the text exactly, so its visible
                // characters and UTF-16 units are the text's: counted here,
                // not by a walk over the spans (ASCII text, the usual case,
                // without looking at it).
                #[cfg(not(target_arch = "wasm32"))]
                let totals = if ascii {
                    (text.len(), text.len())
                } else {
                    (
                        text.chars().count(),
                        text.chars().map(char::len_utf16).sum(),
                    )
                };
                // Every check is made here; only laying the spans out in a
                // tree waits, unless the changes section needs them now.
                let checked = b.check().map_err(|_| invalid_spans())?;
                let seq = match derive.as_deref_mut() {
                    Some(d) => {
                        let seq = checked.build(TextContent::from_text(store));
                        let mut text = String::new();
                        let mut derived = Derive::of(&seq, |run: &str| {
                            text.push_str(run);
                            (text.len() - run.len(), text.len())
                        });
                        derived.text = text;
                        d.insert(id.clone(), derived);
                        LazyText::built(seq)
                    }
                    #[cfg(target_arch = "wasm32")]
                    None => {
                        let visible = placeholders.then(|| text.into_owned());
                        LazyText::pending(checked, store, visible)
                    }
                    #[cfg(not(target_arch = "wasm32"))]
                    None => LazyText::pending_runs(checked, store, placeholders, totals),
                };
                Container::Text(TextState {
                    seq,
                    ..TextState::default()
                })
            }
            ContainerKind::List => {
                let columns = SpanColumns::read(r)?;
                let n = r.count(1)?;
                let mut vr = Reader::new(r.bytes()?);
                let mut values = Vec::with_capacity(n);
                for _ in 0..n {
                    values.push(read_value(&mut vr, 0)?);
                }
                if vr.remaining() != 0 {
                    return Err(corrupt("list values disagree with its spans"));
                }
                let disagree = || corrupt("list values disagree with its spans");
                let mut store: Vec<Value> = Vec::with_capacity(values.len());
                let mut values = values.into_iter();
                let b = columns.decode(t, budget, &mut |len, deleted, hole| {
                    if deleted {
                        if !hole {
                            store.extend(std::iter::repeat_n(Value::Null, len));
                        }
                    } else {
                        for _ in 0..len {
                            store.push(values.next().ok_or_else(disagree)?);
                        }
                    }
                    Ok(len as u32)
                })?;
                if values.next().is_some() {
                    return Err(disagree());
                }
                let seq = b
                    .finish(ListContent::from_values(store))
                    .map_err(|_| invalid_spans())?;
                let k = r.count(3)?;
                let mut nested = NestedKinds::with_capacity(k);
                for _ in 0..k {
                    let id = read_id(r, t)?;
                    let offset = r.offset();
                    let tag = r.u8()?;
                    let kind = ContainerKind::from_tag(tag)
                        .ok_or(DecodeError::UnknownTag { tag, offset })?;
                    nested.insert(id, kind);
                }
                if let Some(d) = derive.as_deref_mut() {
                    let mut values = Vec::new();
                    let mut derived = Derive::of(&seq, |run: &[Value]| {
                        values.extend_from_slice(run);
                        (values.len() - run.len(), values.len())
                    });
                    derived.values = values;
                    derived.nested = nested.clone();
                    d.insert(id.clone(), derived);
                }
                Container::List(ListState {
                    seq,
                    containers: nested,
                })
            }
        };
        containers.push((id, c));
    }
    Ok(StateParts {
        version,
        frontier,
        hlc: Hlc::new(ms, logical),
        containers,
    })
}

fn read_map(r: &mut Reader<'_>, t: &Tables, obj: &ContainerId) -> Result<MapState, DecodeError> {
    let n = r.count(5)?;
    let mut entries = crate::hash::FxHashMap::default();
    entries.reserve(n);
    for _ in 0..n {
        let key = t.key(r.uvarint()?)?.clone();
        let ms = r.uvarint()?;
        let logical =
            u32::try_from(r.uvarint()?).map_err(|_| corrupt("HLC logical counter too large"))?;
        let id = read_id(r, t)?;
        let offset = r.offset();
        let value = match r.u8()? {
            0 => None,
            1 => Some(FieldValue::Value(read_value(r, 0)?)),
            tag => {
                let kind = ContainerKind::from_tag(tag - 2)
                    .ok_or(DecodeError::UnknownTag { tag, offset })?;
                Some(FieldValue::Container(new_container_id(obj, &key, id, kind)))
            }
        };
        entries.insert(
            key,
            Entry {
                value,
                stamp: Stamp::new(Hlc::new(ms, logical), id),
            },
        );
    }
    Ok(MapState { entries })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReplicaId;

    /// A text's span columns as a decoder meets them, values given one by one.
    #[derive(Clone, Default)]
    struct Cols {
        replica: Vec<u64>,
        len: Vec<u64>,
        flags: Vec<u64>,
        link: Vec<u64>,
        oreplica: Vec<u64>,
        ocounter: Vec<i64>,
        order: Vec<i64>,
        gap: Vec<u64>,
    }

    const NEW_RUN: u64 = 32;
    const LEFT_ADJACENT: u64 = 2 * ORIGIN_ADJACENT;
    const LEFT_EXPLICIT: u64 = 2 * ORIGIN_EXPLICIT;

    /// Decodes and checks the spans `c` holds (two replicas in the table),
    /// as a snapshot's text is loaded; returns the ids of their first
    /// elements.
    fn load(c: &Cols) -> Result<Vec<OpId>, DecodeError> {
        let mut cols = [RleWriter::EMPTY; SPAN_COLUMNS];
        let ints = [&c.replica, &c.len, &c.flags, &c.link, &c.oreplica];
        for (col, values) in cols.iter_mut().zip(ints) {
            values.iter().for_each(|&v| col.push(v));
        }
        c.ocounter
            .iter()
            .for_each(|&v| cols[S_OCOUNTER].push_signed(v));
        c.order.iter().for_each(|&v| cols[S_ORDER].raw().ivarint(v));
        c.gap.iter().for_each(|&v| cols[S_GAP].raw().uvarint(v));
        let mut w = Writer::new();
        w.uvarint(c.len.len() as u64);
        for col in cols {
            w.bytes(&col.finish());
        }
        let t = Tables {
            replicas: vec![ReplicaId(7), ReplicaId(9)],
            ..Tables::default()
        };
        let mut r = Reader::new(&w.buf);
        let mut budget = 1 << 20;
        let b =
            SpanColumns::read(&mut r)?.decode(&t, &mut budget, &mut |len, _, _| Ok(len as u32))?;
        let checked = b.check().map_err(|_| invalid_spans())?;
        let seq = checked.build(crate::seq::TextContent::from_text("\0".repeat(7)));
        Ok(seq.spans().map(|e| e.id).collect())
    }

    /// Replica 7 typed "abc" (1–3), then "de" (4–5) at the end, then "XY"
    /// (10–11) between "c" and "d": in document order the runs are 1–3,
    /// 10–11 and 4–5, in counter order 1–3, 4–5, 10–11.
    fn typed() -> Cols {
        Cols {
            replica: vec![0, 0, 0],
            len: vec![3, 2, 2],
            flags: vec![NEW_RUN, NEW_RUN + LEFT_ADJACENT, NEW_RUN + LEFT_EXPLICIT],
            oreplica: vec![0],
            // "de"'s left origin, "c" (3), less the previous span's end (12).
            ocounter: vec![-9],
            order: vec![0, 2, -1],
            gap: vec![0, 0, 4],
            ..Cols::default()
        }
    }

    fn refused(c: &Cols, what: &str) {
        match load(c) {
            Err(DecodeError::Corrupt { what: w, .. }) => assert_eq!(w, what),
            other => panic!("expected {what:?}, got {other:?}"),
        }
    }

    #[test]
    fn counters_come_from_the_runs_in_counter_order() {
        let id = |c| OpId::new(ReplicaId(7), c);
        assert_eq!(load(&typed()).unwrap(), [id(1), id(10), id(4)]);
    }

    #[test]
    fn a_run_named_twice_is_refused() {
        let mut c = typed();
        c.order = vec![0, 2, 0];
        refused(&c, "id run named twice");
    }

    #[test]
    fn a_run_past_the_last_is_refused() {
        let mut c = typed();
        c.order = vec![0, 3, -1];
        refused(&c, "id run out of range");
        c.order = vec![-1, 3, 1];
        refused(&c, "id run out of range");
    }

    #[test]
    fn runs_missing_from_the_order_are_refused() {
        let mut c = typed();
        c.order.pop();
        c.gap.pop();
        assert!(load(&c).is_err());
    }

    #[test]
    fn counters_past_the_largest_are_refused() {
        let mut c = typed();
        c.gap[2] = u64::MAX - 7;
        refused(&c, "span counters overflow");
    }

    #[test]
    fn runs_out_of_replica_order_are_refused() {
        // "abc" by replica 7, then "de" by replica 9: replica 9's run listed first.
        let mut c = typed();
        c.replica = vec![0, 1, 1];
        c.flags = vec![NEW_RUN, NEW_RUN + LEFT_ADJACENT, LEFT_ADJACENT];
        c.oreplica.clear();
        c.ocounter.clear();
        c.order = vec![1, -1];
        c.gap = vec![0, 0];
        refused(&c, "id runs out of replica order");
        c.order = vec![0, 1];
        // Replica 9's two spans continue each other: one span once loaded.
        let (a, b) = (ReplicaId(7), ReplicaId(9));
        assert_eq!(load(&c).unwrap(), [OpId::new(a, 1), OpId::new(b, 1)]);
    }

    #[test]
    fn a_span_continuing_no_run_is_refused() {
        let mut c = typed();
        c.flags[0] = 0;
        refused(&c, "span continues no id run");
        // Continuing a span of another replica.
        let mut c = typed();
        c.replica = vec![0, 1, 0];
        c.flags[1] = LEFT_ADJACENT;
        refused(&c, "span continues no id run");
    }

    #[test]
    fn an_origin_not_found_is_refused() {
        // "de"'s left origin moved to counter 6, which no run holds.
        let mut c = typed();
        c.ocounter = vec![-6];
        refused(&c, "sequence spans do not form a valid sequence");
        // Moved past its own span: not before it.
        c.ocounter = vec![-8];
        refused(&c, "sequence spans do not form a valid sequence");
    }
}
