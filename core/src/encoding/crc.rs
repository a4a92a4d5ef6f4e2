//! CRC-32 (IEEE 802.3, reflected), the checksum of every payload's body.
//!
//! Natively by `crc32fast` (carry-less multiplication where the CPU has it:
//! the checksum of an 89 KB snapshot fell from about 218,000 instructions to
//! about 41,000, branch `import13` in docs/benchmarks.md). The WebAssembly
//! build keeps the hand-written slicing-by-16 below, so that it carries no
//! lookup tables: they are computed on first use into memory that starts
//! zeroed, where a table baked into the binary costs 16 KB of incompressible
//! bytes, a seventh of the gzipped module's budget. The native tests check
//! both against the bitwise definition.

#[cfg(target_arch = "wasm32")]
use std::sync::OnceLock;

#[cfg(any(test, target_arch = "wasm32"))]
const POLY: u32 = 0xEDB8_8320;
/// Bytes consumed per step; sixteen tables of 256 words (16 KB at run time).
/// Sixteen rather than eight: a state-only snapshot is mostly raw text, so its
/// checksum covers about twice the bytes, and this step takes a third fewer
/// instructions per byte.
#[cfg(any(test, target_arch = "wasm32"))]
const SLICE: usize = 16;

#[cfg(any(test, target_arch = "wasm32"))]
type Tables = [[u32; 256]; SLICE];

/// The tables: natively (for the tests) computed by the compiler; in the
/// WebAssembly build on first use, as said above.
#[cfg(all(test, not(target_arch = "wasm32")))]
fn tables() -> &'static Tables {
    static TABLES: Tables = {
        let mut t = [[0u32; 256]; SLICE];
        fill(&mut t);
        t
    };
    &TABLES
}

#[cfg(target_arch = "wasm32")]
fn tables() -> &'static Tables {
    static TABLES: OnceLock<Box<Tables>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; SLICE]);
        fill(&mut t);
        t
    })
}

/// Fills zeroed tables: table 0 advances a byte, table k a byte followed by
/// k zero bytes.
#[cfg(any(test, target_arch = "wasm32"))]
const fn fill(t: &mut Tables) {
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ POLY } else { c >> 1 };
            bit += 1;
        }
        t[0][n] = c;
        n += 1;
    }
    let mut k = 1;
    while k < SLICE {
        let mut n = 0;
        while n < 256 {
            let prev = t[k - 1][n];
            t[k][n] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            n += 1;
        }
        k += 1;
    }
}

/// The CRC-32 of `bytes`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// The CRC-32 of `bytes`.
#[cfg(target_arch = "wasm32")]
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    sliced(bytes)
}

/// The CRC-32 of `bytes`, sixteen bytes a step through the tables (the
/// WebAssembly build's; natively compiled for the tests only).
#[cfg(any(test, target_arch = "wasm32"))]
fn sliced(bytes: &[u8]) -> u32 {
    let t = tables();
    let mut c = !0u32;
    let mut chunks = bytes.chunks_exact(SLICE);
    for b in &mut chunks {
        let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        c = t[15][(lo & 0xff) as usize]
            ^ t[14][((lo >> 8) & 0xff) as usize]
            ^ t[13][((lo >> 16) & 0xff) as usize]
            ^ t[12][(lo >> 24) as usize]
            ^ t[11][b[4] as usize]
            ^ t[10][b[5] as usize]
            ^ t[9][b[6] as usize]
            ^ t[8][b[7] as usize]
            ^ t[7][b[8] as usize]
            ^ t[6][b[9] as usize]
            ^ t[5][b[10] as usize]
            ^ t[4][b[11] as usize]
            ^ t[3][b[12] as usize]
            ^ t[2][b[13] as usize]
            ^ t[1][b[14] as usize]
            ^ t[0][b[15] as usize];
    }
    for &b in chunks.remainder() {
        c = (c >> 8) ^ t[0][((c ^ u32::from(b)) & 0xff) as usize];
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::{crc32, sliced};

    /// Bit-at-a-time reference: the definition, with no tables to get wrong.
    fn reference(bytes: &[u8]) -> u32 {
        let mut c = !0u32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn known_check_values() {
        // Both ways: the build's own (`crc32fast` natively) and the tables'
        // (the WebAssembly build's).
        for f in [crc32, sliced] {
            assert_eq!(f(b""), 0);
            assert_eq!(f(b"123456789"), 0xCBF4_3926);
            assert_eq!(
                f(b"The quick brown fox jumps over the lazy dog"),
                0x414F_A339
            );
        }
    }

    #[test]
    fn matches_the_bitwise_definition_at_every_length_and_alignment() {
        let data: Vec<u8> = (0..300u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for start in 0..9 {
            for end in start..data.len() {
                let want = reference(&data[start..end]);
                assert_eq!(crc32(&data[start..end]), want);
                assert_eq!(sliced(&data[start..end]), want);
            }
        }
    }

    /// Inputs long enough for the native build's wide path (folded 64 bytes
    /// at a time where the CPU has carry-less multiplication), at lengths
    /// and alignments around its steps.
    #[test]
    fn long_inputs_agree_with_the_tables_and_the_definition() {
        let data: Vec<u8> = (0..9_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8)
            .collect();
        for start in [0, 1, 7, 8, 15] {
            for len in [
                63, 64, 65, 127, 128, 129, 255, 256, 257, 1_000, 4_096, 4_099, 8_191,
            ] {
                let bytes = &data[start..start + len];
                let want = sliced(bytes);
                assert_eq!(crc32(bytes), want, "start {start}, length {len}");
                if len < 300 {
                    assert_eq!(reference(bytes), want);
                }
            }
        }
        assert_eq!(crc32(&data), reference(&data));
    }
}
