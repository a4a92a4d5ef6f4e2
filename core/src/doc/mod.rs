//! The document: a root map of named fields holding values and containers.

mod check;
pub(crate) mod counter;
mod cursor_api;
mod error;
mod event;
mod local;
pub(crate) mod map;
pub(crate) mod marks;
mod marks_api;
mod order;
mod persist;
mod read;
mod remote;
pub(crate) mod runs;
pub use remote::ImportReport;
pub(crate) mod seq;
mod seq_api;
pub(crate) mod set;
pub(crate) mod stamp;
pub(crate) mod state;
mod undo;
mod undo_api;
pub use undo_api::{Caret, UndoOutcome};

use std::sync::Arc;

pub use error::{CausalityError, DocError, ImportError};
pub use event::{Attributes, Diff, Event, ListDelta, TextDelta};
pub use map::FieldValue;
pub use marks_api::{DeltaRun, Expand};

use crate::change::{CausalBuffer, Change, ChangeLog, Op, SeqContent};
use crate::clock::{ClockSource, Hlc, HlcClock, VersionVector};
use crate::seq::IdRun;
use crate::{OpId, ReplicaId};
use state::State;

/// The head of the local ops not yet sealed into a change (a transaction, as in
/// Automerge/Loro). Plain data: an editor opens and closes one per keystroke.
///
/// A reopened one stays open across [`Doc::commit`], which only notes where
/// the next commit's ops start: an editor committing per keystroke then
/// neither closes nor resumes the change per keystroke, and the log learns
/// where the change ends ([`ChangeLog::close`]) when it is let go of.
/// Whatever touches the log other than this replica's next local edit lets
/// go of it first ([`Doc::seal`]).
#[derive(Clone, Copy, Debug)]
struct Pending {
    /// The first counter recorded since the last commit (where a fresh change
    /// starts; for a reopened one held open, `Doc::next_counter` until the
    /// next op is recorded).
    first: u64,
    mode: Mode,
    hlc: Hlc,
}

/// Where a pending change's ops go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// To `Spare::ops`, a change of its own at commit.
    Fresh,
    /// To the log's last change, reopened to be extended
    /// (`ChangeLog::reopen`): it must not take LWW writes, which keep a
    /// change of their own.
    Reopened,
    /// As `Reopened`, and that change reached the log's cap on merged ops
    /// ([`ChangeLog::is_full`]), natively: the next op added cuts it there,
    /// even inside a transaction, and goes to a change of its own
    /// ([`ChangeLog::split`]), so its op list never outgrows the cap.
    Full,
}

impl Pending {
    fn reopened(&self) -> bool {
        self.mode != Mode::Fresh
    }
}

/// Buffers kept from one local edit to the next, so that an editor committing
/// after every keystroke records ops without allocating.
#[derive(Clone, Debug, Default)]
struct Spare {
    /// The ops of a pending change that is not a reopened one (empty otherwise).
    ops: Vec<Op>,
    /// That change's dependencies.
    deps: Vec<OpId>,
    /// An empty string for the next text insert op.
    text: String,
    /// Deleted id runs of the current local delete.
    runs: Vec<IdRun>,
}

/// A replica of one document.
///
/// Local edits apply at once and accumulate into a pending change, sealed by
/// [`Doc::commit`] or by any export. Remote changes arrive through
/// [`Doc::import`] or [`Doc::apply_changes`], in any order, any number of times.
#[derive(Clone, Debug)]
pub struct Doc {
    replica: ReplicaId,
    clock: HlcClock,
    /// The next counter this replica will use.
    next_counter: u64,
    version: VersionVector,
    frontier: Vec<OpId>,
    state: State,
    log: ChangeLog,
    buffer: CausalBuffer,
    pending: Option<Pending>,
    events: Option<Vec<Event>>,
    /// Expand policies of marks declared on this replica (`Doc::define_mark`).
    mark_expand: crate::VecMap<Arc<str>, Expand>,
    undo: undo::UndoManager,
    spare: Spare,
}

impl Doc {
    /// An empty document owned by `replica`, reading time from the system clock.
    pub fn new(replica: ReplicaId) -> Self {
        Self {
            replica,
            clock: HlcClock::default(),
            next_counter: 1,
            version: VersionVector::new(),
            frontier: Vec::new(),
            state: State::default(),
            log: ChangeLog::default(),
            buffer: CausalBuffer::default(),
            pending: None,
            events: None,
            mark_expand: Default::default(),
            undo: undo::UndoManager::default(),
            spare: Spare::default(),
        }
    }

    /// An empty document owned by `replica`, reading physical time from `source`
    /// (tests pass a [`FixedClock`](crate::clock::FixedClock); WebAssembly hosts
    /// pass `Date.now`).
    pub fn with_clock(replica: ReplicaId, source: Arc<dyn ClockSource>) -> Self {
        let mut d = Self::new(replica);
        d.clock.set_source(source);
        d
    }

    /// Replaces the physical time source.
    pub fn set_clock(&mut self, source: Arc<dyn ClockSource>) {
        self.clock.set_source(source);
    }

