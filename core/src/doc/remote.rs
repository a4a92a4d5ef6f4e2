//! Remote changes: refused whole if stamped too far ahead, held until their
//! dependencies arrive, applied once however often they are delivered.

use super::error::{CausalityError, ImportError};
use super::runs::{Run, Runs};
use super::stamp::Stamp;
use super::state::new_container_id;
use super::state::Container;
use super::Doc;
use crate::change::{buffer::is_ready, Change, ChangeLog, NewValue, Op, SeqContent};
use crate::hash::FxHashMap;
use crate::{ContainerId, ContainerKind, OpId, ReplicaId};

/// What a batch of changes creates and inserts, as validation walks it.
#[derive(Default, Clone)]
struct BatchView {
    /// What the batch creates. Both maps have the state's map type (id to
    /// number; the number is unused here): each map type costs kilobytes of
    /// WebAssembly.
    created: FxHashMap<ContainerId, u32>,
    /// Per container, where in `runs` its runs are.
    inserted: FxHashMap<ContainerId, u32>,
    /// The runs of ids the batch inserts, each with its right origin.
    runs: Vec<Runs>,
    /// Some insert's origins could not be checked before applying (one is
    /// inserted by the batch itself, or the insert is partly known already), so
    /// applying may still refuse it part-way.
    unchecked: bool,
    /// How many runs the first list of runs is made with room for: the
    /// batch's op count, handed out once ([`Runs::add`]).
    room: usize,
}

/// What validating a batch found ([`Doc::validate_batch`]).
struct Checked {
    /// Buffered changes found corrupt, to drop from the buffer.
    evict: Vec<(ReplicaId, u64)>,
    /// Applying must keep a copy to restore ([`BatchView::unchecked`]).
    unchecked: bool,
    /// Each change's last counter, in the batch's order.
    lasts: Vec<u64>,
}

/// A batch change's last counter before it is summed ([`Doc::validate_batch`]):
/// never a last counter, as the counter after it must fit too.
const UNSUMMED: u64 = u64::MAX;

fn bad_counter(c: &Change) -> CausalityError {
    CausalityError::BadCounter {
        replica: c.replica,
        start: c.start,
    }
}

/// `c`'s last counter, or `BadCounter` if its counters start at 0 or pass
/// `u64::MAX`.
fn summed(c: &Change) -> Result<u64, CausalityError> {
    match c.start.checked_add(c.len()) {
        Some(end) if c.start > 0 => Ok(end - 1),
        _ => Err(bad_counter(c)),
    }
}

