//! Hybrid logical clock (Kulkarni et al.): physical milliseconds plus a logical
//! counter. Every stamp a replica issues is above every stamp it has seen, so LWW
//! by HLC never lets an older write beat one that causally follows it, and among
//! concurrent writes the later wall-clock time usually wins.

use std::fmt;
use std::sync::Arc;

use thiserror::Error;

use super::{ClockSource, SystemClock};
use crate::ReplicaId;

/// How far ahead of the local clock a remote stamp may be before it is refused.
pub const DEFAULT_MAX_DRIFT_MS: u64 = 60_000;

/// A hybrid logical clock stamp. Ordered by `ms`, then `logical`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Hlc {
    /// Physical time in milliseconds since the Unix epoch (as far as the issuer knew).
    pub ms: u64,
    /// Breaks ties between stamps issued within the same millisecond.
    pub logical: u32,
}

impl Hlc {
    /// A stamp from its parts.
    pub const fn new(ms: u64, logical: u32) -> Self {
        Self { ms, logical }
    }
}

/// A change was stamped too far in the future; nothing of it was applied.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error(
    "change from replica {replica} is stamped {ahead_ms} ms ahead of this replica's clock \
     (at most {max_drift_ms} ms allowed): nothing was applied; fix the sender's clock and re-sync"
)]
pub struct ClockDriftError {
    /// The replica that made the change.
    pub replica: ReplicaId,
    /// How far ahead of the local clock the change was stamped.
    pub ahead_ms: u64,
    /// The limit in force.
    pub max_drift_ms: u64,
}

/// Issues and observes [`Hlc`] stamps for one replica.
#[derive(Clone)]
pub struct HlcClock {
    last: Hlc,
    source: Arc<dyn ClockSource>,
    max_drift_ms: u64,
}

impl fmt::Debug for HlcClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HlcClock")
            .field("last", &self.last)
            .field("max_drift_ms", &self.max_drift_ms)
            .finish_non_exhaustive()
    }
}

impl Default for HlcClock {
    fn default() -> Self {
        Self::new(Arc::new(SystemClock))
    }
}

impl HlcClock {
    /// A clock reading physical time from `source`, with the default drift limit.
    pub fn new(source: Arc<dyn ClockSource>) -> Self {
        Self {
            last: Hlc::default(),
            source,
            max_drift_ms: DEFAULT_MAX_DRIFT_MS,
        }
    }

    /// Replaces the physical time source (stamps stay monotonic).
    pub fn set_source(&mut self, source: Arc<dyn ClockSource>) {
        self.source = source;
    }

    /// Sets how far ahead a remote stamp may be.
    pub fn set_max_drift_ms(&mut self, ms: u64) {
        self.max_drift_ms = ms;
    }

    /// The drift limit in force.
    pub fn max_drift_ms(&self) -> u64 {
        self.max_drift_ms
    }

    /// The physical time source's current reading, in ms.
    pub fn now_ms(&self) -> u64 {
        self.source.now_ms()
    }

    /// The highest stamp issued or observed.
    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A new stamp above every stamp issued or observed so far.
    #[cfg_attr(weft_wasm_speed, inline)]
    pub fn tick(&mut self) -> Hlc {
        let now = self.source.now_ms();
        self.last = if now > self.last.ms {
            Hlc::new(now, 0)
        } else if self.last.logical == u32::MAX {
            // Borrow a millisecond rather than wrap: monotonicity matters more.
            Hlc::new(self.last.ms.saturating_add(1), 0)
        } else {
            Hlc::new(self.last.ms, self.last.logical + 1)
        };
        self.last
    }

    /// Refuses a remote stamp that is further ahead of local physical time than the
    /// drift limit allows.
    pub fn check(&self, replica: ReplicaId, remote: Hlc) -> Result<(), ClockDriftError> {
        let now = self.source.now_ms();
        let ahead_ms = remote.ms.saturating_sub(now);
        if ahead_ms > self.max_drift_ms {
            return Err(ClockDriftError {
                replica,
                ahead_ms,
                max_drift_ms: self.max_drift_ms,
            });
        }
        Ok(())
    }

    /// Records a remote stamp, so that later local stamps are above it.
    pub fn observe(&mut self, remote: Hlc) {
        self.last = self.last.max(remote);
    }
}
