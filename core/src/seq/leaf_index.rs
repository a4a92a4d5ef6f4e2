//! Which leaf holds each element (by lv), in about one byte per element.
//!
//! A flat `Vec<u32>` costs four bytes per element ever inserted, which dominates
//! memory for documents with large deleted pastes. Elements are grouped in blocks of
//! 16 consecutive lvs; a block whose elements all sit in one leaf (the usual case:
//! neighbouring lvs were typed together) stores just that leaf, and only mixed blocks
//! store 16 entries. Blocks are grouped in pages of 65,536 lvs, and a page whose
//! lvs all sit in one leaf stores just that leaf: a tombstone loaded from a
//! snapshot may be millions of elements long and must not cost memory per
//! element (see `holes.rs`). Reads stay O(1); updates touch only the blocks or
//! pages they cover.

#[cfg(target_arch = "wasm32")]
use super::tree::grow_gently;

const BLOCK: u32 = 16;
/// High bit of a block entry: the rest indexes `mixed`.
const MIXED: u32 = 1 << 31;
/// Blocks per page.
const PAGE: u32 = 4096;

#[derive(Clone, Debug)]
enum Page {
    /// Every lv of the page is in this leaf.
    Uniform(u32),
    Blocks(Box<[u32; PAGE as usize]>),
}

/// The mixed blocks' entries. Natively in chunks of 64 blocks (4 KB): grown by
/// a quarter as one list, its reallocations copied the whole list each time
/// (0.3–0.7 M instructions per trace's replay, counted per byte); chunks are
/// never moved, and at most one chunk's room is unused. The WebAssembly
/// module keeps the plain list (size).
#[cfg(not(target_arch = "wasm32"))]
type MixedList = Chunked;
#[cfg(target_arch = "wasm32")]
type MixedList = Vec<[u32; BLOCK as usize]>;

#[derive(Clone, Debug, Default)]
pub(super) struct LeafIndex {
    pages: Vec<Page>,
    mixed: MixedList,
    /// Slots of `mixed` that became uniform again and can be reused.
    free: Vec<u32>,
    len: u32,
}

impl LeafIndex {
    pub(super) fn len(&self) -> u32 {
        self.len
    }

    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn block(&self, bi: u32) -> u32 {
        match &self.pages[(bi / PAGE) as usize] {
            Page::Uniform(leaf) => *leaf,
            Page::Blocks(blocks) => blocks[(bi % PAGE) as usize],
        }
    }

    fn set_block(&mut self, bi: u32, value: u32) {
        let page = &mut self.pages[(bi / PAGE) as usize];
        if let Page::Uniform(leaf) = *page {
            if leaf == value {
                return;
            }
            #[cfg(not(target_arch = "wasm32"))]
            {
                *page = blocks_of(leaf);
            }
            #[cfg(target_arch = "wasm32")]
            {
                *page = Page::Blocks(Box::new([leaf; PAGE as usize]));
            }
        }
        if let Page::Blocks(blocks) = page {
            blocks[(bi % PAGE) as usize] = value;
        }
    }

    /// Maps every lv of page `pi` to `leaf`, releasing its mixed blocks.
    fn set_page(&mut self, pi: usize, leaf: u32) {
        let old = std::mem::replace(&mut self.pages[pi], Page::Uniform(leaf));
        if let Page::Blocks(blocks) = old {
            self.free.extend(
                blocks
                    .iter()
                    .filter(|&&b| b & MIXED != 0)
                    .map(|&b| b & !MIXED),
            );
        }
    }

    #[inline]
    pub(super) fn get(&self, lv: u32) -> u32 {
        let b = self.block(lv / BLOCK);
        if b & MIXED == 0 {
            b
        } else {
            self.mixed[(b & !MIXED) as usize][(lv % BLOCK) as usize]
        }
    }

    /// Maps the next `n` lvs to `leaf`.
    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn push(&mut self, leaf: u32, n: u32) {
        let start = self.len;
        let end = start + n;
        // Typing: the new lvs stay inside a block that already maps to `leaf`.
        if !start.is_multiple_of(BLOCK)
            && (end - 1) / BLOCK == start / BLOCK
            && self.block(start / BLOCK) == leaf
        {
            self.len = end;
            return;
        }
        self.push_slow(leaf, n);
    }

