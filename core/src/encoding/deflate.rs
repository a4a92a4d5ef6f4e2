//! A compact Deflate (RFC 1951) compressor for the text and payload blocks.
//!
//! Written here rather than taken from miniz_oxide because its compressor, built
//! for every level and flush mode, was the largest single piece of the
//! WebAssembly module (see docs/benchmarks.md). This one does what zlib's level 9 does (hash chains,
//! lazy matching, a dynamic or fixed Huffman code per block, whichever is
//! shorter) and nothing else. It only ever reads bytes the engine produced
//! itself; `inflate.rs` decodes, checking every bound.

const WINDOW: usize = 1 << 15;
const WMASK: usize = WINDOW - 1;
const HASH_BITS: u32 = 15;
const NONE: u32 = u32::MAX;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
/// zlib's level 9: search effort, and when a match is long enough to stop looking.
const MAX_CHAIN: usize = 4096;
const GOOD_MATCH: usize = 32;
/// A 3-byte match this far back costs more bits than three literals.
const TOO_FAR: usize = 4096;
/// Tokens per block: each block gets a Huffman code fitted to its own symbols.
const BLOCK_TOKENS: usize = 1 << 14;
/// A token is a literal byte, or a match with this bit set, `len - 3` above bit 16
/// and `dist - 1` below.
const MATCH: u32 = 1 << 31;
const END_OF_BLOCK: usize = 256;
/// Order in which the code-length code's lengths are sent (RFC 1951 3.2.7);
/// the decoder reads them in the same order.
pub(super) const CL_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Code lengths of the fixed literal/length code (RFC 1951 3.2.6), shared with
/// the decoder.
pub(super) fn fixed_lit_lengths() -> [u8; 288] {
    std::array::from_fn(|s| match s {
        0..=143 => 8,
        144..=255 => 9,
        256..=279 => 7,
        _ => 8,
    })
}

/// Code lengths of the fixed distance code.
pub(super) const FIXED_DIST_LENGTHS: [u8; 30] = [5; 30];

/// Compresses `input` into a raw Deflate stream (no zlib or gzip framing).
pub(crate) fn deflate(input: &[u8]) -> Vec<u8> {
    let mut out = BitWriter::default();
    let mut tokens = Vec::with_capacity(BLOCK_TOKENS.min(input.len() + 1));
    let mut lz = Matcher::new(input);
    loop {
        let done = lz.fill(&mut tokens);
        write_block(&mut out, &tokens, done);
        tokens.clear();
        if done {
            return out.finish();
        }
    }
}

/// LZ77 over hash chains of 3-byte prefixes, with zlib's lazy evaluation: a match
/// is taken only if the next position does not start a longer one.
struct Matcher<'a> {
    input: &'a [u8],
    head: Vec<u32>,
    prev: Vec<u32>,
    pos: usize,
    /// A match found at `pos - 1`, held back to compare with the one at `pos`.
    pending: Option<(usize, usize)>,
}

impl<'a> Matcher<'a> {
    fn new(input: &'a [u8]) -> Self {
        Matcher {
            input,
            head: vec![NONE; 1 << HASH_BITS],
            prev: vec![NONE; WINDOW],
            pos: 0,
            pending: None,
        }
    }

    fn hash(&self, at: usize) -> usize {
        let b = &self.input[at..at + MIN_MATCH];
        let v = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
    }

    /// Links `at` into its chain; returns the previous head of that chain.
    fn insert(&mut self, at: usize) -> u32 {
        if at + MIN_MATCH > self.input.len() {
            return NONE;
        }
        let h = self.hash(at);
        let older = self.head[h];
        self.prev[at & WMASK] = older;
        self.head[h] = at as u32;
        older
    }