    /// Sets how far in the future (ms) a remote change may be stamped before it is
    /// refused (default 60 s).
    pub fn set_max_drift_ms(&mut self, ms: u64) {
        self.clock.set_max_drift_ms(ms);
    }

    /// The replica this document writes as.
    pub fn replica(&self) -> ReplicaId {
        self.replica
    }

    /// What this replica has seen, pending local ops included.
    pub fn version(&self) -> &VersionVector {
        &self.version
    }

    /// The latest ops: those no other known op depends on.
    pub fn frontier(&self) -> &[OpId] {
        &self.frontier
    }

    /// The highest HLC stamp issued or observed.
    pub fn hlc(&self) -> Hlc {
        self.clock.last()
    }

    /// Number of remote changes waiting for their dependencies.
    pub fn buffered_changes(&self) -> usize {
        self.buffer.len()
    }

    /// Starts recording [`Event`]s for every local and remote op (off by default,
    /// so replays pay nothing for them).
    pub fn record_events(&mut self, on: bool) {
        self.events = on.then(Vec::new);
    }

    /// Counts text event positions and lengths in UTF-16 code units (JavaScript's
    /// string indices) instead of characters. Off by default.
    pub fn set_utf16_events(&mut self, on: bool) {
        self.state.utf16_events = on;
    }

    /// The events recorded since the last call, in the order the ops applied.
    pub fn take_events(&mut self) -> Vec<Event> {
        self.events.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Seals the pending local ops into a change. Exports do this themselves.
    /// Returns the id of the first op recorded since the last commit, or `None`
    /// when nothing was pending.
    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub fn commit(&mut self) -> Option<OpId> {
        // An editor commits per keystroke, usually into a reopened change: that
        // case only moves the change's end, inlined into the caller, and keeps
        // the change open for the next edit.
        let next = self.next_counter;
        let first = match &mut self.pending {
            // Held open natively; in WebAssembly the code to hold it grew the
            // module, and every commit lets go of the change.
            #[cfg(not(target_arch = "wasm32"))]
            Some(Pending {
                mode: Mode::Reopened | Mode::Full,
                first,
                ..
            }) => std::mem::replace(first, next),
            None => return None,
            Some(Pending {
                mode: Mode::Fresh, ..
            }) => return self.commit_fresh(),
            // In WebAssembly, a reopened change: let go of it and tell the log
            // where it ends. (Natively even a full one is held: the next op
            // added cuts it at the cap, `ChangeLog::split`.)
            #[cfg(target_arch = "wasm32")]
            Some(Pending { first, .. }) => {
                let first = *first;
                self.pending = None;
                self.log.close(next);
                first
            }
        };
        // Held open since the last commit, nothing recorded since: nothing
        // to commit.
        if cfg!(not(target_arch = "wasm32")) && first == next {
            return None;
        }
        Some(OpId::new(self.replica, first))
    }

    /// Commits, and lets go of a reopened change held open, telling the log
    /// where it ends: for whatever touches the log next (an import, an
    /// export, an LWW write's own change). In WebAssembly, where no change is
    /// held open, `commit`.
    pub(super) fn seal(&mut self) {
        self.commit();
        #[cfg(not(target_arch = "wasm32"))]
        if self.pending.take().is_some() {
            self.log.close(self.next_counter);
        }
    }

    /// Seals a pending change that is not a reopened one into the log.
    fn commit_fresh(&mut self) -> Option<OpId> {
        let p = self.pending.take()?;
        let spare = &mut self.spare;
        let change = Change {
            replica: self.replica,
            start: p.first,
            deps: std::mem::take(&mut spare.deps),
            hlc: p.hlc,
            ops: std::mem::take(&mut spare.ops),
        };
        let recycled = self.log.push_with(change, |op| {
            if let Op::SeqInsert {
                content: SeqContent::Text(mut text),
                ..
            } = op
            {
                // A pasted block would keep its whole buffer alive: keep small ones.
                if text.capacity() <= 256 {
                    text.clear();
                    spare.text = text;
                }
            }
        });
        if let Some(ops) = recycled {
            spare.ops = ops;
        }
        Some(OpId::new(self.replica, p.first))
    }

    /// Every change this replica holds (the pending one committed first), in an
    /// order they can be applied in.
    pub fn changes(&mut self) -> Vec<Change> {
        self.changes_since(&VersionVector::new())
    }

    /// Exactly the changes a peer at `version` lacks (tails of changes it holds in
    /// part), in an order it can apply them in.
    pub fn changes_since(&mut self, version: &VersionVector) -> Vec<Change> {
        self.seal();
        // A history that fails to decode is left out (see `load_history`).
        let _ = self.load_history();
        self.log.since(version)
    }

    /// Records that `last` is now the newest op and `deps` (with the replica's
    /// previous op) are no longer on the frontier.
    fn advance_frontier(&mut self, deps: &[OpId], first: OpId, last: OpId) {
        let prev = first.counter - 1;
        self.frontier
            .retain(|f| !(deps.contains(f) || (f.replica == first.replica && f.counter <= prev)));
        self.frontier.push(last);
        self.frontier.sort_unstable();
    }
}