    /// [`LeafIndex::push_slow`]'s cases that stay inside one block of an
    /// existing page: typing into a fresh block, or into a mixed block that is
    /// not full yet (the general block update cost about 120 instructions
    /// each, then: a fifth of the index's cost per keystroke). Not in `push`
    /// itself: inlined into every insert, the extra code made the compiler
    /// spill registers elsewhere in the insert. Native only: the WebAssembly
    /// module keeps the one path.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    fn push_in_block(&mut self, leaf: u32, start: u32, end: u32) -> bool {
        let bi = start / BLOCK;
        if (end - 1) / BLOCK != bi || (bi / PAGE) as usize >= self.pages.len() {
            return false;
        }
        let from = start % BLOCK;
        if from == 0 {
            self.set_block(bi, leaf);
        } else {
            let b = self.block(bi);
            // A full block is checked for having become uniform: not here.
            if b & MIXED == 0 || end.is_multiple_of(BLOCK) {
                return false;
            }
            let entries = &mut self.mixed[(b & !MIXED) as usize];
            entries[from as usize..(end % BLOCK) as usize].fill(leaf);
        }
        self.len = end;
        true
    }

    /// [`LeafIndex::push_in_block`], else the general update: a function of
    /// its own, so that the common in-block case pays the saves and restores
    /// of the few registers it uses, not of the general update's many (about
    /// 25 instructions per call, and seph-blog1 makes 22,624).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)]
    fn push_slow(&mut self, leaf: u32, n: u32) {
        let start = self.len;
        if self.push_in_block(leaf, start, start + n) {
            return;
        }
        self.push_general(leaf, n);
    }

    #[cfg(target_arch = "wasm32")]
    #[inline(always)]
    fn push_slow(&mut self, leaf: u32, n: u32) {
        self.push_general(leaf, n);
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(never))]
    fn push_general(&mut self, leaf: u32, n: u32) {
        let start = self.len;
        self.len += n;
        let end = self.len;
        if !start.is_multiple_of(BLOCK) {
            let bi = start / BLOCK;
            let to = end.min((bi + 1) * BLOCK);
            // A partly used block may still fill up with other leaves: only look
            // for a uniform block once it is full.
            let check = to == (bi + 1) * BLOCK;
            self.set_in_block(bi, start % BLOCK, to - bi * BLOCK, leaf, check);
        }
        // New blocks map to `leaf`: those in the last page one by one (at most a
        // page's worth), whole new pages at once.
        let (from, to) = (start.div_ceil(BLOCK), end.div_ceil(BLOCK));
        let page_end = (self.pages.len() as u32).saturating_mul(PAGE);
        // Natively as one slice of the last page: blocks past the index's
        // end are never mixed, and a paste set them one at a time through
        // the page lookup (about 10 instructions a block).
        #[cfg(not(target_arch = "wasm32"))]
        if from < to.min(page_end) {
            self.fill_new_blocks(from, to.min(page_end), leaf);
        }
        #[cfg(target_arch = "wasm32")]
        for bi in from..to.min(page_end) {
            self.set_block(bi, leaf);
        }
        let pages = to.div_ceil(PAGE) as usize;
        if pages > self.pages.len() {
            self.pages.resize(pages, Page::Uniform(leaf));
        }
    }

    /// The index of a tree built from scratch: `ranges` gives each leaf and how
    /// many lvs it holds, in lv order from lv 0, none empty. A page's blocks are
    /// written into a list and the page made at its end (uniform when they
    /// agree), where a `push` per leaf sets its blocks one at a time through
    /// their page: half of building a loaded tree. Whole pages of one leaf (a
    /// long tombstone) are made uniform without writing their blocks.
    pub(super) fn from_ranges(ranges: impl Iterator<Item = (u32, u32)>) -> Self {
        let mut idx = LeafIndex::default();
        // Blocks of the page being filled; its last may be shared with the next leaf.
        // Room for a page from the start: it becomes the page, not copied.
        let mut cur: Vec<u32> = Vec::with_capacity(PAGE as usize);
        let mut lv = 0u32;
        for (leaf, n) in ranges {
            let end = lv + n;
            let mut bi = lv / BLOCK;
            if !lv.is_multiple_of(BLOCK) {
                let to = end.min((bi + 1) * BLOCK);
                if let Some(b) = cur.last_mut() {
                    let slot = if *b & MIXED == 0 {
                        idx.mixed.push([*b; BLOCK as usize]);
                        (idx.mixed.len() - 1) as u32
                    } else {
                        *b & !MIXED
                    };
                    let (from, to) = ((lv % BLOCK) as usize, (to - bi * BLOCK) as usize);
                    idx.mixed[slot as usize][from..to].fill(leaf);
                    *b = MIXED | slot;
                }
                bi += 1;
            }
            let mut left = end.div_ceil(BLOCK).saturating_sub(bi);
            while left > 0 {
                if cur.len() == PAGE as usize {
                    let full = std::mem::replace(&mut cur, Vec::with_capacity(PAGE as usize));
                    idx.pages.push(page_of(full, leaf));
                }
                // More than a page left: the last block stays in `cur` in case
                // the next leaf shares it.
                if cur.is_empty() && left > PAGE {
                    idx.pages.push(Page::Uniform(leaf));
                    left -= PAGE;
                    continue;
                }
                let k = left.min(PAGE - cur.len() as u32);
                cur.extend(std::iter::repeat_n(leaf, k as usize));
                left -= k;
            }
            lv = end;
        }
        if let Some(&pad) = cur.iter().find(|&&b| b & MIXED == 0) {
            idx.pages.push(page_of(cur, pad));
        } else if !cur.is_empty() {
            idx.pages.push(page_of(cur, 0));
        }
        idx.len = lv;
        idx
    }

    /// Maps lvs `start..end` (all existing) to `leaf`.
    pub(super) fn fill(&mut self, start: u32, end: u32, leaf: u32) {
        let mut lv = start;
        while lv < end {
            let lvs_per_page = PAGE * BLOCK;
            if lv.is_multiple_of(lvs_per_page) && end - lv >= lvs_per_page {
                self.set_page((lv / lvs_per_page) as usize, leaf);
                lv += lvs_per_page;
                continue;
            }
            let bi = lv / BLOCK;
            // A leaf split moves whole pasted runs: the blocks they cover
            // entirely are set as one slice per page.
            let whole_end = (end / BLOCK).min((bi / PAGE + 1) * PAGE);
            if lv == bi * BLOCK && whole_end > bi + 1 {
                self.fill_blocks(bi, whole_end, leaf);
                lv = whole_end * BLOCK;
                continue;
            }
            let block_end = (bi + 1) * BLOCK;
            let to = end.min(block_end);
            // Natively `set_in_block` makes the checks below itself, with one
            // page lookup.
            #[cfg(not(target_arch = "wasm32"))]
            self.set_in_block(bi, lv % BLOCK, to - bi * BLOCK, leaf, true);
            // A leaf split moves whole pasted runs: most blocks are covered entirely
            // and uniform, and a plain store does for them.
            #[cfg(target_arch = "wasm32")]
            {
                let b = self.block(bi);
                if b & MIXED == 0
                    && (b == leaf || (lv == bi * BLOCK && to >= block_end.min(self.len)))
                {
                    self.set_block(bi, leaf);
                } else {
                    self.set_in_block(bi, lv % BLOCK, to - bi * BLOCK, leaf, true);
                }
            }
            lv = to;
        }
    }

    /// Maps blocks `from..to`, all past the index's old end (so none mixed:
    /// [`LeafIndex::set_block`] overwrites them the same way), to `leaf`, as
    /// one slice per page. Native only.
    #[cfg(not(target_arch = "wasm32"))]
    fn fill_new_blocks(&mut self, from: u32, to: u32, leaf: u32) {
        let mut bi = from;
        while bi < to {
            let pi = bi / PAGE;
            let end = to.min((pi + 1) * PAGE);
            let page = &mut self.pages[pi as usize];
            if let Page::Uniform(l) = *page {
                if l != leaf {
                    *page = blocks_of(l);
                }
            }
            if let Page::Blocks(blocks) = page {
                blocks[(bi % PAGE) as usize..(bi % PAGE + (end - bi)) as usize].fill(leaf);
            }
            bi = end;
        }
    }

    /// Maps every lv of blocks `from..to` (all in one page) to `leaf`, releasing
    /// their mixed blocks.
    fn fill_blocks(&mut self, from: u32, to: u32, leaf: u32) {
        let page = &mut self.pages[(from / PAGE) as usize];
        if let Page::Uniform(l) = *page {
            if l == leaf {
                return;
            }
            *page = Page::Blocks(Box::new([l; PAGE as usize]));
        }
        if let Page::Blocks(blocks) = page {
            let first = (from % PAGE) as usize;
            let run = &mut blocks[first..first + (to - from) as usize];
            // Natively in two passes: an OR of the entries (a mixed one is
            // rare: a split moves whole pasted runs), then a plain fill, both
            // without a branch per block. The loop below cost about 4
            // instructions a block (rustcode's splits set 83,689).
            #[cfg(not(target_arch = "wasm32"))]
            {
                if run.iter().fold(0, |a, &b| a | b) & MIXED != 0 {
                    let mixed = run.iter().filter(|&&b| b & MIXED != 0);
                    self.free.extend(mixed.map(|&b| b & !MIXED));
                }
                run.fill(leaf);
            }
            #[cfg(target_arch = "wasm32")]
            for b in run {
                if *b & MIXED != 0 {
                    self.free.push(*b & !MIXED);
                }
                *b = leaf;
            }
        }
    }

    /// Sets offsets `from..to` of block `bi` to `leaf`; with `collapse`, a mixed
    /// block that became uniform goes back to one entry.
    ///
    /// Natively the block's 16 entries are set and compared as whole arrays
    /// (a masked store and an OR of differences, which the compiler turns into
    /// a few vector instructions), the page is looked up once, and a mixed
    /// block that collapses is written back into its page directly (it can
    /// only sit in a page of blocks). Leaf splits make most of these calls
    /// (on seph-blog1 9,223 of 12,824; about 180 instructions each before).
    /// The WebAssembly module keeps the loops below (size).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline]
    fn set_in_block(&mut self, bi: u32, from: u32, to: u32, leaf: u32, collapse: bool) {
        // Entries past the end of the index are unused: a block is uniform if its
        // used entries agree.
        let used = (self.len - bi * BLOCK).min(BLOCK);
        let (pi, k) = ((bi / PAGE) as usize, (bi % PAGE) as usize);
        let b = match &self.pages[pi] {
            Page::Uniform(l) => *l,
            Page::Blocks(blocks) => blocks[k],
        };
        if b & MIXED == 0 {
            if b == leaf {
                return;
            }
            if from == 0 && to >= used {
                self.set_block(bi, leaf);
                return;
            }
            self.make_mixed(bi, blend([b; BLOCK as usize], from, to, leaf));
            return;
        }
        let slot = b & !MIXED;
        let entries = &mut self.mixed[slot as usize];
        let e = blend(*entries, from, to, leaf);
        *entries = e;
        if collapse && uniform(&e, used) {
            // A mixed entry only sits in a page of blocks.
            if let Page::Blocks(blocks) = &mut self.pages[pi] {
                blocks[k] = e[0];
            }
            self.free.push(slot);
        }
    }

    /// Stores `entries` as block `bi`'s mixed entries, in a released slot if
    /// there is one ([`LeafIndex::set_in_block`]'s rarer case: natively out
    /// of its line).
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))]
    fn make_mixed(&mut self, bi: u32, entries: [u32; BLOCK as usize]) {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.mixed[slot as usize] = entries;
                slot
            }
            None => {
                #[cfg(target_arch = "wasm32")]
                grow_gently(&mut self.mixed, 1);
                self.mixed.push(entries);
                (self.mixed.len() - 1) as u32
            }
        };
        self.set_block(bi, MIXED | slot);
    }

    #[cfg(target_arch = "wasm32")]
    #[cfg_attr(weft_wasm_speed, inline)]
    fn set_in_block(&mut self, bi: u32, from: u32, to: u32, leaf: u32, collapse: bool) {
        // Entries past the end of the index are unused: a block is uniform if its
        // used entries agree.
        let used = (self.len - bi * BLOCK).min(BLOCK) as usize;
        let b = self.block(bi);
        if b & MIXED == 0 {
            if b == leaf {
                return;
            }
            if from == 0 && to as usize >= used {
                self.set_block(bi, leaf);
                return;
            }
            let mut entries = [b; BLOCK as usize];
            entries[from as usize..to as usize].fill(leaf);
            self.make_mixed(bi, entries);
        } else {
            let slot = b & !MIXED;
            let entries = &mut self.mixed[slot as usize];
            entries[from as usize..to as usize].fill(leaf);
            let first = entries[0];
            if collapse && entries[..used].iter().all(|&e| e == first) {
                self.set_block(bi, first);
                self.free.push(slot);
            }
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        let pages: usize = self
            .pages
            .iter()
            .map(|p| match p {
                Page::Uniform(_) => 0,
                Page::Blocks(b) => std::mem::size_of_val(&**b),
            })
            .sum();
        self.pages.capacity() * std::mem::size_of::<Page>()
            + pages
            + self.mixed.capacity() * std::mem::size_of::<[u32; BLOCK as usize]>()
            + self.free.capacity() * 4
    }
}

