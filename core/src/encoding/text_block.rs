//! Text content, stored once per payload and deflated when that pays: prose
//! compresses to about a third, which is most of the way to an encoded document
//! close to the size of its text.

use super::deflate::deflate;
use super::inflate::inflate;
use super::reader::Reader;
use super::writer::Writer;
use super::DecodeError;

const RAW: u8 = 0;
const DEFLATE: u8 = 1;
/// A deflated head followed by raw bytes.
const SPLIT: u8 = 2;
/// A state text whose bytes are held in the payload's text block, after the body.
const HELD: u8 = 3;
/// Deflate cannot expand input by more than about 1032:1.
pub(crate) const MAX_RATIO: usize = 1032;
/// Below this, compression costs more than it saves.
const MIN_TO_COMPRESS: usize = 64;

pub(crate) fn write(w: &mut Writer, text: &str) {
    write_bytes(w, text.as_bytes());
}

/// Writes bytes raw or deflated, whichever is smaller.
pub(crate) fn write_bytes(w: &mut Writer, bytes: &[u8]) {
    if bytes.len() >= MIN_TO_COMPRESS {
        let packed = deflate(bytes);
        if packed.len() + 4 < bytes.len() {
            w.u8(DEFLATE);
            w.uvarint(bytes.len() as u64);
            w.bytes(&packed);
            return;
        }
    }
    w.u8(RAW);
    w.bytes(bytes);
}

/// Writes text uncompressed: for text inside a body that is deflated as a
/// whole, where deflating it again would only make loading inflate it twice.
pub(crate) fn write_raw(w: &mut Writer, text: &str) {
    write_raw_bytes(w, text.as_bytes());
}

/// Writes bytes uncompressed, whatever deflate would save.
pub(crate) fn write_raw_bytes(w: &mut Writer, bytes: &[u8]) {
    w.u8(RAW);
    w.bytes(bytes);
}

/// Writes a state section's text: held out of the body when the writer holds
/// text (a state-only snapshot, where raw text is what loads fastest and the
/// columns around it still deflate), else raw inside it.
pub(crate) fn write_state_text(w: &mut Writer, text: &str) {
    match w.held.as_mut() {
        Some(held) => {
            held.extend_from_slice(text.as_bytes());
            w.u8(HELD);
            w.uvarint(text.len() as u64);
        }
        None => write_raw(w, text),
    }
}

/// Reads what `write_state_text` wrote; `held` is the payload's text block,
/// when it has one (only a state-only snapshot does).
pub(crate) fn read_state_text<'a>(
    r: &mut Reader<'a>,
    held: Option<&mut Reader<'a>>,
) -> Result<std::borrow::Cow<'a, str>, DecodeError> {
    let offset = r.offset();
    if r.peek() != Some(HELD) {
        return read_str(r);
    }
    let Some(held) = held else {
        return Err(DecodeError::UnknownTag { tag: HELD, offset });
    };
    r.u8()?;
    let len = usize::try_from(r.uvarint()?).map_err(|_| DecodeError::Corrupt {
        offset,
        what: "held text longer than the text block",
    })?;
    let start = held.offset();
    let bytes = held.take(len)?;
    std::str::from_utf8(bytes)
        .map(std::borrow::Cow::Borrowed)
        .map_err(|_| DecodeError::BadUtf8 { offset: start })
}

pub(crate) fn read(r: &mut Reader<'_>) -> Result<String, DecodeError> {
    read_str(r).map(std::borrow::Cow::into_owned)
}

/// Like [`read`], borrowing raw text from the input instead of copying it.
pub(crate) fn read_str<'a>(r: &mut Reader<'a>) -> Result<std::borrow::Cow<'a, str>, DecodeError> {
    let offset = r.offset();
    let bad = |_| DecodeError::BadUtf8 { offset };
    Ok(match read_bytes(r)? {
        std::borrow::Cow::Borrowed(b) => {
            std::borrow::Cow::Borrowed(std::str::from_utf8(b).map_err(bad)?)
        }
        std::borrow::Cow::Owned(v) => std::borrow::Cow::Owned(
            String::from_utf8(v).map_err(|_| DecodeError::BadUtf8 { offset })?,
        ),
    })
}

