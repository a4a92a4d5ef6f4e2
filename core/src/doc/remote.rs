//! Remote changes: refused whole if stamped too far ahead, held until their
//! dependencies arrive, applied once however often they are delivered.

use std::collections::HashSet;

use super::error::{CausalityError, ImportError};
use super::stamp::Stamp;
use super::state::new_container_id;
use super::Doc;
use crate::change::{buffer::is_ready, Change, NewValue, Op, SeqContent};
use crate::{ContainerId, OpId};

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
        for c in &changes {
            self.clock.check(c.replica, c.hlc)?;
            if c.start == 0 || c.start.checked_add(c.len()).is_none() {
                return Err(CausalityError::BadCounter {
                    replica: c.replica,
                    start: c.start,
                }
                .into());
            }
        }
        self.commit();
        let mut report = ImportReport::default();
        for c in changes {
            if self.version.get(c.replica) >= c.last() {
                report.duplicates += 1;
            } else if is_ready(&c, &self.version) {
                self.apply_ready(c)?;
                report.applied += 1;
                report.applied += self.drain_buffer()?;
            } else {
                self.buffer.hold(c);
            }
        }
        report.buffered = self.buffer.len();
        Ok(report)
    }

    fn drain_buffer(&mut self) -> Result<usize, ImportError> {
        let mut n = 0;
        while let Some(c) = self.buffer.take_ready(&self.version) {
            if self.version.get(c.replica) < c.last() {
                self.apply_ready(c)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Applies a change whose dependencies are all known (only its unseen tail).
    fn apply_ready(&mut self, change: Change) -> Result<(), ImportError> {
        let seen = self.version.get(change.replica);
        let change = if change.start <= seen {
            change.slice_from(seen + 1)
        } else {
            change
        };
        self.validate(&change)?;
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
        let last = OpId::new(change.replica, change.last());
        self.version.advance(change.replica, last.counter);
        if change.replica == self.replica {
            // Our own history coming back (e.g. loaded from storage).
            self.next_counter = self.next_counter.max(last.counter + 1);
        }
        self.advance_frontier(&change.deps, first, last);
        self.log.push(change);
        self.debug_check();
        Ok(())
    }

    /// Checks every op's target before any is applied, so a corrupt change is
    /// refused whole rather than applied in part.
    fn validate(&self, change: &Change) -> Result<(), CausalityError> {
        let mut created: HashSet<ContainerId> = HashSet::new();
        let mut counter = change.start;
        for op in &change.ops {
            let id = OpId::new(change.replica, counter);
            let obj = op.obj();
            let kind_ok = match op.target_kind() {
                Some(k) => obj.kind() == k,
                None => {
                    obj.kind() == crate::ContainerKind::Text
                        || obj.kind() == crate::ContainerKind::List
                }
            };
            if !kind_ok || !(self.state.exists(obj) || created.contains(obj)) {
                return Err(CausalityError::BadTarget {
                    replica: change.replica,
                    counter: id.counter,
                    target: obj.clone(),
                });
            }
            match op {
                Op::MapSet {
                    obj,
                    key,
                    value: NewValue::Container(kind),
                } => {
                    created.insert(new_container_id(obj, key, id, *kind));
                }
                Op::SeqInsert {
                    content: SeqContent::Values(items),
                    ..
                } => {
                    for (k, item) in items.iter().enumerate() {
                        if let NewValue::Container(kind) = item {
                            created.insert(ContainerId::Created {
                                id: OpId::new(id.replica, id.counter + k as u64),
                                kind: *kind,
                            });
                        }
                    }
                }
                _ => {}
            }
            counter += op.len();
        }
        Ok(())
    }
}
