use thiserror::Error;

/// Why bytes could not be decoded. The document they were imported into is left
/// unchanged.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes do not start with Weft's magic number.
    #[error("not Weft data: the bytes do not start with the magic number \"WEFT\"")]
    BadMagic,
    /// The bytes were written by a newer, unknown format version.
    #[error("unsupported encoding version {0}: upgrade Weft to read these bytes")]
    UnsupportedVersion(u8),
    /// The bytes hold a kind of payload this decoder does not accept here.
    #[error("unexpected payload kind {0}: pass these bytes to the matching import call")]
    UnexpectedKind(u8),
    /// The input ended in the middle of a value: it was truncated in transit.
    #[error("input ended early at byte {offset}: the data was truncated")]
    UnexpectedEnd {
        /// Where the input ran out.
        offset: usize,
    },
    /// A varint was longer than 64 bits allow.
    #[error("malformed varint at byte {offset}: the data is corrupt")]
    BadVarint {
        /// Where the varint starts.
        offset: usize,
    },
    /// A string was not valid UTF-8.
    #[error("invalid UTF-8 in a string at byte {offset}: the data is corrupt")]
    BadUtf8 {
        /// Where the string starts.
        offset: usize,
    },
    /// A tag byte named no known variant.
    #[error("unknown tag {tag} at byte {offset}: the data is corrupt or from a newer Weft")]
    UnknownTag {
        /// The tag found.
        tag: u8,
        /// Where it was found.
        offset: usize,
    },
    /// A length or count claims more than the input could possibly hold.
    #[error("a length of {claimed} at byte {offset} exceeds the input: the data is corrupt")]
    LengthTooLarge {
        /// The claimed length.
        claimed: u64,
        /// Where it was found.
        offset: usize,
    },
    /// Values nested deeper than the decoder allows.
    #[error("values nested deeper than {0} levels: refusing to decode")]
    TooDeep(usize),
    /// The checksum does not match the bytes.
    #[error("checksum mismatch (stored {stored:08x}, computed {computed:08x}): the data was corrupted in transit or storage")]
    ChecksumMismatch {
        /// The checksum in the header.
        stored: u32,
        /// The checksum of the bytes received.
        computed: u32,
    },
    /// The bytes are well-formed but describe something impossible.
    #[error("corrupt data at byte {offset}: {what}")]
    Corrupt {
        /// Where (within the section being read).
        offset: usize,
        /// What is wrong.
        what: &'static str,
    },
    /// Decompressing would exceed the bound derived from the input length.
    #[error("compressed section expands beyond {limit} bytes: refusing to decode")]
    TooLarge {
        /// The bound.
        limit: usize,
    },
    /// Bytes were left over after the payload.
    #[error("{0} unexpected bytes after the end of the payload: the data is corrupt")]
    TrailingBytes(usize),
}
