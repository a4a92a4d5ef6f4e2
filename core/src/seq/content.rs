//! Where the elements themselves live.
//!
//! The tree only holds ids and counts; elements sit in an append-only store in
//! local order (the order this replica learnt of them), so splitting a span never
//! moves or reallocates content, and a run's content is one slice (for text,
//! unless it straddles two of the store's chunks: then it is copied together).

use std::borrow::Cow;

use crate::Value;

/// Storage for a sequence's elements. Implemented by [`TextContent`] (Unicode scalar
/// values stored as UTF-8) and [`ListContent`] (values).
///
/// Elements are addressed by their local index: the n-th element ever added to the
/// store has index n.
pub trait Content: Default {
    /// A borrowed run of elements: `str` for text, `[Value]` for lists.
    type Slice: ?Sized + ToOwned + PartialEq + std::fmt::Debug;

    /// Number of elements in `slice`, and its length in UTF-16 code units (lists
    /// count one unit per element).
    fn measure(slice: &Self::Slice) -> (usize, usize);
    /// `slice` without its first `n` elements (`n` at most its length).
    fn skip(slice: &Self::Slice, n: usize) -> &Self::Slice;
    /// Appends to an owned run (used when a span's content is not contiguous).
    fn append(dst: &mut <Self::Slice as ToOwned>::Owned, src: &Self::Slice);
    /// An empty owned run.
    fn empty() -> <Self::Slice as ToOwned>::Owned;
    /// Appends `n` stand-ins for elements whose content is not stored (NUL
    /// characters, null values).
    fn append_placeholders(dst: &mut <Self::Slice as ToOwned>::Owned, n: usize);

    /// Adds elements at the next local indices.
    fn push(&mut self, slice: &Self::Slice);
    /// Makes room for about `elements` more elements (a hint).
    fn reserve(&mut self, elements: usize) {
        let _ = elements;
    }
    /// Elements with local indices `start..end`: borrowed where they lie in
    /// one piece of the store, else copied together.
    fn get(&self, start: u32, end: u32) -> Cow<'_, Self::Slice>;
    /// UTF-16 length of elements `start..end`.
    fn utf16_len(&self, start: u32, end: u32) -> u32 {
        Self::measure(&self.get(start, end)).1 as u32
    }
    /// How many of the elements `start..end` fit entirely in the first `units`
    /// UTF-16 code units of that run.
    fn elements_within_utf16(&self, start: u32, end: u32, units: u32) -> u32;
    /// Heap bytes held.
    fn heap_bytes(&self) -> usize;

    /// [`Content::push`] on the local editing path, where stores that can take
    /// one typed element more cheaply do so.
    #[inline]
    fn push_local(&mut self, slice: &Self::Slice) {
        self.push(slice);
    }
}

/// Text: Unicode scalar values, stored as UTF-8 in local order, in chunks
/// that never move once full.
///
/// As one string, the store of everything ever inserted (deleted text too:
/// undo reads it) was the largest block of a document's memory, and each
/// growth by a quarter copied all of it into a new block while the old one was
/// still held: rustcode's replay (522 KB inserted, 65 KB left) ended with a
/// 564 KB store, moved at its last growth past what had been allocated above
/// it, which set how much memory the WebAssembly module kept (its memory never
/// shrinks). Chunked, a growth copies at most [`CHUNK`] bytes; a push never
/// straddles two chunks (it starts a new one), but a run of elements read
/// back may, and is then copied together.
///
/// The chunks are bytes, not `String`s: every push is of a `&str` (whole
/// characters), so each chunk and each run between two characters' starts is
/// UTF-8 by construction, and [`TextContent::slice`] checks it where a run
/// becomes a `&str` again. As a `String`, a keystroke's one byte went through
/// `String::push`, which in the WebAssembly module is a call into std's
/// size-built `Vec<u8>::reserve` and `encode_utf8_raw_unchecked` (generics
/// shared from the size-built std are not inlined); `Vec<u8>::push` is inlined
/// to a compare and a store (docs/benchmarks.md, branch `typing20`).
#[derive(Clone, Debug, Default)]
pub struct TextContent {
    /// The newest chunk, where pushes go (UTF-8).
    text: Vec<u8>,
    /// Byte offset of `text` in the store: the bytes of the chunks in `full`.
    base: u32,
    /// The earlier chunks (UTF-8), in order, each with its byte offset in the store.
    full: Vec<(u32, Box<[u8]>)>,
    /// Byte offset (in the store) of every 64th element, so that finding an
    /// element's bytes in non-ASCII text scans at most 63 characters.
    marks: Vec<u32>,
    count: u32,
    ascii: bool,
    /// `ascii` is meaningful only once something was pushed; an empty store is ASCII.
    started: bool,
}