/// Inflates `packed` to exactly the `claimed` length, refusing a claim beyond
/// what deflate can expand that many bytes to before allocating for it.
/// `more`: room to leave after it (a split block's raw rest, which the caller
/// appends: growing the buffer then would copy the head).
#[cfg_attr(weft_wasm_speed, optimize(speed))]
fn inflate_stated(
    claimed: u64,
    packed: &[u8],
    offset: usize,
    what: &'static str,
    more: usize,
) -> Result<Vec<u8>, DecodeError> {
    let limit = packed.len().saturating_mul(MAX_RATIO);
    if claimed > limit as u64 {
        return Err(DecodeError::TooLarge { limit });
    }
    inflate(packed, claimed as usize, more).ok_or(DecodeError::Corrupt { offset, what })
}

/// Reads what `write_bytes` wrote.
#[cfg_attr(weft_wasm_speed, optimize(speed))]
pub(crate) fn read_bytes<'a>(
    r: &mut Reader<'a>,
) -> Result<std::borrow::Cow<'a, [u8]>, DecodeError> {
    let offset = r.offset();
    match r.u8()? {
        RAW => Ok(std::borrow::Cow::Borrowed(r.bytes()?)),
        DEFLATE => {
            let claimed = r.uvarint()?;
            let packed = r.bytes()?;
            let raw = inflate_stated(
                claimed,
                packed,
                offset,
                "compressed text does not inflate to its stated length",
                0,
            )?;
            Ok(std::borrow::Cow::Owned(raw))
        }
        SPLIT => {
            let claimed = r.uvarint()?;
            let packed = r.bytes()?;
            let rest = r.bytes()?;
            let mut out = inflate_stated(
                claimed,
                packed,
                offset,
                "compressed head does not inflate to its stated length",
                rest.len(),
            )?;
            out.extend_from_slice(rest);
            Ok(std::borrow::Cow::Owned(out))
        }
        tag => Err(DecodeError::UnknownTag { tag, offset }),
    }
}

/// `bytes` deflated whole, when they are long enough to try.
pub(crate) fn deflated(bytes: &[u8]) -> Option<Vec<u8>> {
    (bytes.len() >= MIN_TO_COMPRESS).then(|| deflate(bytes))
}

/// The length of the smallest block of `n` bytes that deflate to `whole`.
pub(crate) fn smallest_len(n: usize, whole: Option<&[u8]>) -> usize {
    let raw = 1 + varint_len(n) + n;
    whole.map_or(raw, |p| {
        raw.min(1 + varint_len(n) + varint_len(p.len()) + p.len())
    })
}

/// Writes `bytes` (which deflate to `whole`) in at most `room` bytes of block
/// if it can: raw if that fits, else deflating as short a head as makes the
/// rest fit raw, else deflated whole. Raw bytes load for the cost of a copy,
/// deflated ones cost an inflate: this spends the room on loading speed.
pub(crate) fn write_within(w: &mut Writer, bytes: &[u8], room: usize, whole: Option<&[u8]>) {
    let n = bytes.len();
    let raw_len = 1 + varint_len(n) + n;
    if raw_len <= room {
        return write_raw_bytes(w, bytes);
    }
    let smallest = smallest_len(n, whole);
    let Some(whole) = whole.filter(|_| smallest < raw_len) else {
        return write_raw_bytes(w, bytes);
    };
    if smallest > room {
        w.u8(DEFLATE);
        w.uvarint(n as u64);
        w.bytes(whole);
        return;
    }
    // Deflating a head of length h saves about h × (1 − ratio) bytes; start
    // from that estimate and lengthen the head until the block fits.
    let saved_per_byte = 1.0 - whole.len() as f64 / n as f64;
    let excess = (1 + 3 * varint_len(n) + n).saturating_sub(room) as f64;
    let mut head = ((excess / saved_per_byte) * 1.02) as usize + 64;
    while head < n {
        let packed = deflate(&bytes[..head]);
        let rest = &bytes[head..];
        let len = 1
            + varint_len(head)
            + varint_len(packed.len())
            + packed.len()
            + varint_len(rest.len())
            + rest.len();
        if len <= room {
            w.u8(SPLIT);
            w.uvarint(head as u64);
            w.bytes(&packed);
            w.bytes(rest);
            return;
        }
        head += n / 32 + 1;
    }
    w.u8(DEFLATE);
    w.uvarint(n as u64);
    w.bytes(whole);
}