/// Mixed blocks per chunk of [`Chunked`]: 4 KB.
#[cfg(not(target_arch = "wasm32"))]
const CHUNK: usize = 64;

/// A list of mixed blocks' entries in fixed chunks that never move
/// (see [`MixedList`]): an index reads its chunk, then the entries in it.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug, Default)]
pub(super) struct Chunked {
    chunks: Vec<Box<[[u32; BLOCK as usize]; CHUNK]>>,
    len: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl Chunked {
    fn len(&self) -> usize {
        self.len
    }

    /// Entries the chunks have room for.
    fn capacity(&self) -> usize {
        self.chunks.len() * CHUNK
    }

    fn push(&mut self, entries: [u32; BLOCK as usize]) {
        if self.len == self.capacity() {
            self.chunks.push(Box::new([[0; BLOCK as usize]; CHUNK]));
        }
        let i = self.len;
        self.len += 1;
        self[i] = entries;
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl std::ops::Index<usize> for Chunked {
    type Output = [u32; BLOCK as usize];

    #[inline]
    fn index(&self, i: usize) -> &Self::Output {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl std::ops::IndexMut<usize> for Chunked {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Self::Output {
        &mut self.chunks[i / CHUNK][i % CHUNK]
    }
}

/// A page of blocks all mapping to `leaf`: out of line natively, so that the
/// functions that may need one (a uniform page's first change) do not carry
/// its 16 KB temporary and stack probes in their own frames.
#[cfg(not(target_arch = "wasm32"))]
#[cold]
#[inline(never)]
fn blocks_of(leaf: u32) -> Page {
    Page::Blocks(Box::new([leaf; PAGE as usize]))
}

/// `entries` with offsets `from..to` set to `leaf`, as one masked store of the
/// whole block (no loop of run-time length). Native only.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn blend(
    mut entries: [u32; BLOCK as usize],
    from: u32,
    to: u32,
    leaf: u32,
) -> [u32; BLOCK as usize] {
    let n = to - from;
    for (i, e) in entries.iter_mut().enumerate() {
        // `i - from < to - from`, wrapping: `from <= i < to` in one compare,
        // as an all-ones or all-zeros mask.
        let m = u32::from((i as u32).wrapping_sub(from) < n).wrapping_neg();
        *e = (*e & !m) | (leaf & m);
    }
    entries
}

/// Whether the first `used` of `entries` are all equal: the OR of their
/// differences from the first, with no early exit, so that it vectorises.
/// Native only.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn uniform(entries: &[u32; BLOCK as usize], used: u32) -> bool {
    let first = entries[0];
    let mut diff = 0;
    for (i, &e) in entries.iter().enumerate() {
        let m = u32::from((i as u32) < used).wrapping_neg();
        diff |= (e ^ first) & m;
    }
    diff == 0
}

/// A page of `blocks` (at most a page's worth): uniform when they are one leaf,
/// else its blocks, those past the end mapping to `pad` (a leaf, never a mixed
/// slot, so that releasing the page releases each slot once). The list itself
/// becomes the page, padded: made with room for a page (as `from_ranges`
/// makes it), it is not copied.
fn page_of(mut blocks: Vec<u32>, pad: u32) -> Page {
    match blocks.first() {
        Some(&b) if b & MIXED == 0 && blocks.iter().all(|&x| x == b) => Page::Uniform(b),
        _ => {
            blocks.resize(PAGE as usize, pad & !MIXED);
            match Box::<[u32; PAGE as usize]>::try_from(blocks.into_boxed_slice()) {
                Ok(page) => Page::Blocks(page),
                // Not taken: resized to a page, the list is one. A copy
                // rather than a panic all the same.
                Err(list) => {
                    let mut page = Box::new([pad & !MIXED; PAGE as usize]);
                    for (to, from) in page.iter_mut().zip(list.iter()) {
                        *to = *from;
                    }
                    Page::Blocks(page)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{LeafIndex, BLOCK, PAGE};

    /// Leaf lengths: short and long, block-aligned and not, and one leaf longer
    /// than two pages (a long tombstone).
    fn ranges() -> Vec<(u32, u32)> {
        let mut x = 0x9e37_79b9u32;
        let mut out = Vec::new();
        for leaf in 0..600u32 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let n = match leaf {
                7 => 2 * PAGE * BLOCK + 5,
                8 => BLOCK,
                9 => 3,
                _ => 1 + x % 700,
            };
            out.push((leaf, n));
        }
        out
    }

    #[test]
    fn built_from_ranges_maps_every_lv_as_pushing_them_does() {
        let ranges = ranges();
        let built = LeafIndex::from_ranges(ranges.iter().copied());
        let mut pushed = LeafIndex::default();
        for &(leaf, n) in &ranges {
            pushed.push(leaf, n);
        }
        assert_eq!(built.len(), pushed.len());
        let mut lv = 0;
        for &(leaf, n) in &ranges {
            for k in 0..n {
                assert_eq!(built.get(lv + k), leaf, "lv {}", lv + k);
            }
            lv += n;
        }
        // Later edits go on from it as from the pushed one.
        let (mut a, mut b) = (built, pushed);
        a.push(1000, 7);
        b.push(1000, 7);
        a.fill(10, 900, 1001);
        b.fill(10, 900, 1001);
        for lv in 0..a.len() {
            assert_eq!(a.get(lv), b.get(lv), "lv {lv}");
        }
    }

    /// Re-pointing ranges (as leaf splits do) against a plain map of every lv:
    /// ranges that start and end inside blocks, cover mixed blocks, run across
    /// a page boundary or end on one, and fill a whole page. The mixed blocks
    /// they release are reused by later ones, so a slot released twice or
    /// not at all shows up as a wrong entry.
    #[test]
    fn fills_across_blocks_and_pages_map_every_lv_as_a_plain_map_does() {
        let page_lvs = PAGE * BLOCK;
        let mut idx = LeafIndex::default();
        let mut model: Vec<u32> = Vec::new();
        let mut x = 0x2545_f491u32;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        // Short runs of alternating leaves make mixed blocks everywhere.
        let mut leaf = 0;
        while (model.len() as u32) < 3 * page_lvs + 100 {
            let n = 1 + next() % 40;
            idx.push(leaf, n);
            model.extend(std::iter::repeat_n(leaf, n as usize));
            leaf = (leaf + 1) % 5;
        }
        let len = model.len() as u32;
        let mut fills = vec![
            (page_lvs - 5 * BLOCK - 3, page_lvs + 7 * BLOCK + 2),
            (2 * page_lvs - 4 * BLOCK, 2 * page_lvs),
            (2 * page_lvs, 2 * page_lvs + 2 * BLOCK),
            (3, 3 * BLOCK),
            (page_lvs, 2 * page_lvs),
            (page_lvs + 1, 2 * page_lvs + 40),
        ];
        for _ in 0..300 {
            let a = next() % len;
            let n = next() % (if next().is_multiple_of(4) { 3000 } else { 60 });
            fills.push((a, (a + 1 + n).min(len)));
        }
        for (k, &(a, b)) in fills.iter().enumerate() {
            let leaf = 100 + k as u32 % 7;
            idx.fill(a, b, leaf);
            model[a as usize..b as usize].fill(leaf);
            // Mixed blocks made afterwards take the released slots.
            let c = next() % (len - 2);
            idx.fill(c, c + 1, 99);
            model[c as usize] = 99;
        }
        for (lv, &leaf) in model.iter().enumerate() {
            assert_eq!(idx.get(lv as u32), leaf, "lv {lv}");
        }
    }

    /// Typing: one lv at a time, the leaf changing now and then (a split, typing
    /// elsewhere), so blocks start fresh, turn mixed, fill up and become
    /// uniform again; after every push the lvs a push can touch (the last
    /// block and the run before it) are checked against a plain map, and every
    /// lv at the end.
    #[test]
    fn typing_one_lv_at_a_time_maps_every_lv_as_a_plain_map_does() {
        let mut idx = LeafIndex::default();
        let mut model: Vec<u32> = Vec::new();
        let mut x = 0x1234_5678u32;
        let mut leaf = 0;
        while (model.len() as u32) < PAGE * BLOCK + 3 * BLOCK {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if x.is_multiple_of(9) {
                leaf = x % 4;
            }
            let n = if x.is_multiple_of(31) { 1 + x % 40 } else { 1 };
            idx.push(leaf, n);
            model.extend(std::iter::repeat_n(leaf, n as usize));
            let len = model.len();
            let recent = len.saturating_sub(BLOCK as usize + 40);
            for (lv, &leaf) in model.iter().enumerate().skip(recent) {
                assert_eq!(idx.get(lv as u32), leaf, "lv {lv} of {len}");
            }
        }
        for (lv, &leaf) in model.iter().enumerate() {
            assert_eq!(idx.get(lv as u32), leaf, "lv {lv}");
        }
    }
}