const MARK_EVERY: u32 = 64;

/// The size a chunk grows to before the next push starts a new one (a push
/// larger than this has a chunk of its own size).
const CHUNK: usize = 64 * 1024;

/// Whether `b` is ASCII. A short text (a remote keystroke's one byte) is
/// tested in place, byte by byte: the standard library's `is_ascii`, built for
/// size in the WebAssembly module, is a call with a word-alignment setup, about
/// 40 instructions even for one byte, and a merge's import asked it about
/// every insert five times (1.4 M instructions of the concurrent merge's;
/// branch `wasmmerge11`, docs/benchmarks.md). Longer texts keep its
/// word-at-a-time test.
#[inline(always)]
pub(crate) fn ascii(b: &[u8]) -> bool {
    match b.len() <= 8 {
        true => b.iter().fold(0, |acc, &c| acc | c) < 0x80,
        false => b.is_ascii(),
    }
}

/// The byte offset just past the first `n` characters of `s`, or `None` when
/// `s` holds fewer than `n`: every char-to-byte walk of the core (a skip, a
/// split, a delta's runs, a decoded insert's text) goes through this one loop.
/// `char_indices().nth(n)` in each of them brought std's `CharIndices::advance_by`
/// and `Chars::nth` (792 B together) into the WebAssembly module; a character
/// starts at every byte that is not a continuation byte (`0b10xx_xxxx`).
pub(crate) fn char_end(s: &str, n: usize) -> Option<usize> {
    let mut left = n;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if (b as i8) >= -0x40 {
            if left == 0 {
                return Some(i);
            }
            left -= 1;
        }
    }
    (left == 0).then_some(s.len())
}

impl TextContent {
    /// A store whose elements are the characters of `text` (a snapshot's, loaded
    /// in one piece rather than pushed span by span).
    pub(crate) fn from_text(text: String) -> Self {
        let ascii = text.is_ascii();
        Self::from_text_ascii(text, ascii)
    }

    /// [`TextContent::from_text`] for a text known to be ASCII or not
    /// (`ascii` must be `text.is_ascii()`): a loaded text's, which its
    /// decoder's counts tell without a walk over it.
    pub(crate) fn from_text_ascii(text: String, ascii: bool) -> Self {
        debug_assert_eq!(ascii, text.is_ascii());
        let (marks, count) = if ascii {
            let count = text.len() as u32;
            ((0..count).step_by(MARK_EVERY as usize).collect(), count)
        } else {
            let mut marks = Vec::with_capacity(text.len() / MARK_EVERY as usize + 1);
            let mut count = 0u32;
            for (i, _) in text.char_indices() {
                if count.is_multiple_of(MARK_EVERY) {
                    marks.push(i as u32);
                }
                count += 1;
            }
            (marks, count)
        };
        Self {
            started: !text.is_empty(),
            text: text.into_bytes(),
            base: 0,
            full: Vec::new(),
            marks,
            count,
            ascii,
        }
    }

