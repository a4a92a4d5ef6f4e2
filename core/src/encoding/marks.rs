//! The marks trailer: mark ops of the changes section and the mark sets of the
//! state section, after everything else in the body and only when a payload
//! has any, so that documents without formatting encode exactly as before.
//! Layout: `docs/encoding.md`.

use super::column::{all_done, frame, next_id, push_id, RleReader, RleWriter};
use super::reader::Reader;
use super::tables::{TableWriter, Tables};
use super::value::{read_value, write_value};
use super::writer::Writer;
use super::DecodeError;
use crate::change::{Anchor, MarkOp};
use crate::clock::Hlc;
use crate::doc::marks::{MarkEntry, MarkSet};
use crate::doc::stamp::Stamp;
use crate::{ContainerId, OpId};

/// Mark sets of a state section, by text.
pub(crate) type StateMarks = Vec<(ContainerId, MarkSet)>;

fn corrupt(what: &'static str) -> DecodeError {
    DecodeError::Corrupt { offset: 0, what }
}

fn anchor_kind(a: &Anchor) -> u64 {
    match a {
        Anchor::Start => 0,
        Anchor::Before(_) => 1,
        Anchor::After(_) => 2,
        Anchor::End => 3,
    }
}

fn flags(remove: bool, start: &Anchor, end: &Anchor) -> u64 {
    u64::from(remove) + 2 * anchor_kind(start) + 8 * anchor_kind(end)
}

/// Splits flags into (remove, start kind, end kind).
fn unflags(f: u64) -> Result<(bool, u64, u64), DecodeError> {
    if f >= 32 {
        return Err(corrupt("unknown mark flags"));
    }
    Ok((f & 1 == 1, (f >> 1) & 3, f >> 3))
}

/// `id` reads the anchor's id when its kind has one. A trait object, so that
/// the trailer's two readers (op columns, state marks) share one copy.
fn anchor(
    kind: u64,
    id: &mut dyn FnMut() -> Result<OpId, DecodeError>,
) -> Result<Anchor, DecodeError> {
    Ok(match kind {
        0 => Anchor::Start,
        1 => Anchor::Before(id()?),
        2 => Anchor::After(id()?),
        _ => Anchor::End,
    })
}

/// The mark op columns by index, in the order they are written.
const FLAGS: usize = 0;
const NAME: usize = 1;
const ANCHOR_REPLICA: usize = 2;
const ANCHOR_COUNTER: usize = 3;
/// Not run-length coded: read through [`RleReader::raw`].
const VALUES: usize = 4;
const COLUMNS: usize = 5;

/// Columns of the mark ops in a changes section, indexed as the trailer's
/// readers are.
pub(crate) struct MarkColumns {
    n: usize,
    cols: [RleWriter; COLUMNS],
}

impl Default for MarkColumns {
    fn default() -> Self {
        Self {
            n: 0,
            cols: [RleWriter::EMPTY; COLUMNS],
        }
    }
}

impl MarkColumns {
    pub(crate) fn push(&mut self, t: &mut TableWriter, id: OpId, m: &MarkOp) {
        self.n += 1;
        self.cols[FLAGS].push(flags(m.remove, &m.start, &m.end));
        self.cols[NAME].push(t.key(&m.name));
        for a in [m.start.id(), m.end.id()].into_iter().flatten() {
            push_id(
                &mut self.cols,
                ANCHOR_REPLICA,
                ANCHOR_COUNTER,
                t,
                a,
                id.counter,
            );
        }
        write_value(self.cols[VALUES].raw(), &m.value);
    }

    fn write(self, w: &mut Writer) {
        for col in self.cols {
            w.bytes(&col.finish());
        }
    }
}

/// Writes the trailer if there is anything to put in it.
pub(crate) fn write_trailer(
    w: &mut Writer,
    t: &mut TableWriter,
    cols: MarkColumns,
    texts: &[(&ContainerId, &MarkSet)],
) {
    if cols.n == 0 && texts.is_empty() {
        return;
    }
    w.uvarint(texts.len() as u64);
    for (id, set) in texts {
        w.uvarint(t.container(id));
        w.uvarint(set.ops.len() as u64);
        for e in &set.ops {
            let s = e.stamp;
            w.uvarint(t.replica(s.replica));
            w.uvarint(s.counter);
            w.uvarint(s.hlc.ms);
            w.uvarint(u64::from(s.hlc.logical));
            w.uvarint(t.key(&e.name));
            w.uvarint(flags(e.remove, &e.start, &e.end));
            for a in [e.start.id(), e.end.id()].into_iter().flatten() {
                w.uvarint(t.replica(a.replica));
                w.uvarint(a.counter);
            }
            write_value(w, &e.value);
        }
    }
    cols.write(w);
}

