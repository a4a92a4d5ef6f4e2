//! The module's allocator: segregated free lists for small blocks, one
//! address-ordered coalescing list for large ones, over `memory.grow`.
//!
//! std's dlmalloc was 4.7 KB of code (about 2 KB gzipped) in a module over its size
//! budget. Rust hands the layout back on `dealloc` and `realloc`, so a block's size
//! is recomputed from it and no block carries a header. Blocks up to 8 KB come in
//! classes stepping by 8 B up to 64 B, then by a quarter of each power of two (under
//! 25% rounding); a freed one waits on its class's list for the next of its size, as
//! a freed document's blocks serve the next one's. Larger blocks (growing buffers:
//! texts, logs, tables) are rounded to 16 B and kept in one list sorted by address,
//! merged with their free neighbours and with the unused top, so a buffer that
//! doubles reuses the space its smaller copies left, as dlmalloc's did. New memory
//! comes from a bump region grown in 64 KB steps (dlmalloc's granularity). The
//! module has one thread, so there is no locking.

// Installed for wasm32 only; natively only its tests use it.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65_536;
/// 8 classes of 8..=64 B, then 8 per power of two up to 8 KB.
const CLASSES: usize = 8 + 8 * 7;
/// Blocks above this many bytes go to the large list.
const SMALL: usize = 8192;

/// Grows the memory by `pages`, returning the old size in pages or `usize::MAX`.
#[cfg(target_arch = "wasm32")]
fn grow(pages: usize) -> usize {
    core::arch::wasm32::memory_grow(0, pages)
}

/// Native builds (the unit tests) grow into a static arena instead.
#[cfg(not(target_arch = "wasm32"))]
fn grow(pages: usize) -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    #[repr(align(65536))]
    struct Arena(#[allow(dead_code)] [u8; 256 * PAGE]);
    // Mutable so that it lands in writable memory; only addressed through `alloc`.
    static mut ARENA: Arena = Arena([0; 256 * PAGE]);
    static USED: AtomicUsize = AtomicUsize::new(0);
    let used = USED.fetch_add(pages, Ordering::Relaxed);
    if used + pages > 256 {
        return usize::MAX;
    }
    (core::ptr::addr_of_mut!(ARENA) as usize) / PAGE + used
}

struct Heap {
    /// Next free byte of the bump region, and its end.
    next: usize,
    end: usize,
    /// Per class, the first free block; each free block holds the next one's address.
    free: [usize; CLASSES],
    /// The first free large block; each holds the next one's address and its size.
    large: usize,
}

/// The allocator installed by `lib.rs` for wasm32.
pub struct Lists(UnsafeCell<Heap>);

// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
unsafe impl Sync for Lists {}

impl Lists {
    pub const fn new() -> Self {
        Lists(UnsafeCell::new(Heap {
            next: 0,
            end: 0,
            free: [0; CLASSES],
            large: 0,
        }))
    }
}

/// A layout's block size and its class (`CLASSES` for a large block), or `None`
/// for alignments over 16 (none in this module) or sizes a wasm32 memory cannot
/// hold. The size is first rounded up to a multiple of the alignment; every class
/// size from there up is a multiple of it (classes over 64 B step by a quarter of
/// their power of two, large blocks by 16), and blocks are placed at the largest
/// power of two dividing their size, up to 16, so any block of the class is aligned.
#[inline]
fn class(layout: Layout) -> Option<(usize, usize)> {
    let align = layout.align();
    if align > 16 {
        return None;
    }
    let size = layout.size().max(8).checked_add(align - 1)? & !(align - 1);
    if size <= 64 {
        return Some(((size - 1) >> 3, (size + 7) & !7));
    }
    if size > SMALL {
        return Some((CLASSES, size.checked_add(15)? & !15));
    }
    // 2^k < size <= 2^(k+1), k >= 6; classes 2^k + m·2^(k-3), m in 1..=8.
    let k = (usize::BITS - 1 - (size - 1).leading_zeros()) as usize;
    let step = 1usize << (k - 3);
    let m = (size - (1 << k) + step - 1) >> (k - 3);
    Some((8 + (k - 6) * 8 + m - 1, (1usize << k) + m * step))
}

/// How new blocks of this size are aligned in the bump region.
#[inline]
fn placement(block: usize) -> usize {
    (block & block.wrapping_neg()).min(16)
}

/// A free large block's link and size, kept in its first two words.
unsafe fn link(at: usize) -> *mut usize {
    at as *mut usize
}
unsafe fn len(at: usize) -> *mut usize {
    (at as *mut usize).add(1)
}

impl Heap {
    /// A new block from the bump region, growing the memory when it runs out.
    unsafe fn bump(&mut self, block: usize) -> *mut u8 {
        let align = placement(block);
        let mut at = (self.next + align - 1) & !(align - 1);
        if at.checked_add(block).is_none_or(|e| e > self.end) {
            let pages = (block + align).div_ceil(PAGE).max(1);
            let old = grow(pages);
            if old == usize::MAX {
                return null_mut();
            }
            let start = old * PAGE;
            // Memory only ever grows here, so the new pages follow the old region
            // unless something else grew it in between; then the old tail is left.
            if start != self.end {
                self.next = start;
            }
            self.end = start + pages * PAGE;
            at = (self.next + align - 1) & !(align - 1);
        }
        self.next = at + block;
        at as *mut u8
    }

