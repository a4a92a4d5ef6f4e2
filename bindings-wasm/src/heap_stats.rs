//! Instrument builds only (`--cfg weft_heap_stats`, built by
//! bench/build-wasm-heap-stats.sh, never shipped): the module's allocator wrapped
//! to count live bytes and their high-water mark, the live blocks of 4 KB or
//! more (now and at the high-water mark) and every alloc, realloc and free of
//! 16 KB or more, read from JavaScript through raw exports (`weft_heap_*`) that
//! bench/mem.mjs prints. It tells which of the module's blocks set how much of
//! its linear memory a replay touches.
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static CALLS: AtomicUsize = AtomicUsize::new(0);

/// Live allocations of 4 KB or more (pointer, size), and their copy at the peak.
const SLOTS: usize = 256;
static mut BIG: [(usize, usize); SLOTS] = [(0, 0); SLOTS];
static mut AT_PEAK: [(usize, usize); SLOTS] = [(0, 0); SLOTS];
const BIG_MIN: usize = 4096;

fn track(ptr: *mut u8, size: usize) {
    if size < BIG_MIN || ptr.is_null() {
        return;
    }
    // SAFETY: the module is single-threaded.
    unsafe {
        let big = &mut *std::ptr::addr_of_mut!(BIG);
        if let Some(slot) = big.iter_mut().find(|s| s.1 == 0) {
            *slot = (ptr as usize, size);
        }
    }
}
fn untrack(ptr: *mut u8) {
    // SAFETY: the module is single-threaded.
    unsafe {
        let big = &mut *std::ptr::addr_of_mut!(BIG);
        if let Some(slot) = big.iter_mut().find(|s| s.0 == ptr as usize && s.1 != 0) {
            *slot = (0, 0);
        }
    }
}

fn grow(by: usize) {
    CALLS.fetch_add(1, Relaxed);
    let now = LIVE.fetch_add(by, Relaxed) + by;
    if now > PEAK.load(Relaxed) {
        PEAK.store(now, Relaxed);
        // SAFETY: the module is single-threaded.
        unsafe { *std::ptr::addr_of_mut!(AT_PEAK) = *std::ptr::addr_of!(BIG) };
    }
}

/// Every alloc, realloc and free of 16 KB or more: (call number, old size, new
/// size, new address), old size 0 for an alloc, new size 0 for a free.
const EVENTS: usize = 4096;
static mut LOG: [(u32, u32, u32, u32); EVENTS] = [(0, 0, 0, 0); EVENTS];
static mut LOGGED: usize = 0;
fn log(old: usize, new: usize, ptr: *mut u8) {
    if old.max(new) < 16384 {
        return;
    }
    // SAFETY: the module is single-threaded.
    unsafe {
        let n = *std::ptr::addr_of!(LOGGED);
        if n < EVENTS {
            (*std::ptr::addr_of_mut!(LOG))[n] = (
                CALLS.load(Relaxed) as u32,
                old as u32,
                new as u32,
                ptr as u32,
            );
            *std::ptr::addr_of_mut!(LOGGED) = n + 1;
        }
    }
}
#[no_mangle]
extern "C" fn weft_heap_log(i: usize) -> u32 {
    // SAFETY: the module is single-threaded.
    unsafe {
        if i == 0 {
            return *std::ptr::addr_of!(LOGGED) as u32;
        }
        let e = (*std::ptr::addr_of!(LOG))[(i - 1) / 4];
        [e.0, e.1, e.2, e.3][(i - 1) % 4]
    }
}

#[no_mangle]
extern "C" fn weft_heap_big(i: usize, peak: bool) -> usize {
    // SAFETY: the module is single-threaded.
    unsafe {
        let t = if peak {
            *std::ptr::addr_of!(AT_PEAK)
        } else {
            *std::ptr::addr_of!(BIG)
        };
        t.get(i / 2)
            .map_or(0, |s| if i % 2 == 0 { s.0 } else { s.1 })
    }
}

// SAFETY: forwards every call to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: same contract as ours.
        let p = unsafe { System.alloc(layout) };
        track(p, layout.size());
        log(0, layout.size(), p);
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        untrack(ptr);
        log(layout.size(), 0, ptr);
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // The old block is still held when the peak is taken.
        grow(new_size);
        track(usize::MAX as *mut u8, new_size);
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: same contract as ours.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        untrack(usize::MAX as *mut u8);
        untrack(ptr);
        track(p, new_size);
        log(layout.size(), new_size, p);
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[no_mangle]
extern "C" fn weft_heap_live() -> usize {
    LIVE.load(Relaxed)
}
#[no_mangle]
extern "C" fn weft_heap_peak() -> usize {
    PEAK.load(Relaxed)
}
#[no_mangle]
extern "C" fn weft_heap_calls() -> usize {
    CALLS.load(Relaxed)
}
#[no_mangle]
extern "C" fn weft_heap_reset_peak() {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
}
