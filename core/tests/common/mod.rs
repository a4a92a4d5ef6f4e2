//! Helpers shared by the integration tests that forge payloads.

/// CRC-32 (IEEE), bit by bit: the tests do not trust the implementation they check.
pub fn crc(bytes: &[u8]) -> u32 {
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