    /// Pushes the marks of `bytes` (UTF-8, not all ASCII), whose first
    /// character is element `first` at byte `base`, and returns its character
    /// count. Eight bytes at a time: a word's characters are its bytes that
    /// are not continuation bytes (`10xxxxxx`), and only a word holding the
    /// next mark is walked byte by byte. Decoding every character, as
    /// `char_indices` does, cost about 7 instructions a byte on a pasted
    /// block (rustcode pastes 138 KB of non-ASCII text). Native only (size).
    #[cfg(not(target_arch = "wasm32"))]
    fn mark_chars(&mut self, bytes: &[u8], base: u32, first: u32) -> u32 {
        const HIGH: u64 = 0x8080_8080_8080_8080;
        const ONES: u64 = 0x0101_0101_0101_0101;
        let mut e = first;
        let mut next = first.div_ceil(MARK_EVERY) * MARK_EVERY;
        let mut at = base;
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
            // Bit 7 of each continuation byte: set, with bit 6 clear.
            let cont = x & !(x << 1) & HIGH;
            let k = 8 - ((cont >> 7).wrapping_mul(ONES) >> 56) as u32;
            if e + k > next {
                for (j, &b) in w.iter().enumerate() {
                    mark_byte(b, at + j as u32, &mut e, &mut next, &mut self.marks);
                }
            } else {
                e += k;
            }
            at += 8;
        }
        for (j, &b) in words.remainder().iter().enumerate() {
            mark_byte(b, at + j as u32, &mut e, &mut next, &mut self.marks);
        }
        e - first
    }

    fn byte_of(&self, element: u32) -> usize {
        if element >= self.count {
            return self.base as usize + self.text.len();
        }
        if self.ascii || !self.started {
            return element as usize;
        }
        let mark = (element / MARK_EVERY) as usize;
        self.walk(self.marks[mark] as usize, element % MARK_EVERY)
    }

    /// The byte offset `n` characters past byte `byte` (a character's start),
    /// all of them stored.
    fn walk(&self, mut byte: usize, n: u32) -> usize {
        let (mut start, mut chunk) = self.chunk_at(byte);
        for _ in 0..n {
            if byte - start >= chunk.len() {
                (start, chunk) = self.chunk_at(byte);
            }
            byte += utf8_width(chunk[byte - start]);
        }
        byte
    }

    /// The chunk holding byte `byte` of the store (the newest one past its
    /// end), with its byte offset.
    #[inline]
    fn chunk_at(&self, byte: usize) -> (usize, &[u8]) {
        if byte >= self.base as usize {
            return (self.base as usize, &self.text);
        }
        let i = self.full.partition_point(|c| c.0 as usize <= byte) - 1;
        let (start, chunk) = &self.full[i];
        (*start as usize, chunk)
    }

    /// How many characters precede byte `byte` (a character's start).
    #[cfg(test)]
    fn text_count_before(&self, byte: u32) -> u32 {
        let mut n = 0;
        let mut at = 0;
        while at < byte as usize {
            let (start, chunk) = self.chunk_at(at);
            at += utf8_width(chunk[at - start]);
            n += 1;
        }
        n
    }

    /// Bytes `a..b` of the store (character boundaries).
    fn slice(&self, a: usize, b: usize) -> Cow<'_, str> {
        let (start, chunk) = self.chunk_at(a);
        if b - start <= chunk.len() {
            return Cow::Borrowed(utf8(&chunk[a - start..b - start]));
        }
        let mut out = String::with_capacity(b - a);
        let mut at = a;
        while at < b {
            let (start, chunk) = self.chunk_at(at);
            let end = (start + chunk.len()).min(b);
            out.push_str(utf8(&chunk[at - start..end - start]));
            at = end;
        }
        Cow::Owned(out)
    }

    /// Room in `text` for a push of `n` bytes: grown by a quarter up to
    /// [`CHUNK`], or, full, put in `full` and replaced by a new chunk.
    #[cold]
    #[inline(never)]
    fn make_room(&mut self, n: usize) {
        let len = self.text.len();
        if len == 0 || len + n <= CHUNK {
            // Grow by a quarter, not double: this is resident document memory.
            let want = n.max(len / 4).max(64);
            self.text.reserve_exact(want.min(CHUNK.max(len + n) - len));
        } else {
            let full = std::mem::take(&mut self.text).into_boxed_slice();
            self.full.push((self.base, full));
            self.base += len as u32;
            self.text = Vec::with_capacity(n.max(CHUNK));
        }
    }
}