/// The trailer as read: the state's mark sets and readers over the op columns.
pub(crate) struct Trailer<'a> {
    pub(crate) state: StateMarks,
    cols: [RleReader<'a>; COLUMNS],
}

impl Trailer<'_> {
    /// No trailer: no marks anywhere.
    pub(crate) fn empty() -> Trailer<'static> {
        Trailer {
            state: Vec::new(),
            cols: [RleReader::EMPTY; COLUMNS],
        }
    }

    /// The next mark op of the changes section, with id `id`, on `obj`.
    pub(crate) fn next_op(
        &mut self,
        t: &Tables,
        obj: ContainerId,
        id: OpId,
    ) -> Result<MarkOp, DecodeError> {
        let (remove, sk, ek) = unflags(self.cols[FLAGS].next()?)?;
        let name = t.key(self.cols[NAME].next()?)?.clone();
        let cols = &mut self.cols;
        let mut read_id = || next_id(cols, ANCHOR_REPLICA, ANCHOR_COUNTER, t, id.counter);
        let start = anchor(sk, &mut read_id)?;
        let end = anchor(ek, &mut read_id)?;
        let value = read_value(self.cols[VALUES].raw(), 0)?;
        Ok(MarkOp {
            obj,
            start,
            end,
            name,
            value,
            remove,
        })
    }

    /// Whether every op column was used up.
    pub(crate) fn ops_done(&self) -> bool {
        all_done(&self.cols)
    }
}

/// Reads the trailer if the body has one (bytes remain).
pub(crate) fn read_trailer<'a>(
    r: &mut Reader<'a>,
    t: &Tables,
    budget: &mut usize,
) -> Result<Trailer<'a>, DecodeError> {
    if r.remaining() == 0 {
        return Ok(Trailer::empty());
    }
    let n = r.count(2)?;
    let mut state = Vec::with_capacity(n);
    for _ in 0..n {
        let id = t.container(r.uvarint()?)?.clone();
        if id.kind() != crate::ContainerKind::Text {
            return Err(corrupt("marks on a container that is not a text"));
        }
        let k = r.count(7)?;
        if k > *budget {
            return Err(corrupt("more marks than the payload allows"));
        }
        *budget -= k;
        let mut set = MarkSet::default();
        for _ in 0..k {
            let replica = t.replica(r.uvarint()?)?;
            let counter = r.uvarint()?;
            let ms = r.uvarint()?;
            let logical = u32::try_from(r.uvarint()?)
                .map_err(|_| corrupt("HLC logical counter too large"))?;
            let name = t.key(r.uvarint()?)?.clone();
            let (remove, sk, ek) = unflags(r.uvarint()?)?;
            let mut read_id = || t.read_id(r);
            let start = anchor(sk, &mut read_id)?;
            let end = anchor(ek, &mut read_id)?;
            let value = read_value(r, 0)?;
            set.insert(MarkEntry {
                stamp: Stamp::new(Hlc::new(ms, logical), OpId::new(replica, counter)),
                start,
                end,
                name,
                value,
                remove,
            });
        }
        state.push((id, set));
    }
    let mut cols = [RleReader::EMPTY; COLUMNS];
    frame(r, &mut cols)?;
    Ok(Trailer { state, cols })
}

impl super::StateParts {
    /// Puts the trailer's mark sets into the state's texts, checking that every
    /// anchor names a character of its text.
    pub(crate) fn attach_marks(&mut self, texts: StateMarks) -> Result<(), DecodeError> {
        use crate::doc::state::Container;
        for (id, set) in texts {
            let at = self.containers.iter().position(|(c, _)| *c == id);
            let at = match at {
                Some(at) => at,
                // Empty root-named texts are left out of the state section.
                None if matches!(id, ContainerId::Named { .. }) => {
                    self.containers
                        .push((id.clone(), Container::new(crate::ContainerKind::Text)));
                    self.containers.len() - 1
                }
                None => return Err(corrupt("marks on a text the state does not hold")),
            };
            let Container::Text(t) = &mut self.containers[at].1 else {
                return Err(corrupt("marks on a container that is not a text"));
            };
            let known = set
                .ops
                .iter()
                .flat_map(|e| [e.start.id(), e.end.id()])
                .flatten()
                .all(|a| t.seq.contains(a));
            if !known {
                return Err(corrupt("a mark is anchored to a character its text lacks"));
            }
            t.marks = set;
        }
        Ok(())
    }
}
