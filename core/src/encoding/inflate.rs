//! Deflate (RFC 1951) decoder for the text and payload blocks, small enough for
//! the WebAssembly build (miniz_oxide's inflater was 10 KB of it).
//!
//! Its input is hostile: every length, code and distance is checked, nothing is
//! written past `size` (the length the payload states, bounded by the caller),
//! and any inconsistency is `None`, never a panic.

use super::deflate::{fixed_lit_lengths, CL_ORDER, FIXED_DIST_LENGTHS};

/// Code length bits looked up in one step; longer codes are decoded bit by bit.
const FAST_BITS: u32 = 11;
const FAST_SIZE: usize = 1 << FAST_BITS;

/// Match length of length symbols 257.. (less 257), and their extra bits.
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Distance of distance symbols, and their extra bits.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// Inflates `packed` into exactly `size` bytes, or `None` if it is not a valid
/// raw Deflate stream of that length. The vector has room for `more` bytes
/// after them (the caller's bound, as for `size`).
pub(crate) fn inflate(packed: &[u8], size: usize, more: usize) -> Option<Vec<u8>> {
    // Zeroed by the allocator (fresh pages need no clearing), not by a fill.
    let mut out = vec![0u8; size.saturating_add(more)];
    out.truncate(size);
    let mut pos = 0;
    inflate_into(packed, &mut out, &mut pos)?;
    (pos == size).then_some(out)
}

/// Inflates `packed`'s blocks into `out` from `*pos` on; `*pos` ends after the
/// last whole symbol written, also when the stream turns out invalid (the
/// tests compare how far each loop got).
fn inflate_into(packed: &[u8], out: &mut [u8], pos: &mut usize) -> Option<()> {
    let mut bits = Bits {
        data: packed,
        pos: 0,
        acc: 0,
        n: 0,
    };
    loop {
        let last = bits.take(1)?;
        match bits.take(2)? {
            0 => stored(&mut bits, out, pos)?,
            1 => {
                let (lit, dist) = (
                    Huffman::new(&fixed_lit_lengths(), Alphabet::LitLen, FAST_BITS)?,
                    Huffman::new(&FIXED_DIST_LENGTHS, Alphabet::Dist, FAST_BITS)?,
                );
                codes(&mut bits, out, pos, &lit, &dist)?;
            }
            2 => {
                let (lit, dist) = dynamic_tables(&mut bits)?;
                codes(&mut bits, out, pos, &lit, &dist)?;
            }
            _ => return None,
        }
        if last == 1 {
            return Some(());
        }
    }
}

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u64,
    n: u32,
}

impl Bits<'_> {
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn refill(&mut self) {
        // Eight bytes at once where the input has them (natively: the
        // WebAssembly build keeps to the byte loop for its size). Bits above the
        // new `n` are the bytes the next refill reads again: it ORs the same
        // values at the same places, so they never disagree.
        let wide = cfg!(not(target_arch = "wasm32"));
        if let Some(word) = self.data.get(self.pos..self.pos + 8).filter(|_| wide) {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            self.acc |= word << self.n;
            let bytes = (63 - self.n) / 8;
            self.pos += bytes as usize;
            self.n += bytes * 8;
            return;
        }
        while self.n <= 56 {
            let Some(&b) = self.data.get(self.pos) else {
                return;
            };
            self.acc |= u64::from(b) << self.n;
            self.n += 8;
            self.pos += 1;
        }
    }

    /// The next `k` (at most 16) bits, least significant first.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    fn take(&mut self, k: u32) -> Option<u32> {
        if self.n < k {
            self.refill();
            if self.n < k {
                return None;
            }
        }
        let v = (self.acc & ((1u64 << k) - 1)) as u32;
        self.acc >>= k;
        self.n -= k;
        Some(v)
    }
}

/// A stored block: its length, the length's complement, then the bytes as they are.
fn stored(bits: &mut Bits<'_>, out: &mut [u8], pos: &mut usize) -> Option<()> {
    let skip = bits.n % 8;
    bits.take(skip)?;
    let len = bits.take(16)?;
    if bits.take(16)? != !len & 0xffff || *pos + len as usize > out.len() {
        return None;
    }
    for _ in 0..len {
        out[*pos] = bits.take(8)? as u8;
        *pos += 1;
    }
    Some(())
}

