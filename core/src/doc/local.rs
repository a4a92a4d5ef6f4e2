//! Local edits: each becomes an op, applied at once and added to the pending change.

use std::sync::Arc;

use super::error::DocError;
use super::map::FieldValue;
use super::stamp::Stamp;
use super::state::{new_container_id, Container};
use super::{Doc, Mode, Pending};
use crate::change::{ChangeLog, NewValue, Op, SeqContent};
use crate::clock::Hlc;
#[cfg(not(target_arch = "wasm32"))]
use crate::clock::HlcClock;
use crate::encoding::value_key;
#[cfg(not(target_arch = "wasm32"))]
use crate::ReplicaId;
use crate::{
    ContainerId, ContainerKind, CounterId, ListId, MapId, Number, OpId, SetId, TextId, Value,
};

/// The room a new local insert op's text starts with (natively). 64 bytes,
/// not 32: a typed run longer than 32 bytes (most of a sentence) was
/// reallocated once more on its way (automerge-paper: 1,839 growths of
/// typing ops' texts, 0.80 M instructions; 64 bytes: 0.46 M), for about
/// 7 KB more held after replaying it (the last session's ops and the spare
/// buffers start larger).
///
/// In WebAssembly too, where the op's text otherwise grew from an empty
/// buffer through 8, 16, 32 and 64 bytes, each growth a reallocation in the
/// module's allocator (1.7% of a profile of the JavaScript replay of
/// automerge-paper, 2.5% of seph-blog1's; counted with the version
/// vector's lookup in docs/benchmarks.md, branch `wasmspeed5`).
const INSERT_ROOM: usize = 64;

impl Doc {
    /// Applies a local op and adds it to the pending change. The caller has
    /// validated it: from here on nothing can fail.
    pub(super) fn local_op(&mut self, op: Op) -> OpId {
        self.record_local(op, true)
    }

    /// Adds a local op to the pending change, applying it to the state first
    /// unless the caller already has (sequence edits go through the engine's local
    /// API, which returns the op).
    pub(super) fn record_local(&mut self, op: Op, apply: bool) -> OpId {
        let id = OpId::new(self.replica, self.next_counter);
        let len = op.len();
        self.undo_note(&op, id, len);
        // LWW ops (map writes, marks) must keep the stamp they were made with.
        let lww = op.is_lww();
        if lww && self.pending.as_ref().is_some_and(Pending::reopened) {
            // LWW writes keep a change (and stamp) of their own.
            self.seal();
        }
        self.open_pending(!lww);
        let hlc = self.pending.map_or_else(Hlc::default, |p| p.hlc);
        let stamp = Stamp::new(hlc, id);
        if apply {
            // Local ops are validated before they are made: applying cannot fail.
            let _ = self.state.apply(id, stamp, &op, self.events.as_mut());
        }
        let ops = pending_ops(&self.pending, &mut self.spare.ops, &mut self.log);
        let merged = match ops.last_mut() {
            Some(prev) => prev.try_append(&op, id),
            None => false,
        };
        if !merged {
            #[cfg(not(target_arch = "wasm32"))]
            let ops = if self.pending.is_some_and(|p| p.mode == Mode::Full) {
                self.cut_full(id.counter);
                pending_ops(&self.pending, &mut self.spare.ops, &mut self.log)
            } else {
                ops
            };
            ChangeLog::push_op(ops, op);
            let full = ChangeLog::is_full(ops);
            self.note_full(full);
        }
        self.advance_local(len);
        id
    }