/// [`TextContent::measure`] of non-ASCII UTF-8: its characters (bytes that
/// are not continuation bytes, `10xxxxxx`) and its UTF-16 length (one unit
/// more for each four-byte character, lead byte `11110xxx`), eight bytes at
/// a time. Byte by byte this cost about 7 instructions a byte on pasted
/// blocks, 2% of rustcode's replay (which pastes 138 KB of non-ASCII text).
/// Native only (size). Out of line: inlined, it changed the typing path's
/// register use in `Seq::insert` (+0.4% on automerge-paper, no pastes).
#[cfg(not(target_arch = "wasm32"))]
#[inline(never)]
fn measure_words(bytes: &[u8]) -> (usize, usize) {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut cont = 0usize;
    let mut astral = 0usize;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        // Bit 7 of each byte, with bit 6 clear (continuation) or bits 6, 5
        // and 4 set (a four-byte lead); shifts move bits within a byte here.
        let c = x & !(x << 1) & HIGH;
        let a = x & (x << 1) & (x << 2) & (x << 3) & HIGH;
        // One per byte in each lane; at most 8 a word, so the sum fits a byte.
        cont += ((c >> 7).wrapping_mul(ONES) >> 56) as usize;
        astral += ((a >> 7).wrapping_mul(ONES) >> 56) as usize;
    }
    for &b in words.remainder() {
        cont += usize::from((b as i8) < -0x40);
        astral += usize::from(b >= 0xf0);
    }
    let chars = bytes.len() - cont;
    (chars, chars + astral)
}

/// [`TextContent::mark_chars`] for one byte at `at`: a character's first
/// byte counts it, and marks it when it is the next marked element.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn mark_byte(b: u8, at: u32, e: &mut u32, next: &mut u32, marks: &mut Vec<u32>) {
    if (b as i8) >= -0x40 {
        if *e == *next {
            marks.push(at);
            *next += MARK_EVERY;
        }
        *e += 1;
    }
}

/// Bytes of the store between two characters' starts as the `&str` they are:
/// every push is of whole characters, so the check passes; were it ever to
/// fail, the run reads as empty rather than as bytes that are not UTF-8.
/// (The standard library's check takes eight ASCII bytes a step; reads, not
/// edits, pay it.)
#[inline]
fn utf8(bytes: &[u8]) -> &str {
    let s = std::str::from_utf8(bytes);
    debug_assert!(s.is_ok(), "the text store holds UTF-8 runs");
    s.unwrap_or_default()
}

fn utf8_width(lead: u8) -> usize {
    match lead {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

impl Content for TextContent {
    type Slice = str;

    #[cfg_attr(weft_wasm_speed, inline)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn measure(s: &str) -> (usize, usize) {
        // A keystroke: one byte is always one ASCII character (valid UTF-8),
        // which spares `is_ascii`'s word-at-a-time setup (in WebAssembly too,
        // where the measure of every typed character was a call into it).
        if s.len() == 1 {
            return (1, 1);
        }
        if ascii(s.as_bytes()) {
            return (s.len(), s.len());
        }
        #[cfg(not(target_arch = "wasm32"))]
        return measure_words(s.as_bytes());
        #[cfg(target_arch = "wasm32")]
        {
            let mut chars = 0;
            let mut astral = 0;
            for &b in s.as_bytes() {
                chars += usize::from((b as i8) >= -0x40);
                astral += usize::from(b >= 0xf0);
            }
            (chars, chars + astral)
        }
    }

    fn skip(s: &str, n: usize) -> &str {
        if ascii(s.as_bytes()) {
            return &s[n.min(s.len())..];
        }
        char_end(s, n).map_or("", |i| &s[i..])
    }

    fn append(dst: &mut String, src: &str) {
        dst.push_str(src);
    }

    fn empty() -> String {
        String::new()
    }

    fn append_placeholders(dst: &mut String, n: usize) {
        dst.extend(std::iter::repeat_n('\0', n));
    }

    fn push(&mut self, s: &str) {
        let base = self.base + self.text.len() as u32;
        let first = self.count;
        let is_ascii = ascii(s.as_bytes());
        let n;
        if is_ascii {
            n = s.len() as u32;
            let mut m = first.div_ceil(MARK_EVERY) * MARK_EVERY;
            while m < first + n {
                self.marks.push(base + (m - first));
                m += MARK_EVERY;
            }
        } else {
            #[cfg(not(target_arch = "wasm32"))]
            {
                n = self.mark_chars(s.as_bytes(), base, first);
            }
            #[cfg(target_arch = "wasm32")]
            {
                let mut e = first;
                for (i, _) in s.char_indices() {
                    if e.is_multiple_of(MARK_EVERY) {
                        self.marks.push(base + i as u32);
                    }
                    e += 1;
                }
                n = e - first;
            }
        }
        self.ascii = if self.started {
            self.ascii && is_ascii
        } else {
            is_ascii
        };
        self.started = true;
        if self.text.capacity() - self.text.len() < s.len() {
            self.make_room(s.len());
        }
        if let [b] = s.as_bytes() {
            // Typing pushes one byte at a time: skip the general copy.
            self.text.push(*b);
        } else {
            self.text.extend_from_slice(s.as_bytes());
        }
        self.count += n;
    }

    fn reserve(&mut self, elements: usize) {
        // One byte per element: exact for ASCII, and text grows gently past it.
        self.text.reserve_exact(elements);
        self.marks.reserve_exact(elements / MARK_EVERY as usize + 1);
    }

    fn get(&self, start: u32, end: u32) -> Cow<'_, str> {
        let a = self.byte_of(start);
        if self.ascii {
            return self.slice(a, self.byte_of(end));
        }
        // Walk from `a` rather than from a mark: spans are short.
        let b = self.walk(a, end.min(self.count).saturating_sub(start));
        self.slice(a, b)
    }

    fn utf16_len(&self, start: u32, end: u32) -> u32 {
        if self.ascii {
            return end - start;
        }
        Self::measure(&self.get(start, end)).1 as u32
    }

    fn elements_within_utf16(&self, start: u32, end: u32, units: u32) -> u32 {
        let mut used = 0;
        let mut n = 0;
        for c in self.get(start, end).chars() {
            used += c.len_utf16() as u32;
            if used > units {
                break;
            }
            n += 1;
        }
        n
    }

    fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.full.iter().map(|c| c.1.len()).sum::<usize>()
            + self.full.capacity() * std::mem::size_of::<(u32, Box<[u8]>)>()
            + self.marks.capacity() * 4
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    fn push_local(&mut self, s: &str) {
        // (Forced inline natively: left as a call once `finish_insert` was inlined.)
        // Typing one ASCII character: no scan, and no mark arithmetic beyond one
        // test (the store's ASCII flag only changes on the first push).
        if let [b] = s.as_bytes() {
            if b.is_ascii() && self.text.len() < self.text.capacity() {
                if self.count.is_multiple_of(MARK_EVERY) {
                    self.marks.push(self.base + self.text.len() as u32);
                }
                if !self.started {
                    self.ascii = true;
                    self.started = true;
                }
                self.text.push(*b);
                self.count += 1;
                return;
            }
        }
        self.push(s);
    }
}

