//! Every change this replica has applied, in the order applied (a causal order), so
//! that a peer at any version can be sent exactly what it lacks. The last change
//! stays open (a typing session extends it in place); sealed ones are packed
//! once enough of them gather.

use std::sync::Arc;

use super::index::{IndexMark, ReplicaIndex};
use super::packed::Packed;
use super::{Change, Op};
use crate::clock::{Hlc, VersionVector};
use crate::ReplicaId;

/// A typing session is merged into one change only up to this many ops, then a
/// new change starts. One ever-growing op buffer would hold up to twice the
/// memory its ops need and copy all of them each time it grows (in WebAssembly,
/// whose memory never shrinks, the old and new buffer together set the module's
/// size); capped, the idle room is at most one buffer's and a grown buffer is
/// small. A change costs a few bytes of header in the encoding.
const MAX_MERGED_OPS: usize = 2048;

/// Slots a full op list grows by in WebAssembly ([`ChangeLog::push_op`]) the
/// first time it passes the cap.
const OVER_CAP_ROOM: usize = 8;

/// How many slots an op list of `len` ops, at or past the cap and out of room,
/// grows by in WebAssembly: a few at first, then as many as it holds past the
/// cap. A fixed step would copy the whole list every few ops of a transaction
/// that makes thousands (a bulk insert), quadratic in its length; doubling only
/// the part past the cap keeps the copies linear and the unused room at most
/// that part.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn past_cap_room(len: usize) -> usize {
    len.saturating_sub(MAX_MERGED_OPS).max(OVER_CAP_ROOM)
}

/// How many slots an op list of `len` ops grows by in WebAssembly when `more`
/// ops at once would take it past its room and the cap
/// ([`ChangeLog::reserve_ops`]): what they need, but never less than
/// [`past_cap_room`]'s step, so that a transaction of many small deletes past
/// the cap (one run each) still copies its list a logarithmic number of times
/// rather than at every delete.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn room_for(len: usize, more: usize) -> usize {
    more.max(past_cap_room(len))
}

/// Sealed changes are packed once they hold this many ops and changes together:
/// a typing session's change (up to [`MAX_MERGED_OPS`]) is packed as it is
/// sealed, and a block of small remote changes is big enough that its tables
/// cost little, and small enough that a peer just behind has little decoded
/// for it.
const PACK_WEIGHT: usize = 1024;

/// A packed insert op's text buffer is kept for reuse up to this capacity (a
/// pasted block's is not).
#[cfg(not(target_arch = "wasm32"))]
const SPARE_TEXT_ROOM: usize = 256;

#[derive(Clone, Debug, Default)]
pub(crate) struct ChangeLog {
    /// The first changes, sealed and packed.
    packed: Packed,
    /// The changes after them: sealed ones not packed yet, then the last one.
    tail: Vec<Change>,
    /// Ops plus changes among the tail's sealed changes (see [`PACK_WEIGHT`]).
    sealed_weight: usize,
    /// A mark is out ([`ChangeLog::mark`]): nothing is packed until it is
    /// rolled back or kept, so that rolling back finds the changes as they were.
    held: bool,
    /// The last change's end counter + 1, and whether later changes may merge
    /// into it (both cached: computing them walks every op of the change).
    last_end: u64,
    last_mergeable: bool,
    /// The last change was closed by [`ChangeLog::close`] and nothing has touched
    /// the log since: the next local edit of the replica that closed it may
    /// extend it again without the checks (and the stamp) of a reopening.
    resumable: bool,
    index: ReplicaIndex,
    /// The text buffers of that session's insert ops, emptied, for the insert
    /// ops to come (natively): an allocation and a free per op saved.
    #[cfg(not(target_arch = "wasm32"))]
    spare_texts: Vec<String>,
    /// A snapshot whose history precedes every change here and is decoded only
    /// when first needed (`Doc::load_history`): loading stays as fast as the
    /// state allows.
    unloaded: Option<Arc<[u8]>>,
}

