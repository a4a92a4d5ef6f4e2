//! A global allocator that counts live heap bytes and their peak while a
//! measurement asks it to (as core/benches/heap does for the criterion benches),
//! so the report can give the memory a document holds after a replay. Counting
//! is off otherwise: the timed runs pay one relaxed load per allocation, the
//! same for every library.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

pub struct Counting;

static ON: AtomicBool = AtomicBool::new(false);
// Signed: a block allocated before a measurement and freed inside it counts
// as negative.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; the counters are a
// side effect that does not touch the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if ON.load(Relaxed) {
            grow(layout.size());
        }
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ON.load(Relaxed) {
            LIVE.fetch_sub(layout.size() as isize, Relaxed);
        }
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if ON.load(Relaxed) {
            // Old and new block are both held while the contents move.
            grow(new_size);
            LIVE.fetch_sub(layout.size() as isize, Relaxed);
        }
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn grow(by: usize) {
    let by = by as isize;
    let now = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(now, Relaxed);
}

/// Runs `f` and returns its result with the bytes it left allocated and the
/// most it held at once (blocks it freed that were allocated before it count
/// against both; the totals are clamped at zero). Only one measurement may run
/// at a time (the benchmark is single-threaded).
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    ON.store(true, Relaxed);
    let out = f();
    ON.store(false, Relaxed);
    let held = LIVE.load(Relaxed).max(0) as usize;
    (out, held, PEAK.load(Relaxed).max(0) as usize)
}