/// Whether `a` and `b` name one container, by the name's address first: the
/// ops of a decoded change share their container's name, and `validate`
/// asks once per op (a call to `ContainerId::eq` in the size-built
/// WebAssembly module otherwise).
#[inline(always)]
fn same_container(a: &ContainerId, b: &ContainerId) -> bool {
    match (a, b) {
        (
            ContainerId::Named { name, kind },
            ContainerId::Named {
                name: name2,
                kind: kind2,
            },
        ) if std::sync::Arc::ptr_eq(name, name2) => kind == kind2,
        _ => a == b,
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Changes applied now (including buffered ones they unblocked).
    pub applied: usize,
    /// Changes that were already known, in full.
    pub duplicates: usize,
    /// Changes now waiting in the causal buffer for missing dependencies.
    pub buffered: usize,
}

impl Doc {
    /// Applies remote changes, in any order; each is applied once, however often
    /// it arrives. Changes whose dependencies are missing wait in a causal buffer
    /// and are applied as soon as those arrive.
    ///
    /// Before anything is applied every change is checked: if one is stamped more
    /// than the drift limit ahead of this replica's clock, or is malformed, the
    /// call fails and the document is unchanged.
    pub fn apply_changes(&mut self, changes: Vec<Change>) -> Result<ImportReport, ImportError> {
        self.apply_update(changes, None)
    }

    /// [`Doc::apply_changes`] for changes decoded from the update `payload`,
    /// if they were: if they apply as they are (whole, in order, none held
    /// back or released from the buffer), the log keeps the payload as their
    /// packed block rather than encoding them again. Natively `payload` is
    /// the update as received; in WebAssembly its opened body, which is a
    /// block of the module's log as it stands (tables, then the columns).
    pub(crate) fn apply_update(
        &mut self,
        changes: Vec<Change>,
        payload: Option<&[u8]>,
    ) -> Result<ImportReport, ImportError> {
        for c in &changes {
            self.clock.check(c.replica, c.hlc)?;
        }
        let Checked {
            evict,
            unchecked,
            lasts,
        } = self.validate_batch(&changes)?;
        for key in evict {
            self.buffer.evict(key);
        }
        self.seal();
        let n = changes.len();
        if unchecked {
            // Where an origin is placed only by this batch, whether the insert
            // fits between its origins is known only once placed: keep a copy to
            // restore, so a refusal part-way still leaves the document unchanged.
            // The history, the largest part, is only appended to: it is marked
            // and cut back instead of copied.
            let mark = self.log.mark();
            let before = self.rollback_copy();
            return match self.apply_validated(changes, &lasts) {
                Ok((report, as_received)) => {
                    self.keep_batch(mark, n, payload, as_received);
                    Ok(report)
                }
                Err(e) => {
                    let mut log = std::mem::take(&mut self.log);
                    log.rollback(mark);
                    let undo = std::mem::take(&mut self.undo);
                    let spare = std::mem::take(&mut self.spare);
                    *self = before;
                    self.log = log;
                    self.undo = undo;
                    self.spare = spare;
                    Err(e)
                }
            };
        }
        if payload.is_none() {
            return self
                .apply_validated(changes, &lasts)
                .map(|(report, _)| report);
        }
        // Nothing is packed while a mark is out: the batch's changes are
        // packed together at the end.
        let mark = self.log.mark();
        let result = self.apply_validated(changes, &lasts);
        let as_received = matches!(result, Ok((_, true)));
        self.keep_batch(mark, n, payload, as_received);
        result.map(|(report, _)| report)
    }

    /// A copy of what applying a remote batch can change, for
    /// `apply_update` to restore after a refusal part-way: all but the log
    /// (marked and cut back instead), the undo stacks and the spare buffers
    /// of local edits, which remote changes never touch and the restore
    /// moves back from the document as it is. Not `Doc::clone`: the undo
    /// steps' copy is skipped (in WebAssembly its code leaves the module).
    fn rollback_copy(&self) -> Doc {
        Doc {
            replica: self.replica,
            clock: self.clock.clone(),
            next_counter: self.next_counter,
            version: self.version.clone(),
            frontier: self.frontier.clone(),
            state: self.state.clone(),
            log: ChangeLog::default(),
            buffer: self.buffer.clone(),
            pending: self.pending,
            events: self.events.clone(),
            mark_expand: self.mark_expand.clone(),
            undo: Default::default(),
            spare: Default::default(),
        }
    }

    /// Ends the log's mark on a batch of `n` changes: packed as the update
    /// `payload` they were decoded from if they were applied as received,
    /// else encoded as usual.
    fn keep_batch(
        &mut self,
        mark: crate::change::LogMark,
        n: usize,
        payload: Option<&[u8]>,
        as_received: bool,
    ) {
        match payload {
            Some(payload) if as_received => self.log.keep_encoded(mark, n, payload),
            _ => self.log.keep(mark),
        }
    }

    /// Applies a validated batch, then whatever in the buffer it releases.
    /// Also says whether the batch was applied as received: every change
    /// whole and in order, and nothing else (no duplicate, nothing held back
    /// or released from the buffer). `lasts`: each change's last counter,
    /// as validation summed them (a change's length adds up its ops,
    /// counting each insert's characters: summed once per import).
    fn apply_validated(
        &mut self,
        changes: Vec<Change>,
        lasts: &[u64],
    ) -> Result<(ImportReport, bool), ImportError> {
        let mut report = ImportReport::default();
        let mut clean = true;
        for (c, &last) in changes.into_iter().zip(lasts) {
            debug_assert_eq!(last, c.last());
            let seen = self.version.get(c.replica);
            if seen >= last {
                report.duplicates += 1;
                clean = false;
            } else if is_ready(&c, &self.version) {
                clean &= c.start > seen;
                self.apply_ready(c, last, false)?;
                report.applied += 1;
                let released = self.drain_buffer()?;
                clean &= released == 0;
                report.applied += released;
            } else {
                self.buffer.hold(c);
                clean = false;
            }
        }
        report.buffered = self.buffer.len();
        Ok((report, clean))
    }

    fn drain_buffer(&mut self) -> Result<usize, ImportError> {
        let mut n = 0;
        while let Some(c) = self.buffer.take_ready(&self.version) {
            let last = c.last();
            if self.version.get(c.replica) < last {
                // It may come from an earlier batch, never validated.
                self.apply_ready(c, last, true)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Applies a change whose dependencies are all known (only its unseen tail),
    /// validating it first unless its batch was validated as a whole.
    /// `last`: the change's last counter.
    fn apply_ready(
        &mut self,
        change: Change,
        last: u64,
        validate: bool,
    ) -> Result<(), ImportError> {
        let seen = self.version.get(change.replica);
        let change = if change.start <= seen {
            change.slice_from(seen + 1)
        } else {
            change
        };
        if validate {
            self.validate(&change, &mut BatchView::default())?;
        }
        self.clock.observe(change.hlc);
        let mut events = self.events.take();
        let mut counter = change.start;
        for op in &change.ops {
            let id = OpId::new(change.replica, counter);
            if let Err(e) = self
                .state
                .apply(id, Stamp::new(change.hlc, id), op, events.as_mut())
            {
                self.events = events;
                return Err(e.into());
            }
            counter += op.len();
        }
        self.events = events;
        let first = OpId::new(change.replica, change.start);
        let last = OpId::new(change.replica, last);
        self.version.advance(change.replica, last.counter);
        if change.replica == self.replica {
            // Our own history coming back (e.g. loaded from storage).
            self.next_counter = self.next_counter.max(last.counter + 1);
        }
        self.advance_frontier(&change.deps, first, last);
        self.log.push_ending(change, last.counter + 1, drop);
        self.debug_check();
        Ok(())
    }

    /// Checks every op of `change` before any is applied: its target exists (or is
    /// created earlier in the batch) with the right kind, and the elements its
    /// sequence ops refer to exist (or are inserted earlier in the batch). `seen`
    /// accumulates what the batch creates and inserts. Returns the change's
    /// end (its last counter + 1), summed here as the ops are walked, so that
    /// a batch's lengths are counted once (`validate_batch`): a change whose
    /// counters would pass `u64::MAX` is refused as `BadCounter`.
    fn validate(&self, change: &Change, seen: &mut BatchView) -> Result<u64, CausalityError> {
        let mut counter = change.start;
        // The ops of a change mostly target one container: it is looked up once
        // per run of ops on it, not once per origin, and so are the batch's runs
        // of it.
        // With it, where the container's own ids of the change's replica end:
        // an op past that end resumes no run here, and needs no lookup (a
        // merge's new ops are all past it).
        let mut last: Option<(&ContainerId, Option<&Container>, usize, u64)> = None;
        for op in &change.ops {
            let id = OpId::new(change.replica, counter);
            let obj = op.obj();
            let (container, at, here_to) = match last {
                Some((o, c, at, here_to)) if same_container(o, obj) => (c, at, here_to),
                _ => {
                    let c = self.state.get(obj);
                    let here_to = match c {
                        Some(Container::Text(t)) => t.seq.counters_end(change.replica),
                        Some(Container::List(l)) => l.seq.counters_end(change.replica),
                        _ => 0,
                    };
                    let at = match seen.inserted.get(obj) {
                        Some(&at) => at as usize,
                        None => {
                            seen.runs.push(Runs::default());
                            let at = seen.runs.len() - 1;
                            seen.inserted.insert(obj.clone(), at as u32);
                            at
                        }
                    };
                    last = Some((obj, c, at, here_to));
                    (c, at, here_to)
                }
            };
            let kind_ok = match op.target_kind() {
                Some(k) => obj.kind() == k,
                None => matches!(obj.kind(), ContainerKind::Text | ContainerKind::List),
            };
            let exists = container.is_some()
                || matches!(obj, ContainerId::Named { .. })
                || seen.created.contains_key(obj);
            if !kind_ok || !exists {
                return Err(CausalityError::BadTarget {
                    replica: change.replica,
                    counter: id.counter,
                    target: obj.clone(),
                });
            }
            let runs = Some(&seen.runs[at]).filter(|runs| !runs.is_empty());
            let known = |e: OpId| {
                let in_seq = match container {
                    Some(Container::Text(t)) => t.seq.contains(e),
                    Some(Container::List(l)) => l.seq.contains(e),
                    _ => false,
                };
                in_seq || runs.is_some_and(|runs| runs.find(e).is_some())
            };
            let unknown = |e: OpId| CausalityError::UnknownElement {
                op: id,
                element: e,
                target: obj.clone(),
            };
            // How many counters the op takes, worked out once (an insert's
            // length counts its characters); zero only for an empty run.
            let n = match op {
                Op::SeqInsert { content, .. } => content.len(),
                Op::SeqDelete { len, .. } => *len,
                _ => 1,
            };
            if n == 0 {
                // Applying would refuse it part-way through the batch.
                return Err(CausalityError::EmptyOp {
                    op: id,
                    target: obj.clone(),
                });
            }
            // Checked before the op's own counters are used below.
            let Some(end) = counter.checked_add(n) else {
                return Err(bad_counter(change));
            };
            match op {
                Op::MapSet {
                    obj,
                    key,
                    value: NewValue::Container(kind),
                } => {
                    seen.created
                        .insert(new_container_id(obj, key, id, *kind), 0);
                }
                Op::SeqInsert {
                    left,
                    right,
                    content,
                    ..
                } => {
                    let in_seq = |e: OpId| match container {
                        Some(Container::Text(t)) => t.seq.contains(e),
                        Some(Container::List(l)) => l.seq.contains(e),
                        _ => false,
                    };
                    let find = |e: OpId| runs.and_then(|runs| runs.find(e));
                    let resumes = (id.counter < here_to && in_seq(id))
                        || find(id).and_then(|run| run.to) == Some(id);
                    // Once applying keeps a copy to restore (`unchecked`), a new
                    // run's origins are checked there: applying looks both up
                    // and orders them anyway, refusing with the same errors, and
                    // a refusal restores the copy. A merge of many edits would
                    // otherwise look every origin up twice. A run partly here
                    // already is checked in full: applying reads its left
                    // origin from the part that is here, not from the op.
                    if !seen.unchecked || resumes {
                        // The batch's run holding the left origin is searched
                        // once, both to know the origin and to order it below.
                        let left_run = left.and_then(find);
                        if let Some(l) = left {
                            if left_run.is_none() && !known(*l) {
                                return Err(unknown(*l));
                            }
                        }
                        if let Some(r) = right {
                            if !known(*r) {
                                return Err(unknown(*r));
                            }
                        }
                        let precedes = |a: OpId, b: OpId| match container {
                            Some(Container::Text(t)) => t.seq.precedes(a, b),
                            Some(Container::List(l)) => l.seq.precedes(a, b),
                            _ => None,
                        };
                        if let (Some(l), Some(r)) = (left, right) {
                            // An origin placed by this batch is ordered through
                            // its own run's origins, already checked: a run goes
                            // after its left origin and before its right one.
                            // So typing on in the middle of existing text (the
                            // left origin's run goes before the right origin),
                            // and typing before one's own insert (the right
                            // origin's run goes after the left origin), are
                            // settled here, and applying needs no copy to restore.
                            let at_or_before = |a: OpId, b: OpId| {
                                (a == b || precedes(a, b) == Some(true)).then_some(true)
                            };
                            let order = precedes(*l, *r)
                                .or_else(|| at_or_before(left_run?.to?, *r))
                                .or_else(|| at_or_before(*l, find(*r)?.from?));
                            match order {
                                Some(false) if !resumes => {
                                    return Err(CausalityError::OriginsOutOfOrder {
                                        op: id,
                                        left: *l,
                                        right: *r,
                                        target: obj.clone(),
                                    })
                                }
                                Some(_) => {}
                                None => seen.unchecked = true,
                            }
                        }
                    }
                    if resumes {
                        // Part of the run is here: it resumes after that part,
                        // whatever its left origin says.
                        seen.unchecked = true;
                    }
                    if let SeqContent::Values(items) = content {
                        for (k, item) in items.iter().enumerate() {
                            if let NewValue::Container(kind) = item {
                                let created = ContainerId::Created {
                                    id: OpId::new(id.replica, id.counter + k as u64),
                                    kind: *kind,
                                };
                                seen.created.insert(created, 0);
                            }
                        }
                    }
                    let run = Run {
                        start: id.counter,
                        len: n,
                        to: *right,
                        from: *left,
                    };
                    seen.runs[at].add(id.replica, run, &mut seen.room);
                }
                Op::Mark(m) => {
                    for e in [m.start.id(), m.end.id()].into_iter().flatten() {
                        if !known(e) {
                            return Err(unknown(e));
                        }
                    }
                }
                // With a copy kept to restore, applying checks every deleted
                // id (as for origins above).
                Op::SeqDelete { target, len, .. } if !seen.unchecked => {
                    // `len` is at least 1 here; a run past the counters' range
                    // ends at an element nobody has.
                    let end = target.counter.saturating_add(len - 1);
                    let last = OpId::new(target.replica, end);
                    for e in [*target, last] {
                        if !known(e) {
                            return Err(unknown(e));
                        }
                    }
                }
                _ => {}
            }
            counter = end;
        }
        Ok(counter)
    }

    /// Validates a whole batch in the order it would apply (as far as its own
    /// dependencies allow), before any of it is applied, so that a corrupt change
    /// anywhere leaves the document unchanged. Buffered changes that the batch
    /// would release are checked too; those found corrupt are returned, to be
    /// dropped from the buffer rather than fail this import. Also returns each
    /// of `changes`' last counter, in their order.
    fn validate_batch(&self, changes: &[Change]) -> Result<Checked, CausalityError> {
        let mut version = self.version.clone();
        let mut seen = BatchView {
            room: changes.iter().map(|c| c.ops.len()).sum(),
            ..BatchView::default()
        };
        let mut evict = Vec::new();
        // Each change in arrival order, with its last counter once known (a
        // buffered change's is summed here): a pass then validates a run of
        // changes that depend on one another in order, instead of one per
        // pass. A batch's change has its length (which adds up its ops,
        // counting each insert's characters) summed by its validation, which
        // walks its ops anyway and checks its counters' range; only a change
        // known in part, or never validated (held back), is summed apart.
        let mut lasts = vec![UNSUMMED; changes.len()];
        let mut waiting: Vec<(&Change, Option<usize>, u64)> = Vec::new();
        for (i, c) in changes.iter().enumerate() {
            if c.start == 0 {
                return Err(bad_counter(c));
            }
            waiting.push((c, Some(i), UNSUMMED));
        }
        waiting.extend(self.buffer.iter().map(|c| (c, None, c.last())));
        loop {
            let mut progressed = false;
            let mut kept = 0;
            for i in 0..waiting.len() {
                let (c, at, mut last) = waiting[i];
                let seen_to = version.get(c.replica);
                // Past `seen_to` (a merge's usual case) nothing of it is known
                // and its last need not be known yet; an empty change ends
                // before its start.
                if last == UNSUMMED && (seen_to >= c.start || c.ops.is_empty()) {
                    last = summed(c)?;
                    waiting[i].2 = last;
                    if let Some(at) = at {
                        lasts[at] = last;
                    }
                }
                if seen_to >= last {
                    continue;
                }
                if !is_ready(c, &version) {
                    waiting[kept] = waiting[i];
                    kept += 1;
                    continue;
                }
                let tail;
                let c_tail = if c.start <= seen_to {
                    tail = c.slice_from(seen_to + 1);
                    &tail
                } else {
                    c
                };
                match at {
                    None => {
                        let mut trial = seen.clone();
                        // Checked in full, none of it left to applying: a corrupt
                        // waiting change is dropped, not the import refused.
                        trial.unchecked = false;
                        match self.validate(c_tail, &mut trial) {
                            Ok(_) => {
                                trial.unchecked |= seen.unchecked;
                                seen = trial;
                                version.advance(c.replica, last);
                            }
                            Err(_) => evict.push((c.replica, c.start)),
                        }
                    }
                    Some(at) => {
                        let last = self.validate(c_tail, &mut seen)? - 1;
                        lasts[at] = last;
                        version.advance(c.replica, last);
                    }
                }
                progressed = true;
            }
            waiting.truncate(kept);
            if !progressed {
                // What is left waits in the causal buffer; what was summed
                // before validating, or never validated, is summed now.
                for (last, c) in lasts.iter_mut().zip(changes) {
                    if *last == UNSUMMED {
                        *last = summed(c)?;
                    }
                }
                return Ok(Checked {
                    evict,
                    unchecked: seen.unchecked,
                    lasts,
                });
            }
        }
    }
}