    /// First fit from the large list, for a large block or a small one whose
    /// class has none free (so space a grown buffer left serves small blocks too);
    /// a larger free block gives its tail, so the list's links stay as they are.
    /// Taken blocks are whole 16 B units, keeping the list's blocks aligned.
    unsafe fn take_large(&mut self, block: usize) -> *mut u8 {
        let want = (block + 15) & !15;
        let mut prev: *mut usize = &mut self.large;
        while *prev != 0 {
            let at = *prev;
            let size = *len(at);
            if size == want {
                *prev = *link(at);
                return at as *mut u8;
            }
            if size > want {
                *len(at) = size - want;
                return (at + size - want) as *mut u8;
            }
            prev = link(at);
        }
        self.bump(block)
    }

    /// Puts a large block back in address order, merged with free neighbours; a
    /// block that ends at the bump region's start returns to it.
    unsafe fn give_large(&mut self, at: usize, block: usize) {
        // `to_before` points at `before`, `prev` at the first block after `at`.
        let mut to_before: *mut usize = &mut self.large;
        let mut prev: *mut usize = &mut self.large;
        let mut before = 0;
        while *prev != 0 && *prev < at {
            to_before = prev;
            before = *prev;
            prev = link(before);
        }
        let (mut start, mut size, mut rest) = (at, block, *prev);
        if rest != 0 && at + block == rest {
            size += *len(rest);
            rest = *link(rest);
        }
        if before != 0 && before + *len(before) == at {
            start = before;
            size += *len(before);
            prev = to_before;
        }
        if start + size == self.next {
            // Nothing free lies above the top, so this block was the list's last.
            self.next = start;
            *prev = 0;
            return;
        }
        *prev = start;
        *link(start) = rest;
        *len(start) = size;
    }
}

unsafe impl GlobalAlloc for Lists {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let heap = &mut *self.0.get();
        let Some((index, block)) = class(layout) else {
            return null_mut();
        };
        let head = if index == CLASSES {
            0
        } else {
            heap.free[index]
        };
        if head != 0 {
            heap.free[index] = *link(head);
            return head as *mut u8;
        }
        heap.take_large(block)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let heap = &mut *self.0.get();
        if let Some((index, block)) = class(layout) {
            if index == CLASSES {
                heap.give_large(ptr as usize, block);
            } else {
                *link(ptr as usize) = heap.free[index];
                heap.free[index] = ptr as usize;
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        let (Some((old_index, old_block)), Some((new_index, new_block))) =
            (class(layout), class(new))
        else {
            return null_mut();
        };
        if old_index == new_index && old_block == new_block {
            return ptr;
        }
        let heap = &mut *self.0.get();
        // The last block of the bump region grows (or shrinks) where it is: a growing
        // buffer allocated last, such as a replay's text, then leaves no freed copies.
        let at = ptr as usize;
        if at + old_block == heap.next
            && at & (placement(new_block) - 1) == 0
            && at.checked_add(new_block).is_some_and(|e| e <= heap.end)
        {
            heap.next = at + new_block;
            return ptr;
        }
        let moved = self.alloc(new);
        if !moved.is_null() {
            core::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_fit_and_align() {
        let mut last = 0;
        for size in 1..70_000usize {
            for align in [1, 2, 4, 8, 16] {
                let (index, block) = class(Layout::from_size_align(size, align).unwrap()).unwrap();
                assert!(block >= size, "{size} {align}");
                assert!(
                    block * 8 <= size.max(8).next_multiple_of(align) * 9 + 128,
                    "{size}"
                );
                assert_eq!(index == CLASSES, block > SMALL, "{size}");
                assert_eq!(block % align, 0, "{size} {align}");
                assert!(placement(block) >= align, "{size} {align}");
                if align == 1 {
                    assert!(index >= last);
                    last = index;
                }
            }
        }
        assert!(class(Layout::from_size_align(8, 32).unwrap()).is_none());
    }

    /// Random allocations, frees and reallocations keep every live block's bytes.
    #[test]
    fn blocks_keep_their_bytes() {
        let heap = Lists::new();
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut seed = 0x2545_f491_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let fill = |p: *mut u8, n: usize, v: u8| unsafe { core::ptr::write_bytes(p, v, n) };
        let check = |p: *mut u8, n: usize, v: u8| unsafe {
            assert!(std::slice::from_raw_parts(p, n).iter().all(|&b| b == v));
        };
        for round in 0..20_000u32 {
            let r = next();
            if live.len() < 200 && r % 3 != 0 {
                let size = 1 + (next() % if r % 7 == 0 { 20_000 } else { 300 }) as usize;
                let layout = Layout::from_size_align(size, 1 << (next() % 5)).unwrap();
                let p = unsafe { heap.alloc(layout) };
                assert!(!p.is_null());
                assert_eq!(p as usize % layout.align(), 0);
                fill(p, size, round as u8);
                live.push((p, layout, round as u8));
            } else if !live.is_empty() {
                let i = (next() % live.len() as u64) as usize;
                let (p, layout, v) = live.swap_remove(i);
                check(p, layout.size(), v);
                if r % 2 == 0 {
                    let size = 1 + (next() % if r % 5 == 0 { 40_000 } else { 5_000 }) as usize;
                    let q = unsafe { heap.realloc(p, layout, size) };
                    check(q, size.min(layout.size()), v);
                    let layout = Layout::from_size_align(size, layout.align()).unwrap();
                    assert_eq!(q as usize % layout.align(), 0);
                    fill(q, size, round as u8);
                    live.push((q, layout, round as u8));
                } else {
                    unsafe { heap.dealloc(p, layout) };
                }
            }
        }
        for (p, layout, v) in live {
            check(p, layout.size(), v);
        }
    }

    #[test]
    fn one_index_one_block_size() {
        let mut sizes = [0usize; CLASSES];
        for size in 1..=SMALL {
            let (index, block) = class(Layout::from_size_align(size, 8).unwrap()).unwrap();
            assert!(sizes[index] == 0 || sizes[index] == block);
            sizes[index] = block;
        }
    }
}