/// List elements: one [`Value`] each, stored in local order.
#[derive(Clone, Debug, Default)]
pub struct ListContent {
    values: Vec<Value>,
}

impl ListContent {
    /// A store whose elements are `values`, in order.
    pub(crate) fn from_values(values: Vec<Value>) -> Self {
        Self { values }
    }
}

impl Content for ListContent {
    type Slice = [Value];

    fn measure(s: &[Value]) -> (usize, usize) {
        (s.len(), s.len())
    }

    fn skip(s: &[Value], n: usize) -> &[Value] {
        &s[n.min(s.len())..]
    }

    fn append(dst: &mut Vec<Value>, src: &[Value]) {
        dst.extend_from_slice(src);
    }

    fn empty() -> Vec<Value> {
        Vec::new()
    }

    fn append_placeholders(dst: &mut Vec<Value>, n: usize) {
        dst.extend(std::iter::repeat_n(Value::Null, n));
    }

    fn reserve(&mut self, elements: usize) {
        self.values.reserve_exact(elements);
    }

    fn push(&mut self, s: &[Value]) {
        self.values.extend_from_slice(s);
    }

    fn get(&self, start: u32, end: u32) -> Cow<'_, [Value]> {
        Cow::Borrowed(&self.values[start as usize..end as usize])
    }

    fn utf16_len(&self, start: u32, end: u32) -> u32 {
        end - start
    }

    fn elements_within_utf16(&self, start: u32, end: u32, units: u32) -> u32 {
        units.min(end - start)
    }

    fn heap_bytes(&self) -> usize {
        // Values' own heap parts are the caller's data, not the structure's overhead.
        self.values.capacity() * std::mem::size_of::<Value>()
    }
}

#[cfg(test)]
mod tests {
    use super::{Content, TextContent};