/// A canonical Huffman code: how many codes of each length, the symbols in code
/// order, and a table indexed by the next `FAST_BITS` bits for the short codes,
/// built once in the form both loops read (see [`entry`]).
struct Huffman {
    count: [u16; 16],
    symbol: Vec<u16>,
    /// Where canonical decoding stands after the table's `bits` lengths
    /// with no code found: the first code of length `bits + 1` (less one
    /// shift) and how many symbols the shorter codes took (see
    /// [`Huffman::decode_slow`]).
    past_table: (i32, i32),
    /// An [`entry`] per slot, indexed by the next `bits` bits (`FAST_BITS`
    /// for literal/length and distance codes, 7 for the code-length code), or
    /// 0 where no code of up to `bits` bits fits.
    table: Vec<u64>,
}

/// What a code's symbols are, for [`entry`].
#[derive(Clone, Copy)]
enum Alphabet {
    LitLen,
    Dist,
    CodeLen,
}

#[cfg(test)]
thread_local! {
    // Off only in tests, which compare the fast loop with the careful one
    // alone (per thread, so that tests running at once do not see each other's).
    static CAREFUL_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// In an entry: a literal (its byte in bits 48..56).
const LITERAL: u64 = 1 << 42;
/// In an entry: a literal, or a length or distance symbol with a meaning,
/// which the fast loop decodes; anything else (end of block, symbols 286,
/// 287, 30 and 31) it leaves to the careful loop.
const FAST: u64 = 1 << 41;

/// A table entry: code length in bits 0..8 and the symbol in bits 32..41 (for
/// the careful loop); for the fast loop, with `FAST` set, code length plus
/// extra bits in 8..16, the extra bits' mask in 16..32, and the literal byte
/// or the length or distance base in 48..64 (so that a value is one shift,
/// mask and add, and no mask is computed per symbol).
fn entry(alphabet: Alphabet, symbol: usize, len: u32) -> u64 {
    let (base, extra, flags) = match alphabet {
        Alphabet::LitLen if symbol < 256 => (symbol as u64, 0, LITERAL | FAST),
        Alphabet::LitLen => match (
            LEN_BASE.get(symbol.wrapping_sub(257)),
            LEN_EXTRA.get(symbol.wrapping_sub(257)),
        ) {
            (Some(&b), Some(&e)) => (u64::from(b), u64::from(e), FAST),
            _ => (0, 0, 0),
        },
        Alphabet::Dist => match (DIST_BASE.get(symbol), DIST_EXTRA.get(symbol)) {
            (Some(&b), Some(&e)) => (u64::from(b), u64::from(e), FAST),
            _ => (0, 0, 0),
        },
        Alphabet::CodeLen => (0, 0, 0),
    };
    let len = u64::from(len);
    base << 48 | flags | (symbol as u64) << 32 | ((1 << extra) - 1) << 16 | (len + extra) << 8 | len
}

impl Huffman {
    /// `None` if the lengths over-subscribe the code space. Incomplete codes are
    /// allowed (a lone distance code is); their missing codes fail to decode.
    fn new(lengths: &[u8], alphabet: Alphabet, bits: u32) -> Option<Self> {
        let mut count = [0u16; 16];
        for &l in lengths {
            count[usize::from(l)] += 1;
        }
        count[0] = 0;
        let mut left = 1i32;
        for &c in &count[1..] {
            left = (left << 1) - i32::from(c);
            if left < 0 {
                return None;
            }
        }
        let mut offset = [0u16; 16];
        for l in 1..15 {
            offset[l + 1] = offset[l] + count[l];
        }
        let mut symbol = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbol[usize::from(offset[usize::from(l)])] = s as u16;
                offset[usize::from(l)] += 1;
            }
        }
        // Built doubling: once the codes of up to `len` bits are in the
        // first 2^len slots, the next 2^len slots repeat them (a code of
        // `len` bits fills every slot whose low `len` bits are its own), and
        // the codes one bit longer go where no shorter code is. So every slot
        // is written once, by copying, and nothing is zeroed first.
        let mut table = Vec::with_capacity(1 << bits);
        table.extend_from_slice(&[0, 0]);
        let (mut code, mut index) = (0u32, 0usize);
        for len in 1..=bits {
            if len > 1 {
                table.extend_from_within(..);
            }
            for _ in 0..count[len as usize] {
                let reversed = code.reverse_bits() >> (32 - len);
                let e = entry(alphabet, usize::from(symbol[index]), len);
                *table.get_mut(reversed as usize)? = e;
                code += 1;
                index += 1;
            }
            code <<= 1;
        }
        let (mut first, mut index) = (0i32, 0i32);
        for &c in &count[1..=bits as usize] {
            index += i32::from(c);
            first = (first + i32::from(c)) << 1;
        }
        Some(Huffman {
            count,
            symbol,
            past_table: (first, index),
            table,
        })
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn decode(&self, bits: &mut Bits<'_>) -> Option<usize> {
        if bits.n < 15 {
            bits.refill();
        }
        let e = self.table[(bits.acc as usize) & (self.table.len() - 1)];
        let len = (e & 0xff) as u32;
        if e != 0 && len <= bits.n {
            bits.acc >>= len;
            bits.n -= len;
            return Some((e >> 32) as usize & 0x1ff);
        }
        self.decode_slow(bits)
    }

    #[cold]
    #[inline(never)]
    fn decode_slow(&self, bits: &mut Bits<'_>) -> Option<usize> {
        // Canonical decoding over the bits already read in (`decode` refilled
        // them): codes of each length are consecutive, starting where the
        // shorter ones left off. A code longer than the bits the input has
        // left fails, as reading them one at a time would.
        //
        // The table holds every code of up to `table_bits` bits, so the walk
        // starts past them, where `Huffman::new` left `past_table`, instead
        // of ~20 instructions a length for the first eleven (300 a long
        // literal code, 307 of them in the automerge-paper import). A short
        // code that is in the table but longer than the bits left comes here
        // too: every code past the table is longer still, so it fails as
        // the walk from the first length would have.
        let table_bits = self.table.len().trailing_zeros();
        let (mut first, mut index) = self.past_table;
        let low = (bits.acc as u32) & ((1u32 << table_bits) - 1);
        let mut code = (low.reverse_bits() >> (32 - table_bits)) as i32;
        code <<= 1;
        for (len, &count) in (table_bits + 1..).zip(self.count.get(table_bits as usize + 1..)?) {
            code |= ((bits.acc >> (len - 1)) & 1) as i32;
            let count = i32::from(count);
            if code - first < count {
                if len > bits.n {
                    return None;
                }
                bits.acc >>= len;
                bits.n -= len;
                return self
                    .symbol
                    .get((index + code - first) as usize)
                    .map(|&s| usize::from(s));
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        None
    }
}

/// Reads a dynamic block's code-length code, then its literal/length and
/// distance codes.
fn dynamic_tables(bits: &mut Bits<'_>) -> Option<(Huffman, Huffman)> {
    let hlit = bits.take(5)? as usize + 257;
    let hdist = bits.take(5)? as usize + 1;
    let hclen = bits.take(4)? as usize + 4;
    if hlit > 286 || hdist > 30 {
        return None;
    }
    let mut cl = [0u8; 19];
    for &s in &CL_ORDER[..hclen] {
        cl[s] = bits.take(3)? as u8;
    }
    let cl = Huffman::new(&cl, Alphabet::CodeLen, 7)?;
    let mut lengths = vec![0u8; hlit + hdist];
    let mut i = 0;
    while i < lengths.len() {
        let sym = cl.decode(bits)?;
        let (value, repeat) = match sym {
            0..=15 => (sym as u8, 1),
            16 => (*lengths.get(i.checked_sub(1)?)?, 3 + bits.take(2)?),
            17 => (0, 3 + bits.take(3)?),
            _ => (0, 11 + bits.take(7)?),
        };
        let end = i + repeat as usize;
        lengths.get_mut(i..end)?.fill(value);
        i = end;
    }
    if lengths[256] == 0 {
        return None;
    }
    Some((
        Huffman::new(&lengths[..hlit], Alphabet::LitLen, FAST_BITS)?,
        Huffman::new(&lengths[hlit..], Alphabet::Dist, FAST_BITS)?,
    ))
}

/// Decodes a block's symbols up to its end-of-block code into `out` from `*pos`
/// on (`out` is as long as the stated size, so it bounds every write).
#[cfg_attr(weft_wasm_speed, optimize(speed))]
fn codes(
    bits: &mut Bits<'_>,
    out: &mut [u8],
    pos: &mut usize,
    lit: &Huffman,
    dist: &Huffman,
) -> Option<()> {
    let mut at = *pos;
    #[cfg(test)]
    let fast = !CAREFUL_ONLY.with(std::cell::Cell::get);
    #[cfg(not(test))]
    let fast = true;
    // A closure, so that every way out of it (`?` included) leaves `*pos`
    // where the last whole symbol ended.
    let result = (|| loop {
        // The fast loop stops at whatever it leaves to this one: one symbol
        // here, then back to it.
        if let (true, Ok(l), Ok(d)) = (fast, lit.table[..].try_into(), dist.table[..].try_into()) {
            codes_fast(bits, out, &mut at, l, d);
        }
        let sym = lit.decode(bits)?;
        if sym < 256 {
            *out.get_mut(at)? = sym as u8;
            at += 1;
        } else if sym == 256 {
            return Some(());
        } else {
            let s = sym - 257;
            let (&base, &extra) = (LEN_BASE.get(s)?, LEN_EXTRA.get(s)?);
            let len = usize::from(base) + bits.take(u32::from(extra))? as usize;
            let d = dist.decode(bits)?;
            let (&base, &extra) = (DIST_BASE.get(d)?, DIST_EXTRA.get(d)?);
            let distance = usize::from(base) + bits.take(u32::from(extra))? as usize;
            let from = at.checked_sub(distance)?;
            let end = at + len;
            if end > out.len() {
                return None;
            }
            let word_copy = cfg!(not(target_arch = "wasm32")) && distance >= 8 && len <= 32;
            if word_copy && end + 8 <= out.len() {
                // A short copy costs less this way than through
                // `copy_within`'s call (natively: the WebAssembly build keeps
                // to the smaller code).
                copy_words(out, from, at, len);
            } else if distance >= len {
                out.copy_within(from..from + len, at);
            } else {
                // The copy overlaps what it writes: a run repeating its last bytes.
                for k in at..end {
                    out[k] = out[k - distance];
                }
            }
            at = end;
        }
    })();
    *pos = at;
    result
}

/// The bulk of a block (in both builds: in the WebAssembly one it takes the
/// automerge-paper import from 4.3 to 3.7 ms for +584 B gzipped, branch
/// `wasmimport` in docs/benchmarks.md): while the input has a word left and the
/// output room for the longest match (and the word copy's overrun), one
/// refill per symbol is enough for a whole match (at most 48 bits: an 11-bit
/// code, 5 extra bits, an 11-bit distance code and 13 extra bits), so the
/// per-symbol checks of `codes` are not needed. Anything else (a code longer
/// than the table, the end of the block, an invalid symbol or distance) is left
/// unconsumed for `codes`, which decides it as it would have without this loop.
#[inline(always)]
fn codes_fast(
    bits: &mut Bits<'_>,
    out: &mut [u8],
    at: &mut usize,
    lit: &[u64; FAST_SIZE],
    dist: &[u64; FAST_SIZE],
) {
    const MARGIN: usize = 258 + 32;
    const MASK: u64 = FAST_SIZE as u64 - 1;
    // The last output position with room for the longest match (and the
    // fixed-size copy's overrun), and the last input position with a whole
    // word left: one comparison each per refill.
    let (Some(out_end), Some(in_end)) = (
        out.len().checked_sub(MARGIN),
        bits.data.len().checked_sub(8),
    ) else {
        return;
    };
    // The bit reader in registers, written back once at the end.
    let (data, mut pos, mut acc, mut n) = (bits.data, bits.pos, bits.acc, bits.n);
    let mut a = *at;
    while a <= out_end && pos <= in_end {
        let Some(word) = data
            .get(pos..pos + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
        else {
            break;
        };
        acc |= u64::from_le_bytes(word) << n;
        pos += ((63 - n) / 8) as usize;
        n |= 56;
        let e = lit[(acc & MASK) as usize];
        if e & LITERAL != 0 {
            // Up to four literals from one refill (56 bits hold four
            // 11-bit codes; `MARGIN` leaves room for their bytes).
            let Some(window) = out.get_mut(a..a + 4) else {
                break;
            };
            acc >>= e & 0xff;
            n -= (e & 0xff) as u32;
            window[0] = (e >> 48) as u8;
            a += 1;
            for slot in &mut window[1..] {
                let e = lit[(acc & MASK) as usize];
                if e & LITERAL == 0 {
                    break;
                }
                acc >>= e & 0xff;
                n -= (e & 0xff) as u32;
                *slot = (e >> 48) as u8;
                a += 1;
            }
            continue;
        }
        if e & FAST == 0 {
            break;
        }
        // A match: taken only once all of it has been checked, so that
        // anything else leaves the bits as they were for `codes`.
        let len = (e >> 48) as usize + ((acc >> (e & 0xff)) & (e >> 16 & 0xffff)) as usize;
        let rest = acc >> ((e >> 8) & 0xff);
        let d = dist[(rest & MASK) as usize];
        if d & FAST == 0 {
            break;
        }
        let distance = (d >> 48) as usize + ((rest >> (d & 0xff)) & (d >> 16 & 0xffff)) as usize;
        let Some(from) = a.checked_sub(distance) else {
            break;
        };
        acc = rest >> ((d >> 8) & 0xff);
        n -= ((e >> 8) & 0xff) as u32 + ((d >> 8) & 0xff) as u32;
        if len <= 32 && distance >= len {
            // One fixed-size copy: the bytes read past the match's source
            // are already written or written over later (the margin keeps
            // the 32 bytes inside `out`).
            copy_fixed::<32>(out, from, a);
        } else if distance >= 8 {
            copy_words(out, from, a, len);
        } else if distance == 1 {
            let b = out[from];
            out[a..a + len].fill(b);
        } else {
            for k in a..a + len {
                out[k] = out[k - distance];
            }
        }
        a += len;
    }
    (bits.pos, bits.acc, bits.n) = (pos, acc, n);
    *at = a;
}

/// Copies a match of `len` bytes from `from` to `to` a word at a time, each
/// read ending at or before the first byte it writes (`to - from >= 8`); up to
/// 7 bytes past the match are written too, which later symbols overwrite (the
/// caller leaves room for them in `out`).
#[inline(always)]
fn copy_words(out: &mut [u8], from: usize, to: usize, len: usize) {
    let mut k = 0;
    while k < len {
        copy_fixed::<8>(out, from + k, to + k);
        k += 8;
    }
}

/// Copies `N` bytes from `from` to `to` as whole-array loads and stores
/// (`to - from >= N` or the copy's bytes are read before any is written), not
/// through `copy_from_slice`: the WebAssembly build's std (built for size)
/// calls out of line to a `memory.copy` for it, which costs more than the
/// bytes themselves (6% of the automerge-paper import's samples, branch
/// `wasmimport`).
#[inline(always)]
fn copy_fixed<const N: usize>(out: &mut [u8], from: usize, to: usize) {
    let w: [u8; N] = out[from..from + N].try_into().unwrap_or([0; N]);
    if let Ok(dst) = <&mut [u8; N]>::try_from(&mut out[to..to + N]) {
        *dst = w;
    }
}

#[cfg(test)]
mod tests {
    use super::{inflate, inflate_into, CAREFUL_ONLY};
    use crate::encoding::deflate::deflate;
    use flate2::{write::DeflateEncoder, Compression};
    use std::io::Write;

    fn sample() -> Vec<u8> {
        let mut text = Vec::new();
        for i in 0..3_000u32 {
            let line = format!("{} – the {}th line, {} ✓\n", i % 17, i, i * 7919 % 1000);
            text.extend_from_slice(line.as_bytes());
        }
        text
    }

    fn flate2(data: &[u8], level: u32) -> Vec<u8> {
        let mut e = DeflateEncoder::new(Vec::new(), Compression::new(level));
        e.write_all(data).expect("in memory");
        e.finish().expect("in memory")
    }

    #[test]
    fn inflates_our_stream_and_another_encoders_at_every_level() {
        let text = sample();
        assert_eq!(
            inflate(&deflate(&text), text.len(), 0).as_deref(),
            Some(&text[..])
        );
        // Level 0 writes stored blocks, level 1 mostly fixed codes.
        for level in [0, 1, 6, 9] {
            let packed = flate2(&text, level);
            assert_eq!(
                inflate(&packed, text.len(), 0).as_deref(),
                Some(&text[..]),
                "level {level}"
            );
        }
        for data in [&b""[..], b"x", &[0u8; 70_000]] {
            assert_eq!(
                inflate(&deflate(data), data.len(), 0).as_deref(),
                Some(data)
            );
            assert_eq!(
                inflate(&flate2(data, 9), data.len(), 0).as_deref(),
                Some(data)
            );
        }
    }

    #[test]
    fn refuses_a_wrong_stated_length() {
        let text = sample();
        let packed = deflate(&text);
        assert_eq!(inflate(&packed, text.len() - 1, 0), None);
        assert_eq!(inflate(&packed, text.len() + 1, 0), None);
    }

    #[test]
    fn corrupt_and_truncated_streams_fail_without_panicking() {
        // 30 KB: a flipped bit is found as well in it as in more (each case
        // inflates all of it), in a tenth of the time of a debug build.
        let text = sample()[..30_000].to_vec();
        let packed = deflate(&text);
        for cut in 0..packed.len().min(400) {
            assert_eq!(inflate(&packed[..cut], text.len(), 0), None);
        }
        let mut x = 0x9E37_79B9u32;
        for _ in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let mut bad = packed.clone();
            let at = x as usize % bad.len();
            bad[at] ^= 1 << (x >> 29);
            // Whatever comes out stays within the stated length.
            if let Some(out) = inflate(&bad, text.len(), 0) {
                assert_eq!(out.len(), text.len());
            }
            let _ = inflate(&bad[..at], 1 << 20, 0);
        }
        // Random bytes: reserved block types, over-subscribed codes, far distances.
        for seed in 0..2_000u32 {
            let mut y = seed.wrapping_mul(2_654_435_761) | 1;
            let junk: Vec<u8> = (0..64)
                .map(|_| {
                    y ^= y << 13;
                    y ^= y >> 17;
                    y ^= y << 5;
                    y as u8
                })
                .collect();
            if let Some(out) = inflate(&junk, 100, 0) {
                assert_eq!(out.len(), 100);
            }
        }
    }

    #[test]
    fn over_subscribed_and_empty_codes_are_refused() {
        // A dynamic block whose code-length code gives four symbols one bit each.
        let mut w = Vec::new();
        // BFINAL=1, BTYPE=2, HLIT=0, HDIST=0, HCLEN=0 (4 lengths: 16,17,18,0) all = 1.
        let bits: u64 = 1 | 2 << 1 | 1 << 17 | 1 << 20 | 1 << 23 | 1 << 26;
        w.extend_from_slice(&bits.to_le_bytes()[..4]);
        assert_eq!(inflate(&w, 10, 0), None);
        // A reserved block type.
        assert_eq!(inflate(&[0b111], 0, 0), None);
    }

    fn xorshift(x: &mut u32) -> u32 {
        *x ^= *x << 13;
        *x ^= *x >> 17;
        *x ^= *x << 5;
        *x
    }

    /// The fast loop and the careful one alone give the same answer, and when
    /// the stream is invalid, fail at the same symbol with the same bytes
    /// before it (so that a loop which goes on past what the other refuses is
    /// seen even when the stream fails later anyway).
    fn same(packed: &[u8], size: usize) -> Option<Vec<u8>> {
        let run = |careful: bool| {
            CAREFUL_ONLY.with(|c| c.set(careful));
            let mut out = vec![0u8; size];
            let mut pos = 0;
            let done = inflate_into(packed, &mut out, &mut pos);
            CAREFUL_ONLY.with(|c| c.set(false));
            out.truncate(pos);
            (done, out)
        };
        let fast = run(false);
        assert_eq!(fast, run(true), "{size} bytes from {packed:02x?}");
        let (done, out) = fast;
        (done.is_some() && out.len() == size).then_some(out)
    }

    /// Text with matches of every length and distance: short and long, runs
    /// (distance 1), overlapping copies (distance below the length), and far
    /// ones; `items` pieces after `base`.
    fn matchy_from(mut data: Vec<u8>, items: usize) -> Vec<u8> {
        let mut x = 0x1234_5678u32;
        for i in 0..items {
            match xorshift(&mut x) % 5 {
                0 => data.extend(std::iter::repeat_n(b'a' + (i % 26) as u8, 1 + i % 300)),
                1 => data.extend_from_slice(&b"abcdefg"[..1 + i % 7].repeat(1 + i % 40)),
                2 => data.push(xorshift(&mut x) as u8),
                _ => {
                    let back = 1 + xorshift(&mut x) as usize % data.len().min(32_000);
                    let from = data.len() - back;
                    let len = 3 + xorshift(&mut x) as usize % 300;
                    for k in 0..len {
                        data.push(data[from + k]);
                    }
                }
            }
        }
        data
    }

    fn matchy() -> Vec<u8> {
        // ~250 KB: far matches from the first pieces on (they reach back up
        // to 32 KB), and 30 blocks of our encoder's.
        matchy_from(sample(), 1_000)
    }

    /// Many blocks: a flush ends the block after whatever symbol came last,
    /// with room enough for the fast loop after it.
    fn flushed(data: &[u8], level: u32) -> Vec<u8> {
        flushed_every(data, level, 777)
    }

    fn flushed_every(data: &[u8], level: u32, chunk: usize) -> Vec<u8> {
        let mut e = DeflateEncoder::new(Vec::new(), Compression::new(level));
        for (i, chunk) in data.chunks(chunk).enumerate() {
            e.write_all(chunk).expect("in memory");
            if i % 3 != 2 {
                e.flush().expect("in memory");
            }
        }
        e.finish().expect("in memory")
    }

    #[test]
    fn fast_loop_agrees_with_the_careful_one_on_valid_streams() {
        for data in [sample(), matchy()] {
            for packed in [
                flushed(&data, 1),
                flushed(&data, 9),
                deflate(&data),
                flate2(&data, 0),
                flate2(&data, 1),
                flate2(&data, 6),
                flate2(&data, 9),
            ] {
                assert_eq!(same(&packed, data.len()).as_deref(), Some(&data[..]));
                assert_eq!(same(&packed, data.len() - 1), None);
                assert_eq!(same(&packed, data.len() + 1), None);
            }
        }
        for data in [&b""[..], b"x", &[0u8; 70_000]] {
            assert_eq!(same(&deflate(data), data.len()).as_deref(), Some(data));
        }
        // Room for `more` bytes after the stated length, unused by the loops.
        let data = sample();
        let out = inflate(&deflate(&data), data.len(), 7).expect("valid");
        assert!(out == data && out.capacity() >= data.len() + 7);
    }

    /// How many times over the corrupt-stream cases run: once in the test
    /// suite (seconds in a debug build); a long run sets more, in a release
    /// build (README.md, "Longer runs"): `WEFT_INFLATE_ROUNDS=300 cargo test --release
    /// -p weft-core --lib fast_loop_agrees`.
    fn rounds() -> u32 {
        std::env::var("WEFT_INFLATE_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(1)
    }

    #[test]
    fn fast_loop_agrees_with_the_careful_one_on_corrupt_streams() {
        // Streams of ~20 KB: each case inflates twice, and what makes the two
        // loops part (the end of the input or of the room left, a distance
        // before the start, a code the table leaves out, symbols without a
        // meaning) is as near in a short stream as in a long one.
        let data = matchy_from(sample()[..6_000].to_vec(), 150);
        let mut x = 0x2545_F491u32;
        for round in 0..rounds() {
            for packed in [
                deflate(&data),
                flate2(&data, 9),
                flushed_every(&data, 1, 2_500),
            ] {
                // Cut anywhere: the fast loop stops where the input has no
                // whole word left, the careful one at its last bit.
                let step = (packed.len() / 100).max(1);
                for cut in (round as usize % step..packed.len()).step_by(step) {
                    same(&packed[..cut], data.len());
                }
                for _ in 0..150 {
                    let mut bad = packed.clone();
                    for _ in 0..=(xorshift(&mut x) % 3) {
                        let at = xorshift(&mut x) as usize % bad.len();
                        bad[at] ^= 1 << (xorshift(&mut x) % 8);
                    }
                    same(&bad, data.len());
                    // A shorter stated length: the fast loop's margin ends early.
                    same(&bad, data.len() / 3);
                }
                // The stream's own codes over random bits after a valid
                // start: long codes, symbols 286/287 and 30/31, distances
                // before the start, all decoded with real tables.
                for _ in 0..60 {
                    let keep = xorshift(&mut x) as usize % packed.len();
                    let mut bad = packed[..keep].to_vec();
                    bad.extend((0..64).map(|_| xorshift(&mut x) as u8));
                    same(&bad, data.len());
                }
            }
            // Random bytes: every block type, over-subscribed, incomplete and
            // empty codes, distances before the start, symbols 286/287 and 30/31.
            for seed in 0..2_000u32 {
                let seed = seed + round * 2_000;
                let mut y = seed.wrapping_mul(2_654_435_761) | 1;
                let len = 1 + seed as usize % 400;
                let mut junk: Vec<u8> = (0..len).map(|_| xorshift(&mut y) as u8).collect();
                // Half of them a fixed-code block, which random bytes rarely
                // leave before it ends.
                if seed % 2 == 0 {
                    junk[0] = junk[0] & !0b110 | 0b010;
                }
                same(&junk, seed as usize % 1_000);
            }
        }
    }
}
