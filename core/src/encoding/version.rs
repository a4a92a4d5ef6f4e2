//! Version vectors on the wire: what a peer sends to say what it has, so that the
//! other side can answer with exactly what it lacks. No envelope: versions travel
//! inside protocol messages, which carry their own framing and checks.

use super::reader::Reader;
use super::writer::Writer;
use super::DecodeError;
use crate::clock::VersionVector;
use crate::ReplicaId;

/// Encodes a version: `uvarint n`, then n × (replica u64 LE, `uvarint` counter),
/// in replica order.
pub fn encode_version(v: &VersionVector) -> Vec<u8> {
    let mut w = Writer::new();
    w.uvarint(v.len() as u64);
    for (r, c) in v.iter() {
        w.u64_fixed(r.0);
        w.uvarint(c);
    }
    w.buf
}

/// Decodes what [`encode_version`] wrote (hostile input gives a typed error).
pub fn decode_version(bytes: &[u8]) -> Result<VersionVector, DecodeError> {
    let mut r = Reader::new(bytes);
    let n = r.count(9)?;
    let mut v = VersionVector::new();
    for _ in 0..n {
        let replica = ReplicaId(r.u64_fixed()?);
        let counter = r.uvarint()?;
        v.advance(replica, counter);
    }
    if r.remaining() != 0 {
        return Err(DecodeError::TrailingBytes(r.remaining()));
    }
    Ok(v)
}