    /// Text pushed in pieces of every length, mixing one- to four-byte
    /// characters, keeps the marks, count and slices of the same text loaded
    /// whole (whose marks come from `char_indices`).
    #[test]
    fn pushed_pieces_mark_every_64th_character_as_loading_the_text_does() {
        let chars = [
            'a',
            'b',
            '\u{e9}',
            '\u{20ac}',
            '\u{1F600}',
            'z',
            '\u{10400}',
            ' ',
        ];
        let mut x = 0x9e37_79b9u32;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        let mut store = TextContent::default();
        let mut all = String::new();
        for _ in 0..400 {
            let len = next() % 150;
            // Runs of ASCII now and then, so that whole words skip.
            let ascii = next().is_multiple_of(3);
            let piece: String = (0..len)
                .map(|_| {
                    let c = chars[(next() % 8) as usize];
                    if ascii && !c.is_ascii() {
                        'q'
                    } else {
                        c
                    }
                })
                .collect();
            if piece.is_empty() {
                continue;
            }
            store.push(&piece);
            all.push_str(&piece);
        }
        let whole = TextContent::from_text(all.clone());
        assert_eq!(store.count, whole.count);
        assert_eq!(store.marks, whole.marks);
        let n = store.count;
        for (a, b) in [(0, n), (1, 65), (63, 64), (n / 2, n / 2 + 130), (n - 3, n)] {
            assert_eq!(store.get(a, b), whole.get(a, b));
        }
    }

    /// A store grown past several chunks (typing, pastes larger than a chunk,
    /// a loaded text pushed onto) reads every run back as the text it was
    /// given, runs that straddle chunks included, in ASCII and mixed text.
    #[test]
    fn runs_read_back_across_chunks_as_pushed() {
        let mut x = 0x2545_f491u32;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        for mixed in [false, true] {
            let chars = if mixed {
                ['a', '\u{e9}', '\u{20ac}', '\u{1F600}', ' ', 'z']
            } else {
                ['a', 'b', 'c', ' ', 'z', '\n']
            };
            let loaded: String = (0..5000).map(|i| chars[i % 6]).collect();
            let mut store = TextContent::from_text(loaded.clone());
            let mut all: Vec<char> = loaded.chars().collect();
            while all.len() < 3 * super::CHUNK {
                let piece: String = match next() % 50 {
                    // A paste larger than a chunk.
                    0 => (0..super::CHUNK + 999).map(|i| chars[i % 6]).collect(),
                    1..=9 => (0..next() % 3000)
                        .map(|_| chars[(next() % 6) as usize])
                        .collect(),
                    _ => chars[(next() % 6) as usize].to_string(),
                };
                if piece.len() == 1 {
                    store.push_local(&piece);
                } else if !piece.is_empty() {
                    store.push(&piece);
                }
                all.extend(piece.chars());
            }
            assert!(store.full.len() >= 3, "{} chunks", store.full.len());
            let n = all.len() as u32;
            assert_eq!(store.count, n);
            let mut ranges: Vec<(u32, u32)> = store
                .full
                .iter()
                .map(|c| {
                    let e = store.text_count_before(c.0);
                    (e.saturating_sub(3), (e + 2).min(n))
                })
                .collect();
            for _ in 0..2000 {
                let a = next() % n;
                ranges.push((a, (a + next() % 200_000).min(n)));
            }
            ranges.push((0, n));
            for (a, b) in ranges {
                let want: String = all[a as usize..b as usize].iter().collect();
                assert_eq!(store.get(a, b), want.as_str(), "{a}..{b}");
                let utf16 = want.encode_utf16().count() as u32;
                assert_eq!(store.utf16_len(a, b), utf16, "{a}..{b}");
            }
        }
    }

    /// `measure` counts characters and UTF-16 units as the standard library
    /// does, for every length and alignment of text mixing one- to four-byte
    /// characters (natively eight bytes at a time, with a byte-wise tail).
    #[test]
    fn measure_counts_characters_and_utf16_units_of_mixed_text() {
        let chars = [
            'a',
            '\u{e9}',
            '\u{20ac}',
            '\u{1F600}',
            '\u{10400}',
            '\u{7f}',
            '\u{80}',
        ];
        let mut x = 0x2545_f491u32;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x
        };
        for round in 0..600 {
            let len = round % 70 + 1;
            let s: String = (0..len).map(|_| chars[(next() % 7) as usize]).collect();
            for (start, _) in s.char_indices().take(4) {
                let t = &s[start..];
                let want = (t.chars().count(), t.encode_utf16().count());
                assert_eq!(TextContent::measure(t), want, "{t:?}");
            }
        }
    }
}
