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
/// Deflate cannot expand input by more than about 1032:1.
const MAX_RATIO: usize = 1032;
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
    w.u8(RAW);
    w.bytes(text.as_bytes());
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

/// Reads what `write_bytes` wrote.
pub(crate) fn read_bytes<'a>(
    r: &mut Reader<'a>,
) -> Result<std::borrow::Cow<'a, [u8]>, DecodeError> {
    let offset = r.offset();
    match r.u8()? {
        RAW => Ok(std::borrow::Cow::Borrowed(r.bytes()?)),
        DEFLATE => {
            let claimed = r.uvarint()?;
            let packed = r.bytes()?;
            let limit = packed.len().saturating_mul(MAX_RATIO);
            if claimed > limit as u64 {
                return Err(DecodeError::TooLarge { limit });
            }
            let raw = inflate(packed, claimed as usize).ok_or(DecodeError::Corrupt {
                offset,
                what: "compressed text does not inflate to its stated length",
            })?;
            Ok(std::borrow::Cow::Owned(raw))
        }
        tag => Err(DecodeError::UnknownTag { tag, offset }),
    }
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
        tag => Err(DecodeError::UnknownTag { tag, offset }),
    }
}
