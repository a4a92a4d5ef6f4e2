//! Export and import: updates, snapshots with history, state-only snapshots.

use super::error::ImportError;
use super::remote::ImportReport;
use super::state::{Container, State};
use super::Doc;
use crate::change::ChangeLog;
use crate::clock::VersionVector;
use crate::encoding::{self, PayloadKind, StateParts};
use crate::ContainerId;

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
        self.commit();
        let changes = self.log.changes().to_vec();
        self.encode_with(Some(&changes))
    }

    /// The document's state without history: smallest and fastest to load, but it
    /// loads only into an empty document, and a replica loaded from it cannot send
    /// peers the history before it (commits pending local ops first).
    pub fn export_state(&mut self) -> Vec<u8> {
        self.commit();
        self.encode_with(None)
    }

    fn encode_with(&self, changes: Option<&[crate::Change]>) -> Vec<u8> {
        encoding::encode_document(changes, |w, t| {
            encoding::write_state(
                w,
                t,
                &self.version,
                &self.frontier,
                self.clock.last(),
                self.state.containers.iter(),
            )
        })
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
        let decoded = encoding::decode(bytes, fresh)?;
        match (decoded.kind, decoded.state) {
            (PayloadKind::Changes, _) | (PayloadKind::Snapshot, None) => {
                self.apply_changes(decoded.changes)
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

    fn install(&mut self, parts: StateParts, log: ChangeLog) {
        let mut state = State {
            utf16_events: self.state.utf16_events,
            ..State::default()
        };
        for (id, c) in parts.containers {
            state.containers.insert(id, c);
        }
        state
            .containers
            .entry(ContainerId::Root)
            .or_insert_with(|| Container::new(crate::ContainerKind::Map));
        self.state = state;
        self.next_counter = parts.version.get(self.replica) + 1;
        self.version = parts.version;
        self.frontier = parts.frontier;
        self.clock.observe(parts.hlc);
        self.log = log;
    }
}