/// What [`ChangeLog::rollback`] restores.
#[derive(Debug)]
pub(crate) struct LogMark {
    index: IndexMark,
    len: usize,
    /// The last change's op count, last op and stamp.
    last: Option<(usize, Option<Op>, Hlc)>,
    last_end: u64,
    last_mergeable: bool,
}

impl ChangeLog {
    /// A log whose history is the (undecoded) snapshot `bytes`.
    pub(crate) fn unloaded(bytes: Arc<[u8]>) -> Self {
        Self {
            unloaded: Some(bytes),
            ..Self::default()
        }
    }

    /// Takes the undecoded snapshot, if any.
    pub(crate) fn take_unloaded(&mut self) -> Option<Arc<[u8]>> {
        self.unloaded.take()
    }

    /// How many changes are packed.
    #[cfg(test)]
    pub(crate) fn packed_len(&self) -> usize {
        self.packed.len()
    }

    /// How many changes the log holds.
    fn len(&self) -> usize {
        self.packed.len() + self.tail.len()
    }

    /// The changes, in the order applied.
    pub(crate) fn into_changes(self) -> Vec<Change> {
        let mut out = Vec::with_capacity(self.len());
        self.packed.all(&mut out);
        out.extend(self.tail);
        out
    }

    /// A copy of the changes, in the order applied.
    pub(crate) fn changes(&self) -> Vec<Change> {
        let mut out = Vec::with_capacity(self.len());
        self.packed.all(&mut out);
        out.extend_from_slice(&self.tail);
        out
    }

    /// Appends an applied change. A change that simply continues the previous one
    /// (same replica, next counter, no other dependency, no LWW writes whose stamp
    /// would change) is merged into it: a typing session becomes one change.
    pub(crate) fn push(&mut self, change: Change) {
        self.push_with(change, drop);
    }

    /// Like [`ChangeLog::push`], handing each op absorbed into the previous one to
    /// `spent`, and returning the change's emptied op buffer when it was merged:
    /// a replica committing after every keystroke reuses it instead of
    /// allocating per edit. (A packed typing session's op buffer is not handed
    /// on: kept idle it held up to 0.8 MB after a replay, sveltecomponent's
    /// 0.93 MB document then holding 1.72 MB, for 1% of the replay's time.)
    pub(crate) fn push_with(&mut self, change: Change, spent: impl FnMut(Op)) -> Option<Vec<Op>> {
        let change_end = change.start + change.len();
        self.push_ending(change, change_end, spent)
    }

    /// [`ChangeLog::push_with`] for a change whose end (its last counter + 1)
    /// the caller knows already: a remote change's length, which adds up its
    /// ops, is summed once per import rather than once per step.
    pub(crate) fn push_ending(
        &mut self,
        mut change: Change,
        change_end: u64,
        mut spent: impl FnMut(Op),
    ) -> Option<Vec<Op>> {
        debug_assert_eq!(change_end, change.start + change.len());
        self.resumable = false;
        let mergeable = !change.has_lww_ops();
        if let Some(last) = self.tail.last_mut() {
            if last.replica == change.replica
                && self.last_end == change.start
                && change.deps.is_empty()
                && self.last_mergeable
                && mergeable
                && last.ops.len() < MAX_MERGED_OPS
            {
                let mut next_id = crate::OpId::new(change.replica, change.start);
                for op in change.ops.drain(..) {
                    let len = op.len();
                    let appended = match last.ops.last_mut() {
                        Some(prev) => prev.try_append(&op, next_id),
                        None => false,
                    };
                    if appended {
                        spent(op);
                    } else {
                        Self::push_op(&mut last.ops, op);
                    }
                    next_id.counter += len;
                }
                last.hlc = last.hlc.max(change.hlc);
                self.last_end = change_end;
                return Some(change.ops);
            }
        }
        if let Some(last) = self.tail.last_mut() {
            self.sealed_weight += last.ops.len() + 1;
            if self.held || self.sealed_weight < PACK_WEIGHT {
                // Nothing merges into it any more, and it is not packed yet:
                // give back its growth room.
                last.ops.shrink_to_fit();
            }
            self.index.seal(last.replica, self.last_end);
        }
        self.index.push(change.replica, change.start, self.len());
        self.tail.push(change);
        self.last_end = change_end;
        self.last_mergeable = mergeable;
        self.pack();
        None
    }