    /// The longest match at `at` longer than `floor`, searching from `cand`.
    fn longest(&self, at: usize, mut cand: u32, floor: usize) -> (usize, usize) {
        let data = self.input;
        let max = MAX_MATCH.min(data.len() - at);
        let (mut best_len, mut best_dist) = (floor, 0);
        if max < MIN_MATCH {
            return (0, 0);
        }
        let mut chain = if floor >= GOOD_MATCH {
            MAX_CHAIN / 4
        } else {
            MAX_CHAIN
        };
        while cand != NONE && chain > 0 {
            let c = cand as usize;
            let dist = at - c;
            if dist > WINDOW {
                break;
            }
            if data[c + best_len.min(max - 1)] == data[at + best_len.min(max - 1)] {
                let len = common_prefix(&data[c..c + max], &data[at..at + max]);
                if len > best_len && !(len == MIN_MATCH && dist > TOO_FAR) {
                    best_len = len;
                    best_dist = dist;
                    if len == max {
                        break;
                    }
                }
            }
            cand = self.prev[c & WMASK];
            chain -= 1;
        }
        if best_dist == 0 {
            (0, 0)
        } else {
            (best_len, best_dist)
        }
    }

    /// Appends tokens until the block is full or the input ends (returns true).
    fn fill(&mut self, tokens: &mut Vec<u32>) -> bool {
        let n = self.input.len();
        while self.pos < n {
            if tokens.len() + 1 >= BLOCK_TOKENS {
                return false;
            }
            let at = self.pos;
            let cand = self.insert(at);
            let floor = self.pending.map_or(MIN_MATCH - 1, |(len, _)| len);
            let here = if floor < MAX_MATCH {
                self.longest(at, cand, floor)
            } else {
                (0, 0)
            };
            match self.pending.take() {
                Some((len, dist)) if here.0 <= len => {
                    tokens.push(MATCH | ((len - MIN_MATCH) as u32) << 16 | (dist - 1) as u32);
                    // The match began at `at - 1`; `at` is already linked.
                    for p in at + 1..at - 1 + len {
                        self.insert(p);
                    }
                    self.pos = at - 1 + len;
                    continue;
                }
                Some(_) => tokens.push(u32::from(self.input[at - 1])),
                None => {}
            }
            if here.0 >= MIN_MATCH {
                self.pending = Some(here);
            } else {
                tokens.push(u32::from(self.input[at]));
            }
            self.pos += 1;
        }
        if let Some((len, dist)) = self.pending.take() {
            tokens.push(MATCH | ((len - MIN_MATCH) as u32) << 16 | (dist - 1) as u32);
        }
        true
    }
}