/// Bytes of `n` as a uvarint.
fn varint_len(n: usize) -> usize {
    let mut len = 1;
    let mut v = n >> 7;
    while v > 0 {
        len += 1;
        v >>= 7;
    }
    len
}

/// Steps over what `write_bytes` wrote without inflating it.
pub(crate) fn skip(r: &mut Reader<'_>) -> Result<(), DecodeError> {
    let offset = r.offset();
    match r.u8()? {
        RAW => r.bytes().map(|_| ()),
        DEFLATE => {
            r.uvarint()?;
            r.bytes().map(|_| ())
        }
        SPLIT => {
            r.uvarint()?;
            r.bytes()?;
            r.bytes().map(|_| ())
        }
        tag => Err(DecodeError::UnknownTag { tag, offset }),
    }
}

#[cfg(test)]
mod tests {
    use super::{deflated, read_bytes, write_within, Reader, Writer, DEFLATE, RAW, SPLIT};

    /// Prose-like bytes that deflate to about a third.
    fn prose(n: usize) -> Vec<u8> {
        let words = [
            "the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dogs ",
        ];
        let mut s = 0x9e37_79b9u32;
        let mut out = Vec::new();
        while out.len() < n {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            out.extend_from_slice(words[(s % 8) as usize].as_bytes());
        }
        out.truncate(n);
        out
    }

    fn written(bytes: &[u8], room: usize) -> Vec<u8> {
        let mut w = Writer::new();
        write_within(&mut w, bytes, room, deflated(bytes).as_deref());
        let mut r = Reader::new(&w.buf);
        assert_eq!(read_bytes(&mut r).unwrap().as_ref(), bytes);
        assert_eq!(r.remaining(), 0);
        w.buf
    }

    #[test]
    fn spends_the_room_on_raw_bytes() {
        let text = prose(20_000);
        // Room for it all: raw.
        let raw = written(&text, 20_010);
        assert_eq!(raw[0], RAW);
        // Room for a part: a deflated head, the rest raw, within the room.
        let split = written(&text, 15_000);
        assert_eq!(split[0], SPLIT);
        assert!(split.len() <= 15_000, "{}", split.len());
        assert!(split.len() > 13_000, "room left unused: {}", split.len());
        // Too little room even for deflate: the smallest form.
        let whole = written(&text, 100);
        assert_eq!(whole[0], DEFLATE);
        // Short input is never compressed.
        assert_eq!(written(b"abc", 0)[0], RAW);
    }

    #[test]
    fn split_blocks_refuse_forged_lengths() {
        let text = prose(5_000);
        let split = written(&text, 4_000);
        assert_eq!(split[0], SPLIT);
        // The head's stated length one more than it inflates to.
        let mut r = Reader::new(&split[1..]);
        let head = r.uvarint().unwrap();
        let mut forged = vec![SPLIT];
        let mut w = Writer::new();
        w.uvarint(head + 1);
        forged.extend_from_slice(&w.buf);
        forged.extend_from_slice(&split[1 + r.offset()..]);
        assert!(read_bytes(&mut Reader::new(&forged)).is_err());
        // Every truncation fails cleanly.
        for len in 0..split.len() {
            assert!(read_bytes(&mut Reader::new(&split[..len])).is_err());
        }
    }
}