    /// Records a text insert of `s` (`n` characters) that the sequence has
    /// applied. Typing continues the pending insert op in place.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn record_text_insert(
        &mut self,
        obj: &ContainerId,
        left: Option<OpId>,
        right: Option<OpId>,
        s: &str,
        n: u64,
    ) {
        self.undo_note_insert(obj, OpId::new(self.replica, self.next_counter), n);
        let prev = OpId::new(self.replica, self.next_counter.wrapping_sub(1));
        self.open_pending(true);
        let ops = pending_ops(&self.pending, &mut self.spare.ops, &mut self.log);
        let extended = match ops.last_mut() {
            Some(Op::SeqInsert {
                obj: o,
                right: r,
                content: SeqContent::Text(text),
                ..
            }) if *r == right && left == Some(prev) && !text.is_empty() => {
                // No container compare: `prev`, this replica's last element, is
                // in the last op (ops take contiguous counters and this one is
                // last), and the new insert's left origin is in `obj`; an
                // element is in one container only.
                debug_assert!(o == obj);
                match s.as_bytes() {
                    // A keystroke: one ASCII byte (a one-byte `str` always is;
                    // saying so lets `push` inline to a store). `push_str` is
                    // worse in WebAssembly: its copy is a `memory.copy`, which
                    // V8 runs as a call into C.
                    [b] if b.is_ascii() => push_ascii(text, *b),
                    _ => text.push_str(s),
                }
                true
            }
            _ => false,
        };
        if !extended {
            let mut text = std::mem::take(&mut self.spare.text);
            // Typing grows the op a keystroke at a time: a buffer of a packed
            // op, or one with room for a few words, saves the allocation and
            // most of the reallocations from eight bytes up.
            #[cfg(not(target_arch = "wasm32"))]
            if text.capacity() == 0 {
                text = self.log.spare_text();
            }
            let room = s.len().max(INSERT_ROOM);
            if text.capacity() < room {
                // A paste longer than the spare buffer: a new buffer
                // (growing the spare, empty, copied its old bytes for
                // nothing when the allocator moved it). The spare is
                // dropped, not kept: kept, it stayed idle after a replay
                // (+28 KB on rustcode and seph-blog1).
                text = String::with_capacity(room);
            }
            text.push_str(s);
            #[cfg(not(target_arch = "wasm32"))]
            if self.pending.is_some_and(|p| p.mode == Mode::Full) {
                self.cut_full(self.next_counter);
            }
            let ops = pending_ops(&self.pending, &mut self.spare.ops, &mut self.log);
            ChangeLog::push_op(
                ops,
                Op::SeqInsert {
                    obj: obj.clone(),
                    left,
                    right,
                    content: SeqContent::Text(text),
                },
            );
            let full = ChangeLog::is_full(ops);
            self.note_full(full);
        }
        self.advance_local(n);
    }

    /// Records the deletion of the id runs in `self.spare.runs` (already applied
    /// to the sequence), extending the pending delete op when they continue it.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn record_deletes(&mut self, obj: &ContainerId) {
        if self.spare.runs.is_empty() {
            return;
        }
        self.undo_note_deletes(obj);
        self.open_pending(true);
        #[cfg_attr(target_arch = "wasm32", allow(unused_mut))]
        let mut ops = pending_ops(&self.pending, &mut self.spare.ops, &mut self.log);
        #[cfg(target_arch = "wasm32")]
        ChangeLog::reserve_ops(ops, self.spare.runs.len());
        let mut len = 0;
        let mut full = false;
        for run in &self.spare.runs {
            let extended = ops
                .last_mut()
                .is_some_and(|prev| prev.try_extend_delete(obj, run.start, run.len, false));
            if !extended {
                #[cfg(not(target_arch = "wasm32"))]
                if full || self.pending.is_some_and(|p| p.mode == Mode::Full) {
                    let start = self.next_counter + len;
                    // By fields: the loop holds `self.spare.runs`.
                    cut_full(
                        &mut self.pending,
                        &mut self.log,
                        &mut self.clock,
                        self.replica,
                        start,
                    );
                    ops = pending_ops(&self.pending, &mut self.spare.ops, &mut self.log);
                    full = false;
                }
                ChangeLog::push_op(
                    ops,
                    Op::SeqDelete {
                        obj: obj.clone(),
                        target: run.start,
                        len: run.len,
                        reversed: false,
                    },
                );
                full |= ChangeLog::is_full(ops);
            }
            len += run.len.max(1);
        }
        self.note_full(full);
        self.advance_local(len);
    }

    /// Starts a pending change if none is open. With `reopen`, when the log's
    /// last change is this replica's and the new one would merge into it at
    /// commit, that change is taken back and extended instead: an editor that
    /// commits after every keystroke then pays nothing per commit.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn open_pending(&mut self, reopen: bool) {
        if self.pending.is_none() {
            self.start_pending(reopen);
        }
    }

    /// [`Doc::open_pending`] when nothing is pending (inlined: an editor
    /// committing per keystroke comes here for every edit).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn start_pending(&mut self, reopen: bool) {
        // The last commit closed the reopened change and nothing came since.
        if reopen {
            if let Some(hlc) = self.log.resume(self.next_counter) {
                debug_assert!(self.frontier.iter().all(|f| f.replica == self.replica));
                self.pending = Some(Pending {
                    first: self.next_counter,
                    mode: Mode::Reopened,
                    hlc,
                });
                return;
            }
        }
        self.reopen_pending(reopen);
    }

    /// [`Doc::start_pending`] when the log's last change cannot simply be
    /// resumed (kept out of line: it is rare next to resuming).
    #[inline(never)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn reopen_pending(&mut self, reopen: bool) {
        let hlc = self.clock.tick();
        let replica = self.replica;
        let own_only = self.frontier.iter().all(|f| f.replica == replica);
        let reopened = reopen && own_only && self.log.reopen(replica, self.next_counter, hlc);
        if !reopened {
            self.fresh_deps();
        }
        self.pending = Some(Pending {
            first: self.next_counter,
            mode: if reopened {
                Mode::Reopened
            } else {
                Mode::Fresh
            },
            hlc,
        });
    }

    /// [`cut_full`] on this document's fields.
    #[cfg(not(target_arch = "wasm32"))]
    #[cold]
    #[inline(never)]
    fn cut_full(&mut self, start: u64) {
        cut_full(
            &mut self.pending,
            &mut self.log,
            &mut self.clock,
            self.replica,
            start,
        );
    }

    /// Notes whether the pending change's ops reached the log's cap on merged
    /// ops (checked where an op is added, not per commit: typing mostly
    /// extends the last op). Natively the next op added cuts it there
    /// ([`cut_full`]).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    fn note_full(&mut self, full: bool) {
        // In WebAssembly every commit lets go of the change, and the next
        // edit's resume checks the cap.
        if cfg!(not(target_arch = "wasm32")) && full {
            if let Some(p) = &mut self.pending {
                if p.mode == Mode::Reopened {
                    p.mode = Mode::Full;
                }
            }
        }
    }

    /// Gathers the dependencies of a change of its own (kept out of the
    /// per-keystroke path: typing reopens the previous change).
    #[cold]
    fn fresh_deps(&mut self) {
        let replica = self.replica;
        let deps = &mut self.spare.deps;
        deps.clear();
        deps.extend(self.frontier.iter().filter(|f| f.replica != replica));
    }

    /// Accounts for `len` counters of local ops just recorded (on every edit's
    /// path: forced inline natively, as the compiler would otherwise call it).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn advance_local(&mut self, len: u64) {
        self.next_counter += len;
        let last = OpId::new(self.replica, self.next_counter - 1);
        self.version.advance_own(self.replica, last.counter);
        // Everything known is in the pending change's past: it is the frontier
        // (usually already just this replica's previous op).
        match self.frontier.as_mut_slice() {
            [only] => *only = last,
            _ => self.reset_frontier(last),
        }
        self.debug_check();
    }

    #[cold]
    fn reset_frontier(&mut self, last: OpId) {
        self.frontier.clear();
        self.frontier.push(last);
    }

    pub(super) fn check_exists(&self, obj: &ContainerId) -> Result<(), DocError> {
        if self.state.exists(obj) {
            Ok(())
        } else {
            Err(DocError::UnknownContainer(obj.clone()))
        }
    }

    /// Sets root field `key` to a scalar (last writer wins).
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        let key = self.key_of(&ContainerId::Root, key);
        self.local_op(Op::MapSet {
            obj: ContainerId::Root,
            key,
            value: NewValue::Value(value.into()),
        });
    }

    /// The map's own copy of `key` if it has the field (sharing it saves an
    /// allocation per write to a known field), else a new one.
    fn key_of(&self, map: &ContainerId, key: &str) -> Arc<str> {
        match self.state.get(map) {
            Some(Container::Map(m)) => m.shared_key(key),
            _ => None,
        }
        .unwrap_or_else(|| Arc::from(key))
    }

    /// Deletes root field `key`. A concurrent write with a later stamp wins over
    /// the delete, and a later delete wins over a concurrent write
    /// (`docs/data-model.md`).
    pub fn delete(&mut self, key: &str) {
        self.local_op(Op::MapDelete {
            obj: ContainerId::Root,
            key: Arc::from(key),
        });
    }

    /// Sets field `key` of `map` to a scalar.
    pub fn map_set(
        &mut self,
        map: &MapId,
        key: &str,
        value: impl Into<Value>,
    ) -> Result<(), DocError> {
        self.check_exists(map.id())?;
        let key = self.key_of(map.id(), key);
        self.local_op(Op::MapSet {
            obj: map.id().clone(),
            key,
            value: NewValue::Value(value.into()),
        });
        Ok(())
    }

    /// Deletes field `key` of `map`.
    pub fn map_delete(&mut self, map: &MapId, key: &str) -> Result<(), DocError> {
        self.check_exists(map.id())?;
        self.local_op(Op::MapDelete {
            obj: map.id().clone(),
            key: Arc::from(key),
        });
        Ok(())
    }

    /// Puts a new empty container of `kind` at field `key` of `map`, replacing what
    /// was there. In the root map the container is named by field and kind (see
    /// [`ContainerId`]); elsewhere by this op.
    pub fn map_put_container(
        &mut self,
        map: &MapId,
        key: &str,
        kind: ContainerKind,
    ) -> Result<ContainerId, DocError> {
        self.check_exists(map.id())?;
        let key: Arc<str> = Arc::from(key);
        let id = OpId::new(self.replica, self.next_counter);
        let cid = new_container_id(map.id(), &key, id, kind);
        self.local_op(Op::MapSet {
            obj: map.id().clone(),
            key,
            value: NewValue::Container(kind),
        });
        Ok(cid)
    }

    /// The container of `kind` in root field `key`, created if the field is empty
    /// or deleted.
    pub fn root_container(
        &mut self,
        key: &str,
        kind: ContainerKind,
    ) -> Result<ContainerId, DocError> {
        let found = match self.state.get(&ContainerId::Root) {
            Some(Container::Map(m)) => m.get(key).cloned(),
            _ => None,
        };
        match found {
            Some(FieldValue::Container(c)) if c.kind() == kind => Ok(c),
            Some(FieldValue::Container(c)) => Err(DocError::TypeMismatch {
                key: key.to_owned(),
                expected: kind,
                found: c.kind().name(),
            }),
            Some(FieldValue::Value(_)) => Err(DocError::TypeMismatch {
                key: key.to_owned(),
                expected: kind,
                found: "plain value",
            }),
            None => self.map_put_container(&MapId::ROOT, key, kind),
        }
    }

    /// The text in root field `key` (created if absent).
    pub fn text(&mut self, key: &str) -> Result<TextId, DocError> {
        self.root_container(key, ContainerKind::Text).map(TextId)
    }

    /// The list in root field `key` (created if absent).
    pub fn list(&mut self, key: &str) -> Result<ListId, DocError> {
        self.root_container(key, ContainerKind::List).map(ListId)
    }

    /// The map in root field `key` (created if absent).
    pub fn map(&mut self, key: &str) -> Result<MapId, DocError> {
        self.root_container(key, ContainerKind::Map).map(MapId)
    }

    /// The counter in root field `key` (created if absent).
    pub fn counter(&mut self, key: &str) -> Result<CounterId, DocError> {
        self.root_container(key, ContainerKind::Counter)
            .map(CounterId)
    }

    /// The set in root field `key` (created if absent).
    pub fn or_set(&mut self, key: &str) -> Result<SetId, DocError> {
        self.root_container(key, ContainerKind::Set).map(SetId)
    }

    /// Adds `delta` (negative to subtract) to a counter.
    pub fn counter_add(
        &mut self,
        counter: &CounterId,
        delta: impl Into<Number>,
    ) -> Result<(), DocError> {
        self.check_exists(counter.id())?;
        self.local_op(Op::CounterAdd {
            obj: counter.id().clone(),
            delta: delta.into(),
        });
        Ok(())
    }

    /// Adds `member` to a set (a no-op op is still recorded if it is present: it
    /// makes the member survive a concurrent remove).
    pub fn set_add(&mut self, set: &SetId, member: impl Into<Value>) -> Result<(), DocError> {
        self.check_exists(set.id())?;
        self.local_op(Op::SetAdd {
            obj: set.id().clone(),
            member: member.into(),
        });
        Ok(())
    }

    /// Removes `member` from a set: the adds seen so far are undone; concurrent
    /// adds elsewhere survive. Returns whether it was present.
    pub fn set_remove(&mut self, set: &SetId, member: &Value) -> Result<bool, DocError> {
        self.check_exists(set.id())?;
        let tags = match self.state.get(set.id()) {
            Some(Container::Set(s)) => s.tags(&value_key(member)).to_vec(),
            _ => Vec::new(),
        };
        if tags.is_empty() {
            return Ok(false);
        }
        self.local_op(Op::SetRemove {
            obj: set.id().clone(),
            member: member.clone(),
            tags,
        });
        Ok(true)
    }
}