/// How many leading bytes `a` and `b` (of equal length) share, eight at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut n = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let diff = u64::from_le_bytes(x.try_into().unwrap_or_default())
            ^ u64::from_le_bytes(y.try_into().unwrap_or_default());
        if diff != 0 {
            return n + (diff.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + a[n..]
        .iter()
        .zip(&b[n..])
        .take_while(|(x, y)| x == y)
        .count()
}

/// A symbol's code, extra bits and their count, for a length (3..=258).
fn length_code(len: usize) -> (usize, u32, u32) {
    let l = len - MIN_MATCH;
    if len == MAX_MATCH {
        (285, 0, 0)
    } else if l < 8 {
        (257 + l, 0, 0)
    } else {
        let b = l.ilog2();
        let e = b - 2;
        (
            257 + 4 * (b as usize - 1) + ((l >> e) & 3),
            (l & ((1 << e) - 1)) as u32,
            e,
        )
    }
}

/// The same for a distance (1..=32768).
fn dist_code(dist: usize) -> (usize, u32, u32) {
    let d = dist - 1;
    if d < 4 {
        (d, 0, 0)
    } else {
        let b = d.ilog2();
        let e = b - 1;
        (
            2 * b as usize + ((d >> e) & 1),
            (d & ((1 << e) - 1)) as u32,
            e,
        )
    }
}

fn split(token: u32) -> (usize, usize) {
    (
        ((token >> 16) & 0x1ff) as usize + MIN_MATCH,
        (token & 0xffff) as usize + 1,
    )
}

fn write_block(out: &mut BitWriter, tokens: &[u32], last: bool) {
    let mut lit_freq = [0u32; 286];
    let mut dist_freq = [0u32; 30];
    lit_freq[END_OF_BLOCK] = 1;
    for &t in tokens {
        if t & MATCH == 0 {
            lit_freq[t as usize] += 1;
        } else {
            let (len, dist) = split(t);
            lit_freq[length_code(len).0] += 1;
            dist_freq[dist_code(dist).0] += 1;
        }
    }
    let lit_len = code_lengths(&lit_freq, 15);
    let dist_len = code_lengths(&dist_freq, 15);
    let header = DynamicHeader::new(&lit_len, &dist_len);

    let fixed_lit = fixed_lit_lengths();
    let fixed_dist = FIXED_DIST_LENGTHS;
    let dynamic_bits = header.bits() + payload_bits(&lit_freq, &dist_freq, &lit_len, &dist_len);
    let fixed_bits = payload_bits(&lit_freq, &dist_freq, &fixed_lit, &fixed_dist);

    out.put(u32::from(last), 1);
    let (lit, dist) = if dynamic_bits < fixed_bits {
        out.put(2, 2);
        header.write(out);
        (lit_len, dist_len)
    } else {
        out.put(1, 2);
        (fixed_lit.to_vec(), fixed_dist.to_vec())
    };
    let lit_codes = canonical(&lit);
    let dist_codes = canonical(&dist);
    for &t in tokens {
        if t & MATCH == 0 {
            out.put(lit_codes[t as usize], lit[t as usize].into());
        } else {
            let (len, d) = split(t);
            let (sym, extra, n) = length_code(len);
            out.put(lit_codes[sym], lit[sym].into());
            out.put(extra, n);
            let (sym, extra, n) = dist_code(d);
            out.put(dist_codes[sym], dist[sym].into());
            out.put(extra, n);
        }
    }
    out.put(lit_codes[END_OF_BLOCK], lit[END_OF_BLOCK].into());
}

/// Bits the block's symbols take under the given code lengths.
fn payload_bits(lit_freq: &[u32], dist_freq: &[u32], lit: &[u8], dist: &[u8]) -> u64 {
    let mut bits = 0u64;
    for (s, &f) in lit_freq.iter().enumerate() {
        let extra = if s > 256 { length_extra(s) } else { 0 };
        bits += u64::from(f) * (u64::from(lit[s]) + extra);
    }
    for (s, &f) in dist_freq.iter().enumerate() {
        let extra = if s < 4 { 0 } else { (s as u64 / 2) - 1 };
        bits += u64::from(f) * (u64::from(dist[s]) + extra);
    }
    bits
}

fn length_extra(sym: usize) -> u64 {
    match sym {
        265..=284 => ((sym - 261) / 4) as u64,
        _ => 0,
    }
}

/// The code-length part of a dynamic block's header, run-length coded.
struct DynamicHeader {
    hlit: usize,
    hdist: usize,
    /// (symbol 0..=18, extra value) pairs.
    runs: Vec<(u8, u8)>,
    cl_len: Vec<u8>,
    hclen: usize,
}

impl DynamicHeader {
    fn new(lit: &[u8], dist: &[u8]) -> Self {
        let hlit = 257.max(lit.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1));
        let hdist = 1.max(dist.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1));
        let all: Vec<u8> = lit[..hlit].iter().chain(&dist[..hdist]).copied().collect();
        let runs = run_lengths(&all);
        let mut freq = [0u32; 19];
        for &(s, _) in &runs {
            freq[s as usize] += 1;
        }
        let cl_len = code_lengths(&freq, 7);
        let hclen = 4.max(
            CL_ORDER
                .iter()
                .rposition(|&s| cl_len[s] != 0)
                .map_or(0, |i| i + 1),
        );
        DynamicHeader {
            hlit,
            hdist,
            runs,
            cl_len,
            hclen,
        }
    }

    fn bits(&self) -> u64 {
        let mut bits = 5 + 5 + 4 + 3 * self.hclen as u64;
        for &(s, _) in &self.runs {
            bits += u64::from(self.cl_len[s as usize]) + run_extra_bits(s);
        }
        bits
    }

    fn write(&self, out: &mut BitWriter) {
        out.put((self.hlit - 257) as u32, 5);
        out.put((self.hdist - 1) as u32, 5);
        out.put((self.hclen - 4) as u32, 4);
        for &s in &CL_ORDER[..self.hclen] {
            out.put(self.cl_len[s].into(), 3);
        }
        let codes = canonical(&self.cl_len);
        for &(s, extra) in &self.runs {
            out.put(codes[s as usize], self.cl_len[s as usize].into());
            out.put(extra.into(), run_extra_bits(s) as u32);
        }
    }
}

