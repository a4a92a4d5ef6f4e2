//! Export and import: updates, snapshots with history, state-only snapshots.

use super::error::ImportError;
use super::remote::ImportReport;
use super::state::{Container, State};
use super::Doc;
use crate::change::ChangeLog;
use crate::clock::VersionVector;
use crate::encoding::{self, PayloadKind, StateParts};
use std::sync::Arc;

impl Doc {
    /// The changes a peer at `since` lacks, as an update payload (commits pending
    /// local ops first). `Doc::export_changes(&VersionVector::new())` is the whole
    /// history.
    pub fn export_changes(&mut self, since: &VersionVector) -> Vec<u8> {
        let changes = self.changes_since(since);
        encoding::encode_changes(&changes)
    }

    /// The whole document with its history: loads fast into an empty document and
    /// merges into any other (commits pending local ops first).
    pub fn export_snapshot(&mut self) -> Vec<u8> {
        self.seal();
        // A history that fails to decode is left out (see `load_history`).
        let _ = self.load_history();
        let changes = self.log.changes();
        self.encode_with(Some(&changes))
    }

    /// The document's state without history: smallest and fastest to load, but it
    /// loads only into an empty document, and a replica loaded from it cannot send
    /// peers the history before it (commits pending local ops first).
    pub fn export_state(&mut self) -> Vec<u8> {
        self.seal();
        self.encode_with(None)
    }

    fn encode_with(&self, changes: Option<&[crate::Change]>) -> Vec<u8> {
        let mut texts: Vec<_> = self
            .state
            .iter()
            .filter_map(|(id, c)| match c {
                Container::Text(t) if !t.marks.is_empty() => Some((id, &t.marks)),
                _ => None,
            })
            .collect();
        texts.sort_by(|a, b| a.0.cmp(b.0));
        encoding::encode_document(
            changes,
            |w, t| {
                encoding::write_state(
                    w,
                    t,
                    &self.version,
                    &self.frontier,
                    self.clock.last(),
                    self.state.iter(),
                )
            },
            &texts,
        )
    }

    /// Whether nothing was ever written to or merged into this document.
    pub fn is_empty(&self) -> bool {
        self.version.is_empty() && self.pending.is_none() && self.buffer.len() == 0
    }

    /// Merges any payload: an update, a snapshot with history (loaded directly from
    /// its state section when this document is empty), or a state-only snapshot
    /// (only into an empty document).
    ///
    /// The payload is decoded and checked in full before anything is applied: on a
    /// decode or clock-drift error the document is unchanged.
    pub fn import(&mut self, bytes: &[u8]) -> Result<ImportReport, ImportError> {
        let fresh = self.is_empty();
        // The header only: whichever decoder follows checks the checksum.
        if fresh && encoding::peek_kind(bytes).ok() == Some(PayloadKind::Snapshot) {
            return self.load_snapshot(bytes);
        }
        let decoded = encoding::decode(bytes, fresh)?;
        // An update can stand for its changes in the log: natively the
        // payload as received, in WebAssembly its opened body (a log block
        // of the module's own format).
        let payload = match cfg!(target_arch = "wasm32") {
            true => decoded.body.as_deref(),
            false => (decoded.kind == PayloadKind::Changes).then_some(bytes),
        };
        match (decoded.kind, decoded.state) {
            (PayloadKind::Changes, _) | (PayloadKind::Snapshot, None) => {
                self.apply_update(decoded.changes, payload)
            }
            (_, Some(parts)) if fresh => {
                for c in &decoded.changes {
                    self.clock.check(c.replica, c.hlc)?;
                }
                let replica = parts.version.iter().next().map_or(self.replica, |(r, _)| r);
                self.clock.check(replica, parts.hlc)?;
                let applied = decoded.changes.len();
                let mut log = ChangeLog::default();
                for c in decoded.changes {
                    log.push(c);
                }
                self.install(parts, log);
                Ok(ImportReport {
                    applied,
                    ..ImportReport::default()
                })
            }
            _ => Err(ImportError::StateIntoNonEmpty),
        }
    }

    /// Loads a snapshot with history into this empty document from its state
    /// section; the history stays undecoded until something needs it.
    fn load_snapshot(&mut self, bytes: &[u8]) -> Result<ImportReport, ImportError> {
        let (parts, applied) = encoding::decode_snapshot_state(bytes)?;
        // The state's stamp is the newest the exporter knew, so it bounds the
        // history's: checking it checks theirs (`load_history` checks each again).
        let replica = parts.version.iter().next().map_or(self.replica, |(r, _)| r);
        self.clock.check(replica, parts.hlc)?;
        self.install(parts, ChangeLog::unloaded(Arc::from(bytes)));
        Ok(ImportReport {
            applied,
            ..ImportReport::default()
        })
    }

    /// Decodes the history of the snapshot this document was loaded from, if that
    /// has not happened yet. Loading a snapshot defers it (only its checksum and
    /// framing are checked then); exporting history and [`Doc::changes_since`]
    /// trigger it. A history that turns out to be corrupt (which takes bytes
    /// forged with a valid checksum) is dropped, and the error is returned here,
    /// once: the document then behaves as if loaded from a state-only snapshot
    /// (its state is intact, but it cannot send peers the changes before it).
    /// Call this after loading untrusted snapshots to learn of such an error.
    pub fn load_history(&mut self) -> Result<(), ImportError> {
        let Some(bytes) = self.log.take_unloaded() else {
            return Ok(());
        };
        // A reopened local change is the log's last: seal it before moving it.
        self.seal();
        let decoded = encoding::decode(&bytes, false)?;
        for c in &decoded.changes {
            self.clock.check(c.replica, c.hlc)?;
        }
        let mut log = ChangeLog::default();
        for c in decoded.changes {
            log.push(c);
        }
        // Changes made or merged since loading come after the snapshot's.
        for c in std::mem::take(&mut self.log).into_changes() {
            log.push(c);
        }
        self.log = log;
        Ok(())
    }

    /// How many texts loaded from a snapshot are still to be built (they are
    /// built on first use; see `doc/seq/lazy.rs`). For tests and benchmarks.
    #[doc(hidden)]
    pub fn unbuilt_texts(&self) -> usize {
        self.state
            .iter()
            .filter(|(_, c)| matches!(c, Container::Text(t) if t.seq.is_pending()))
            .count()
    }

    fn install(&mut self, parts: StateParts, log: ChangeLog) {
        let mut state = State::default();
        state.utf16_events = self.state.utf16_events;
        for (id, c) in parts.containers {
            state.insert(id, c);
        }
        self.state = state;
        self.next_counter = parts.version.get(self.replica) + 1;
        self.version = parts.version;
        self.frontier = parts.frontier;
        self.clock.observe(parts.hlc);
        self.log = log;
    }
}