/// Cuts the reopened change, which holds the log's cap on merged ops
/// (`Mode::Full`), where the next op (counter `start`) goes: that op and
/// those after it go to a change of their own, stamped anew as a change
/// started after a commit is (`ChangeLog::split`). The pending change is
/// reopened on the new one, its transaction's first counter kept for
/// `commit`'s answer.
#[cfg(not(target_arch = "wasm32"))]
#[cold]
#[inline(never)]
fn cut_full(
    pending: &mut Option<Pending>,
    log: &mut ChangeLog,
    clock: &mut HlcClock,
    replica: ReplicaId,
    start: u64,
) {
    let hlc = clock.tick();
    if let Some(p) = pending {
        p.hlc = hlc;
        p.mode = Mode::Reopened;
    }
    log.split(replica, start, hlc);
}

/// Where the open pending change's ops go: its own list, or the log's last
/// change when it was reopened.
#[cfg_attr(weft_wasm_speed, inline)]
fn pending_ops<'a>(
    pending: &Option<Pending>,
    fresh: &'a mut Vec<Op>,
    log: &'a mut ChangeLog,
) -> &'a mut Vec<Op> {
    match pending {
        Some(p) if p.mode == Mode::Fresh => fresh,
        _ => log.last_ops().expect("a reopened change is in the log"),
    }
}

/// Appends the ASCII byte `b` to `text`. In the WebAssembly module
/// `String::push` is a call that calls std's size-built `Vec<u8>::reserve`
/// and `encode_utf8_raw_unchecked` (about 50 instructions for one byte: std's
/// generics are shared from its size build, not inlined); an ASCII character
/// is appended by `Vec<u8>::push`, inlined to a compare and a store (the
/// build is nightly-enabled there: `core::ascii::Char` and `extend_one` are
/// unstable). Natively `String::push` inlines.
#[inline(always)]
fn push_ascii(text: &mut String, b: u8) {
    #[cfg(weft_wasm_speed)]
    if let Some(c) = core::ascii::Char::from_u8(b) {
        text.extend_one(c);
        return;
    }
    text.push(char::from(b));
}