/// Extra bits after a code-length symbol: the repeat count of 16, 17 and 18.
fn run_extra_bits(sym: u8) -> u64 {
    match sym {
        16 => 2,
        17 => 3,
        18 => 7,
        _ => 0,
    }
}

/// Code lengths as code-length symbols: 16 repeats the previous length 3–6
/// times, 17 and 18 write 3–10 and 11–138 zeros.
fn run_lengths(lengths: &[u8]) -> Vec<(u8, u8)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < lengths.len() {
        let l = lengths[i];
        let run = lengths[i..].iter().take_while(|&&x| x == l).count();
        let mut left = run;
        if l == 0 {
            while left >= 11 {
                let n = left.min(138);
                runs.push((18, (n - 11) as u8));
                left -= n;
            }
            if left >= 3 {
                runs.push((17, (left - 3) as u8));
                left = 0;
            }
        } else {
            runs.push((l, 0));
            left -= 1;
            while left >= 3 {
                let n = left.min(6);
                runs.push((16, (n - 3) as u8));
                left -= n;
            }
        }
        runs.extend(std::iter::repeat_n((l, 0), left));
        i += run;
    }
    runs
}

/// Huffman code lengths for `freq`, none longer than `limit`. A lone symbol gets
/// a partner so that every code is complete, which all inflaters accept.
fn code_lengths(freq: &[u32], limit: usize) -> Vec<u8> {
    let mut lengths = vec![0u8; freq.len()];
    let mut syms: Vec<(u32, usize)> = freq
        .iter()
        .enumerate()
        .filter(|(_, &f)| f > 0)
        .map(|(s, &f)| (f, s))
        .collect();
    match syms.len() {
        0 => {
            lengths[0] = 1;
            lengths[1] = 1;
            return lengths;
        }
        1 => {
            let other = usize::from(syms[0].1 == 0);
            lengths[syms[0].1] = 1;
            lengths[other] = 1;
            return lengths;
        }
        _ => {}
    }
    syms.sort_unstable();
    let mut depth: Vec<u32> = syms.iter().map(|&(f, _)| f).collect();
    minimum_redundancy(&mut depth);
    // Fold lengths over the limit into it, then lengthen the shortest codes
    // that can spare it until the code is complete again (as zlib does).
    let mut count = vec![0u32; limit + 1];
    for &d in &depth {
        count[(d as usize).min(limit)] += 1;
    }
    let mut kraft: u64 = (1..=limit)
        .map(|l| u64::from(count[l]) << (limit - l))
        .sum();
    while kraft > 1 << limit {
        count[limit] -= 1;
        if let Some(l) = (1..limit).rev().find(|&l| count[l] > 0) {
            count[l] -= 1;
            count[l + 1] += 2;
        }
        kraft -= 1;
    }
    // Longest codes to the rarest symbols (syms is sorted by rising frequency).
    let mut next = syms.iter();
    for l in (1..=limit).rev() {
        for (_, s) in next.by_ref().take(count[l] as usize) {
            lengths[*s] = l as u8;
        }
    }
    lengths
}

