//! Where physical time comes from. Injected so that tests are deterministic and
//! WebAssembly hosts can pass `Date.now()` (the std clock panics there).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A source of physical time in milliseconds since the Unix epoch.
pub trait ClockSource: Send + Sync {
    /// The current time in milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
}

impl<F: Fn() -> u64 + Send + Sync> ClockSource for F {
    fn now_ms(&self) -> u64 {
        self()
    }
}

/// The operating system's clock. On `wasm32` targets without a host clock it reads
/// 0: the hybrid clock then degrades to a Lamport clock until a real source is set.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl ClockSource for SystemClock {
    fn now_ms(&self) -> u64 {
        #[cfg(not(target_arch = "wasm32"))]
        {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64)
        }
        #[cfg(target_arch = "wasm32")]
        {
            0
        }
    }
}

/// A clock that reads whatever it was last set to: for tests and replays.
/// Clones share the same time.
#[derive(Clone, Debug, Default)]
pub struct FixedClock(Arc<AtomicU64>);

impl FixedClock {
    /// A clock reading `ms`.
    pub fn new(ms: u64) -> Self {
        Self(Arc::new(AtomicU64::new(ms)))
    }

    /// Moves the clock to `ms` (backwards too: hybrid clocks must cope with that).
    pub fn set(&self, ms: u64) {
        self.0.store(ms, Ordering::Relaxed);
    }

    /// Moves the clock forward by `ms`.
    pub fn advance(&self, ms: u64) {
        self.0.fetch_add(ms, Ordering::Relaxed);
    }
}

impl ClockSource for FixedClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}