    /// Packs the tail's sealed changes, unless a mark is out: small ones in
    /// blocks of at least [`PACK_WEIGHT`] (fewer wait for more), a change that
    /// heavy in a block of its own, so that a peer a typing session behind
    /// has only that session decoded for it.
    fn pack(&mut self) {
        if self.held || self.sealed_weight < PACK_WEIGHT {
            return;
        }
        let sealed = self.tail.len().saturating_sub(1);
        // Changes before `from` (the gathering block's first) are gone from
        // the tail already: change `i` is at `i - from` now.
        let (mut from, mut weight) = (0, 0);
        for i in 0..sealed {
            let w = self.tail[i - from].ops.len() + 1;
            if w >= PACK_WEIGHT {
                if from < i {
                    let chunk: Vec<Change> = self.tail.drain(..i - from).collect();
                    self.packed.push(chunk);
                }
                let chunk: Vec<Change> = self.tail.drain(..1).collect();
                let back = self.packed.push(chunk);
                #[cfg(not(target_arch = "wasm32"))]
                self.recycle(back);
                #[cfg(target_arch = "wasm32")]
                drop(back);
                self.sealed_weight -= weight + w;
                (from, weight) = (i + 1, 0);
                continue;
            }
            weight += w;
            if weight >= PACK_WEIGHT {
                let chunk: Vec<Change> = self.tail.drain(..=i - from).collect();
                self.packed.push(chunk);
                self.sealed_weight -= weight;
                (from, weight) = (i + 1, 0);
            }
        }
    }

    /// Keeps a packed typing session's insert ops' small text buffers,
    /// emptied, for the ops to come, and hands its op list, emptied, to the
    /// last change when that one has none yet (natively: in WebAssembly
    /// idle buffers would hold memory the module never gives back).
    ///
    /// The list goes only to a change that takes ops at once (the one
    /// [`ChangeLog::split`] cut from the session, which the typing goes on
    /// into), never kept idle: a typing session's list then does not grow
    /// from four slots to [`MAX_MERGED_OPS`] again, copying 104-byte ops at
    /// each doubling (about 2 M instructions of seph-blog1's replay). What
    /// it costs: the last change holds all its slots however few ops it has
    /// (at most 213 KB, a full session's).
    #[cfg(not(target_arch = "wasm32"))]
    fn recycle(&mut self, packed: Option<Vec<Change>>) {
        let Some(mut ops) = packed.and_then(|mut c| c.pop()).map(|c| c.ops) else {
            return;
        };
        // The texts are taken where they lie and each op dropped in the same
        // pass (`retain_mut` keeping none): moving each 104-byte op out of
        // the list cost more than the rest of the loop, and a second pass
        // to drop them read every op again.
        let spare = &mut self.spare_texts;
        ops.retain_mut(|op| {
            if let Op::SeqInsert {
                content: super::SeqContent::Text(text),
                ..
            } = op
            {
                if text.capacity() <= SPARE_TEXT_ROOM && spare.len() < MAX_MERGED_OPS {
                    let mut text = std::mem::take(text);
                    text.clear();
                    spare.push(text);
                }
            }
            false
        });
        if ops.capacity() <= MAX_MERGED_OPS {
            if let Some(last) = self.tail.last_mut().filter(|c| c.ops.capacity() == 0) {
                last.ops = ops;
            }
        }
    }

