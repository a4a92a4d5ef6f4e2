//! Every payload: magic, format version, kind, CRC-32 of the body, body.

use super::crc::crc32;
use super::reader::Reader;
use super::DecodeError;

pub(crate) const MAGIC: &[u8; 4] = b"WEFT";
pub(crate) const FORMAT_VERSION: u8 = 1;
pub(crate) const HEADER_LEN: usize = 4 + 1 + 1 + 4;

/// What a payload holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadKind {
    /// Changes (an update): apply to any document.
    Changes,
    /// A whole document with its history.
    Snapshot,
    /// A whole document's state without history (loads only into an empty one).
    State,
}

impl PayloadKind {
    pub(crate) fn tag(self) -> u8 {
        match self {
            PayloadKind::Changes => 1,
            PayloadKind::Snapshot => 2,
            PayloadKind::State => 3,
        }
    }

    fn from_tag(tag: u8) -> Option<Self> {
        Some(match tag {
            1 => PayloadKind::Changes,
            2 => PayloadKind::Snapshot,
            3 => PayloadKind::State,
            _ => return None,
        })
    }
}

pub(crate) fn seal(kind: PayloadKind, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.push(kind.tag());
    out.extend_from_slice(&crc32(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The kind a payload's header names, its checksum not checked: for choosing
/// a decoder, which then checks the checksum itself. Checking it here as well
/// computed it twice per import: 5% of loading a state-only snapshot.
pub(crate) fn peek_kind(bytes: &[u8]) -> Result<PayloadKind, DecodeError> {
    header(&mut Reader::new(bytes))
}

fn header(r: &mut Reader<'_>) -> Result<PayloadKind, DecodeError> {
    if r.take(MAGIC.len()).map_err(|_| DecodeError::BadMagic)? != MAGIC {
        return Err(DecodeError::BadMagic);
    }
    let version = r.u8()?;
    if version != FORMAT_VERSION {
        return Err(DecodeError::UnsupportedVersion(version));
    }
    let tag = r.u8()?;
    PayloadKind::from_tag(tag).ok_or(DecodeError::UnexpectedKind(tag))
}

/// Checks the header and checksum; returns the kind and the body.
pub(crate) fn open(bytes: &[u8]) -> Result<(PayloadKind, &[u8]), DecodeError> {
    let mut r = Reader::new(bytes);
    let kind = header(&mut r)?;
    let stored = u32::from_le_bytes(
        r.take(4)?
            .try_into()
            .map_err(|_| DecodeError::UnexpectedEnd { offset: 6 })?,
    );
    let body = r.take(r.remaining())?;
    let computed = crc32(body);
    if stored != computed {
        return Err(DecodeError::ChecksumMismatch { stored, computed });
    }
    Ok((kind, body))
}
