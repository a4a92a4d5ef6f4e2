//! Appends primitives to a byte buffer.

#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
    /// Text held out of the body (a state-only snapshot's text block), when
    /// `Some`: see `text_block::write_state_text`.
    pub(crate) held: Option<Vec<u8>>,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// Unsigned LEB128.
    #[inline]
    pub(crate) fn uvarint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    /// Signed values zig-zag encoded, then LEB128.
    #[inline]
    pub(crate) fn ivarint(&mut self, v: i64) {
        self.uvarint(((v << 1) ^ (v >> 63)) as u64);
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.uvarint(b.len() as u64);
        self.buf.extend_from_slice(b);
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub(crate) fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64_fixed(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
}