    /// An empty text buffer for a new insert op: a packed op's, or a new one.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    pub(crate) fn spare_text(&mut self) -> String {
        self.spare_texts.pop().unwrap_or_default()
    }

    /// Where the log stands, for [`ChangeLog::rollback`] (or
    /// [`ChangeLog::keep`], one of which must follow). Later pushes may extend
    /// the last change in place (more ops, its last op grown, a later stamp):
    /// what they can touch of it is kept, not the change, which may be large.
    pub(crate) fn mark(&mut self) -> LogMark {
        self.held = true;
        self.resumable = false;
        LogMark {
            index: self.index.mark(self.len()),
            len: self.len(),
            last: self
                .tail
                .last()
                .map(|c| (c.ops.len(), c.ops.last().cloned(), c.hlc)),
            last_end: self.last_end,
            last_mergeable: self.last_mergeable,
        }
    }

    /// Keeps every push since `mark` was taken.
    pub(crate) fn keep(&mut self, mark: LogMark) {
        drop(mark);
        self.held = false;
        self.pack();
    }

    /// Like [`ChangeLog::keep`], for a batch decoded from `payload` (an
    /// update, whose `n` changes the caller applied just now, each whole and in
    /// the payload's order): when the log took them as they are (none merged
    /// into the change before), the payload is packed as their block instead of
    /// encoding them again, which cost a concurrent merge more than a tenth of
    /// its import. Otherwise as `keep`. In WebAssembly `payload` is the
    /// update's opened body, a block of the module's log format.
    pub(crate) fn keep_encoded(&mut self, mark: LogMark, n: usize, payload: &[u8]) {
        let Some(last) = self.tail.last() else {
            return self.keep(mark);
        };
        if n == 0 || self.len() != mark.len + n || self.tail.len() < n {
            return self.keep(mark);
        }
        self.held = false;
        // The block ends the packed changes: the tail is empty after it, so
        // its last change is sealed now, and the unpacked changes before the
        // batch are packed first, as one block.
        self.index.seal(last.replica, self.last_end);
        let before = self.tail.len() - n;
        if before > 0 {
            let chunk: Vec<Change> = self.tail.drain(..before).collect();
            self.packed.push(chunk);
        }
        let batch = std::mem::take(&mut self.tail);
        self.packed.push_encoded(batch, payload);
        self.sealed_weight = 0;
    }

    /// Undoes every push since `mark` was taken (and nothing else may have
    /// touched the log since): a refused batch keeps no copy of the whole log.
    pub(crate) fn rollback(&mut self, mark: LogMark) {
        // Nothing was packed since the mark: its changes are all in the tail.
        self.tail
            .truncate(mark.len.saturating_sub(self.packed.len()));
        if let (Some((ops, last_op, hlc)), Some(last)) = (mark.last, self.tail.last_mut()) {
            last.ops.truncate(ops);
            if let (Some(op), Some(slot)) = (last_op, last.ops.last_mut()) {
                *slot = op;
            }
            last.hlc = hlc;
        }
        self.index.rollback(&mark.index);
        self.last_end = mark.last_end;
        self.last_mergeable = mark.last_mergeable;
        let sealed = self.tail.len().saturating_sub(1);
        self.sealed_weight = self.tail[..sealed].iter().map(|c| c.ops.len() + 1).sum();
        self.held = false;
    }

    /// Reopens the last change for a local change of `replica` starting at
    /// `start` (with no deps of its own and no LWW writes) stamped `hlc`: `push`
    /// would merge the two anyway, and extending in place costs nothing per
    /// commit. Until [`ChangeLog::close`], ops go to [`ChangeLog::last_ops`] and
    /// nothing else may touch the log.
    pub(crate) fn reopen(&mut self, replica: ReplicaId, start: u64, hlc: Hlc) -> bool {
        match self.tail.last_mut() {
            Some(last)
                if last.replica == replica
                    && self.last_end == start
                    && self.last_mergeable
                    && last.ops.len() < MAX_MERGED_OPS =>
            {
                last.hlc = last.hlc.max(hlc);
                true
            }
            _ => false,
        }
    }

    /// Reopens the last change again for the local change starting at `start`
    /// when the last thing done to the log was [`ChangeLog::close`]ing it (so it
    /// is still this replica's, mergeable, with nothing after it), and hands back
    /// its stamp. The stamp is not raised: a typing session's change keeps the
    /// stamp it was reopened with, above everything in its causal past (nothing
    /// but its own ops came since), and reading the clock per keystroke was a
    /// tenth of a keystroke's cost.
    #[inline]
    pub(crate) fn resume(&mut self, start: u64) -> Option<Hlc> {
        if !self.resumable || self.last_end != start {
            return None;
        }
        let last = self.tail.last()?;
        (last.ops.len() < MAX_MERGED_OPS).then_some(last.hlc)
    }

    /// Whether a reopened change holding `ops` has reached the cap on merged
    /// ops: natively the next op goes to a change of its own
    /// ([`ChangeLog::split`]), in WebAssembly it takes no more once sealed.
    #[inline]
    pub(crate) fn is_full(ops: &[Op]) -> bool {
        ops.len() >= MAX_MERGED_OPS
    }

    /// Appends `op` to a change's op list. Natively a list never outgrows the
    /// cap on merged ops ([`ChangeLog::split`]); in WebAssembly a transaction
    /// may take a reopened change past it, and `Vec::push` then doubled the
    /// list from 2,048 slots to 4,096: 180 KB of 88-byte ops to 360 KB, the
    /// old list held while it was copied and the new one half idle until the
    /// change was packed, the largest block the module's memory ever held in
    /// four of sveltecomponent's sessions and seven of seph-blog1's (the
    /// module's memory never shrinks). Past the cap the list grows by a few
    /// slots, which a transaction's remaining ops seldom outgrow, and then
    /// by as much as it already holds past the cap ([`past_cap_room`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub(crate) fn push_op(ops: &mut Vec<Op>, op: Op) {
        #[cfg(target_arch = "wasm32")]
        if ops.len() == ops.capacity() && Self::is_full(ops) {
            Self::room_past_cap(ops);
        }
        ops.push(op);
    }

    /// Room for the `more` ops a local delete is about to push (one per id
    /// run at most) when they would take the list past its room and the cap
    /// (WebAssembly): grown once to what they need. A delete across a pasted
    /// block pushes thousands (rustcode: one per run of the 56 KB it
    /// replaces), and [`ChangeLog::push_op`]'s steps past the cap, doubling
    /// what lies past it, left up to half of the list idle (360 KB for
    /// rustcode's), and under the cap `Vec::push` doubled it.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn reserve_ops(ops: &mut Vec<Op>, more: usize) {
        if ops.len() + more > ops.capacity().max(MAX_MERGED_OPS) {
            ops.reserve_exact(room_for(ops.len(), more));
        }
    }

    /// [`ChangeLog::push_op`]'s growth past the cap (one body for its callers).
    #[cfg(target_arch = "wasm32")]
    #[cold]
    #[inline(never)]
    fn room_past_cap(ops: &mut Vec<Op>) {
        ops.reserve_exact(past_cap_room(ops.len()));
    }

    /// Cuts a reopened change that holds the cap on merged ops at counter
    /// `start`, where the next op of `replica` goes, and opens the change that
    /// takes it and those after it, stamped `hlc` (natively). Cut exactly at
    /// the cap, even inside a transaction, the op list never outgrows its
    /// 2,048 slots: a transaction that took it past them doubled 213 KB of
    /// ops to 4,096 slots (rustcode: 5 of 8 sessions). Peers may see a
    /// transaction as two changes, as the log's merging already regroups them
    /// (`docs/data-model.md`): every export seals it whole first.
    #[cfg(not(target_arch = "wasm32"))]
    #[cold]
    #[inline(never)]
    pub(crate) fn split(&mut self, replica: ReplicaId, start: u64, hlc: Hlc) {
        debug_assert!(self.tail.last().is_some_and(|c| Self::is_full(&c.ops)));
        // The cut change ends here; the new one cannot merge into it (full),
        // so `push_with` seals it, packs it and starts the new one.
        self.last_end = start;
        let change = Change {
            replica,
            start,
            deps: Vec::new(),
            hlc,
            ops: Vec::new(),
        };
        self.push_with(change, drop);
    }

    /// The ops of the last change (reopened).
    pub(crate) fn last_ops(&mut self) -> Option<&mut Vec<Op>> {
        self.tail.last_mut().map(|c| &mut c.ops)
    }

    /// Ends a reopening: the last change now runs up to counter `end` (exclusive).
    #[inline]
    pub(crate) fn close(&mut self, end: u64) {
        self.last_end = end;
        self.resumable = true;
    }

    /// The last change's position and end, for the index.
    fn last(&self) -> Option<(usize, u64)> {
        (!self.tail.is_empty()).then(|| (self.len() - 1, self.last_end))
    }

    /// The changes (or their tails) holding ops that a peer at `version` lacks, in
    /// an order the peer can apply them in.
    pub(crate) fn since(&self, version: &VersionVector) -> Vec<Change> {
        let positions = self.index.since(version, self.last());
        let split = positions.partition_point(|&p| p < self.packed.len());
        let tail = |c: Change| {
            let seen = version.get(c.replica);
            if c.start <= seen {
                c.slice_from(seen + 1)
            } else {
                c
            }
        };
        let mut out = Vec::with_capacity(positions.len());
        self.packed
            .each_at(&positions[..split], |c| out.push(tail(c)));
        for &p in &positions[split..] {
            if let Some(c) = self.tail.get(p - self.packed.len()) {
                let seen = version.get(c.replica);
                out.push(if c.start <= seen {
                    c.slice_from(seen + 1)
                } else {
                    c.clone()
                });
            }
        }
        out
    }

    /// Checks the log's own invariants and that it holds nothing beyond
    /// `version` (slow: walks the unpacked changes).
    pub(crate) fn check(&self, version: &VersionVector) -> Result<(), String> {
        let packed = self.packed.len();
        // Mid-transaction a reopened change holds ops that `last_end` will
        // count only once closed: its real end is checked.
        let last = self
            .tail
            .last()
            .map(|c| (self.len() - 1, c.start + c.len()));
        if last.is_some_and(|(_, end)| end < self.last_end) {
            return Err(format!("the last change ends before {}", self.last_end));
        }
        self.index.check(self.len(), last, version, |p| {
            p.checked_sub(packed)
                .and_then(|i| self.tail.get(i))
                .map(|c| (c.replica, c.start))
        })?;
        let sealed = self.tail.len().saturating_sub(1);
        let weight: usize = self.tail[..sealed].iter().map(|c| c.ops.len() + 1).sum();
        if weight != self.sealed_weight {
            return Err(format!(
                "the unpacked sealed changes weigh {weight}, the log says {}",
                self.sealed_weight
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{past_cap_room, room_for, MAX_MERGED_OPS, OVER_CAP_ROOM};

    /// A transaction of a million ops past the cap: the list is reallocated a
    /// logarithmic number of times (a fixed step would take 125,000), starts
    /// with a few slots, and never holds more spare room than ops past the cap.
    #[test]
    fn an_op_list_past_the_cap_grows_geometrically_from_a_few_slots() {
        assert_eq!(past_cap_room(MAX_MERGED_OPS), OVER_CAP_ROOM);
        let (mut len, mut cap, mut grown) = (MAX_MERGED_OPS, MAX_MERGED_OPS, 0);
        while len < MAX_MERGED_OPS + 1_000_000 {
            if len == cap {
                cap += past_cap_room(len);
                grown += 1;
                assert!(cap - len <= (len - MAX_MERGED_OPS).max(OVER_CAP_ROOM));
            }
            len += 1;
        }
        assert!(grown <= 20, "{grown} reallocations");
    }

    /// The same transaction made of deletes of one id run each, which reserve
    /// room before pushing ([`super::ChangeLog::reserve_ops`]): still a
    /// logarithmic number of reallocations; and a delete of thousands of runs
    /// gets all the room it needs at once.
    #[test]
    fn deletes_past_the_cap_reserve_geometrically_too() {
        let (mut len, mut cap, mut grown) = (MAX_MERGED_OPS, MAX_MERGED_OPS, 0);
        while len < MAX_MERGED_OPS + 1_000_000 {
            if len + 1 > cap {
                cap = len + room_for(len, 1);
                grown += 1;
            }
            len += 1;
        }
        assert!(grown <= 20, "{grown} reallocations");
        assert_eq!(room_for(MAX_MERGED_OPS + 10, 5_000), 5_000);
    }
}
