//! Reads primitives from untrusted bytes; every read is bounds-checked.

use super::DecodeError;

#[derive(Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) const fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or(DecodeError::UnexpectedEnd { offset: self.pos })?;
        self.pos += 1;
        Ok(b)
    }

    /// The next byte, left unread.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(DecodeError::UnexpectedEnd {
                offset: self.bytes.len(),
            });
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    // Inlined natively. In the WebAssembly build only the callers built for
    // speed take the hint (size-built ones never do) and keep the one-byte
    // test in place: a call returning a `Result` through memory cost the
    // snapshot import's span columns about 53 instructions a value. The
    // automerge-paper import's module instructions fell 7.7% for +427 B
    // gzipped (branch `wasmimport2`, docs/benchmarks.md).
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    #[cfg_attr(weft_wasm_speed, inline)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(crate) fn uvarint(&mut self) -> Result<u64, DecodeError> {
        // One byte: most lengths, deltas and indices.
        if let Some(&b) = self.bytes.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(u64::from(b));
            }
        }
        self.uvarint_slow()
    }

    // Out of line where `uvarint` is inlined into speed-built callers. The
    // bytes are read in place, not through `u8` and a `step_by` range: in the
    // size-built WebAssembly module each byte was a call returning its
    // `Result` through memory, about 125 instructions a two- or three-byte
    // value, 2.5 M of a concurrent merge's import (the origins' and the
    // counters' deltas; branch `wasmmerge11`, docs/benchmarks.md).
    #[cfg_attr(weft_wasm_speed, inline(never))]
    fn uvarint_slow(&mut self) -> Result<u64, DecodeError> {
        let start = self.pos;
        let mut out: u64 = 0;
        let mut shift = 0;
        while let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            let bits = u64::from(b & 0x7f);
            // The tenth byte may hold only the top bit.
            if shift == 63 && bits > 1 {
                return Err(DecodeError::BadVarint { offset: start });
            }
            out |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(out);
            }
            shift += 7;
            if shift > 63 {
                return Err(DecodeError::BadVarint { offset: start });
            }
        }
        Err(DecodeError::UnexpectedEnd { offset: self.pos })
    }

    /// Inlined natively only: the WebAssembly build is optimised for size.
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub(crate) fn ivarint(&mut self) -> Result<i64, DecodeError> {
        let u = self.uvarint()?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    /// A count of items that each take at least `min_item_bytes` of input; counts
    /// the input cannot hold are refused before anything is allocated for them.
    pub(crate) fn count(&mut self, min_item_bytes: usize) -> Result<usize, DecodeError> {
        let offset = self.pos;
        let claimed = self.uvarint()?;
        let max = (self.remaining() / min_item_bytes.max(1)) as u64;
        if claimed > max {
            return Err(DecodeError::LengthTooLarge { claimed, offset });
        }
        Ok(claimed as usize)
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.count(1)?;
        self.take(n)
    }

    pub(crate) fn str(&mut self) -> Result<&'a str, DecodeError> {
        let offset = self.pos;
        let b = self.bytes()?;
        std::str::from_utf8(b).map_err(|_| DecodeError::BadUtf8 { offset })
    }

    pub(crate) fn f64(&mut self) -> Result<f64, DecodeError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    pub(crate) fn u64_fixed(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
}

#[cfg(test)]
mod tests {
    use super::super::writer::Writer;
    use super::*;

    fn read(bytes: &[u8]) -> (Result<u64, DecodeError>, usize) {
        let mut r = Reader::new(bytes);
        let v = r.uvarint();
        (v, r.offset())
    }

    #[test]
    fn uvarints_read_back_what_the_writer_wrote() {
        let mut values = vec![0, 1, 0x7f, 0x80, 0x3fff, 0x4000, u64::MAX, u64::MAX - 1];
        values.extend((0..64).map(|s| 1u64 << s));
        values.extend((1..64).map(|s| (1u64 << s) - 1));
        for v in values {
            let mut w = Writer::new();
            w.uvarint(v);
            w.u8(0xaa);
            let mut r = Reader::new(&w.buf);
            assert_eq!(r.uvarint().unwrap(), v);
            assert_eq!(r.u8().unwrap(), 0xaa, "{v} read past its own bytes");
        }
    }

    #[test]
    fn bad_and_truncated_uvarints_are_refused() {
        // The tenth byte may carry only bit 63.
        let mut ten = [0xff; 10];
        ten[9] = 0x01;
        assert_eq!(read(&ten), (Ok(u64::MAX), 10));
        ten[9] = 0x02;
        assert_eq!(read(&ten).0, Err(DecodeError::BadVarint { offset: 0 }));
        // Eleven bytes: too long even when the tenth is zero but continues.
        let mut eleven = [0x80; 11];
        eleven[10] = 0;
        assert_eq!(read(&eleven).0, Err(DecodeError::BadVarint { offset: 0 }));
        // Cut off after a continuation byte: the offset is where it ran out.
        assert_eq!(
            read(&[0x80, 0x80]).0,
            Err(DecodeError::UnexpectedEnd { offset: 2 })
        );
        assert_eq!(read(&[]).0, Err(DecodeError::UnexpectedEnd { offset: 0 }));
        // Not from the start: the error names the varint's own start.
        let mut r = Reader::new(&[
            5, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f,
        ]);
        assert_eq!(r.u8().unwrap(), 5);
        assert_eq!(r.uvarint(), Err(DecodeError::BadVarint { offset: 1 }));
    }
}