/// Moffat and Katajainen's in-place algorithm: `a` holds frequencies in rising
/// order (at least two) and receives the code length of each.
fn minimum_redundancy(a: &mut [u32]) {
    let n = a.len();
    a[0] += a[1];
    let (mut root, mut leaf) = (0, 2);
    for next in 1..n - 1 {
        if leaf >= n || a[root] < a[leaf] {
            a[next] = a[root];
            a[root] = next as u32;
            root += 1;
        } else {
            a[next] = a[leaf];
            leaf += 1;
        }
        if leaf >= n || (root < next && a[root] < a[leaf]) {
            a[next] += a[root];
            a[root] = next as u32;
            root += 1;
        } else {
            a[next] += a[leaf];
            leaf += 1;
        }
    }
    a[n - 2] = 0;
    for next in (0..n.saturating_sub(2)).rev() {
        a[next] = a[a[next] as usize] + 1;
    }
    let (mut avail, mut used, mut depth) = (1i64, 0i64, 0u32);
    let (mut root, mut next) = (n as i64 - 2, n as i64 - 1);
    while avail > 0 {
        while root >= 0 && a[root as usize] == depth {
            used += 1;
            root -= 1;
        }
        while avail > used {
            a[next as usize] = depth;
            next -= 1;
            avail -= 1;
        }
        avail = 2 * used;
        depth += 1;
        used = 0;
    }
}

/// Canonical codes for the lengths, bit-reversed: Deflate sends codes from the
/// most significant bit into a stream filled from the least significant.
fn canonical(lengths: &[u8]) -> Vec<u32> {
    let mut count = [0u32; 16];
    for &l in lengths {
        count[l as usize] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    for l in 1..16 {
        next[l] = (next[l - 1] + count[l - 1]) << 1;
    }
    lengths
        .iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let code = next[l as usize];
            next[l as usize] += 1;
            code.reverse_bits() >> (32 - u32::from(l))
        })
        .collect()
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, bits: u32, count: u32) {
        self.acc |= u64::from(bits) << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::{code_lengths, deflate};
    use flate2::read::DeflateDecoder;
    use std::io::Read;

    /// Checked against another inflater, so that a bug shared by our two halves
    /// cannot hide.
    fn round_trip(input: &[u8]) -> usize {
        let packed = deflate(input);
        let mut back = Vec::new();
        DeflateDecoder::new(&packed[..])
            .read_to_end(&mut back)
            .expect("inflates");
        assert_eq!(back, input);
        packed.len()
    }

    #[test]
    fn round_trips_edge_cases() {
        round_trip(b"");
        round_trip(b"a");
        round_trip(b"ab");
        round_trip(&[0u8; 100_000]);
        round_trip(&[7u8; 259]);
        let all: Vec<u8> = (0..=255).collect();
        round_trip(&all);
    }

    #[test]
    fn round_trips_pseudo_random_and_repetitive_data() {
        let mut x = 0x1234_5678u32;
        let mut noise = Vec::new();
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            noise.push(x as u8);
        }
        round_trip(&noise);
        // Few symbols, long blocks, matches at every distance up to the window.
        let small: Vec<u8> = noise.iter().map(|b| b % 3).collect();
        round_trip(&small);
        let mut text = Vec::new();
        for i in 0..20_000u32 {
            text.extend_from_slice(format!("line {} of {}; ", i % 97, i % 13).as_bytes());
        }
        let n = round_trip(&text);
        assert!(n < text.len() / 5, "{n} of {}", text.len());
    }

    #[test]
    fn lengths_are_limited_and_complete() {
        // Fibonacci frequencies force the deepest unlimited tree.
        let mut freq = vec![0u32; 30];
        let (mut a, mut b) = (1u32, 1u32);
        for f in freq.iter_mut() {
            *f = a;
            (a, b) = (b, a.saturating_add(b));
        }
        for limit in [7, 15] {
            let l = code_lengths(&freq, limit);
            assert!(l.iter().all(|&x| (1..=limit as u8).contains(&x)));
            let kraft: f64 = l.iter().map(|&x| 0.5f64.powi(x.into())).sum();
            assert!((kraft - 1.0).abs() < 1e-12, "kraft {kraft}");
        }
    }
}
