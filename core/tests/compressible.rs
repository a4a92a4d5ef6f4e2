//! Highly compressible documents must round-trip through every export: the text
//! block is deflated inside a deflated body, so its inflated size is far beyond
//! any fixed multiple of the payload's length, and the decoders' bounds must still
//! admit everything our own encoder produces. A forged length claim must still be
//! refused with a typed error before anything is allocated for it.

mod common;
use common::crc;

use weft_core::{Doc, ReplicaId, Value};

const SIZES: [usize; 2] = [100_000, 1_000_000];

/// Every export of `doc` imports into a fresh document with the same content.
fn round_trips(doc: &mut Doc, what: &str) {
    let expected = doc.to_value();
    let exports = [
        ("snapshot", doc.export_snapshot()),
        ("state", doc.export_state()),
        ("changes", doc.export_changes(&Default::default())),
    ];
    for (kind, bytes) in exports {
        let mut fresh = Doc::new(ReplicaId(2));
        fresh
            .import(&bytes)
            .unwrap_or_else(|e| panic!("{what}: {kind} of {} bytes: {e}", bytes.len()));
        assert_eq!(fresh.to_value(), expected, "{what}: {kind}");
    }
}

fn repeated_text(unit: &str, n: usize) {
    let mut doc = Doc::new(ReplicaId(1));
    let t = doc.text("t").unwrap();
    doc.text_insert(&t, 0, &unit.repeat(n / unit.len()))
        .unwrap();
    round_trips(&mut doc, &format!("text {unit:?} x {}", n / unit.len()));
}

#[test]
fn repetitive_text_round_trips() {
    for n in SIZES {
        repeated_text("a", n);
        repeated_text("lorem ipsum ", n);
    }
}

#[test]
fn repeated_list_values_round_trip() {
    for n in SIZES {
        let mut doc = Doc::new(ReplicaId(1));
        let l = doc.list("l").unwrap();
        // Ten thousand inserts, each of a long repeated string, then many small
        // repeated values: both the values column and the op columns repeat.
        let big = "a".repeat(n / 100);
        for i in 0..100 {
            doc.list_insert(&l, i, Value::Str(big.clone())).unwrap();
        }
        for i in 0..n / 100 {
            doc.list_insert(&l, 100 + i, Value::Int(7)).unwrap();
        }
        round_trips(&mut doc, &format!("list of {n}"));
    }
}

#[test]
fn many_repeated_map_keys_round_trip() {
    for n in SIZES {
        let mut doc = Doc::new(ReplicaId(1));
        let m = doc.map("m").unwrap();
        let prefix = "k".repeat(64);
        for i in 0..n / 100 {
            doc.map_set(&m, &format!("{prefix}{i}"), Value::Str("v".repeat(32)))
                .unwrap();
        }
        // And one key written over and over: history the state does not keep.
        for i in 0..n / 100 {
            doc.map_set(&m, "same", Value::Int(i as i64)).unwrap();
        }
        round_trips(&mut doc, &format!("map of {n}"));
    }
}

fn uvarint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A payload of the same kind as `like` whose body is a deflate block that
/// claims `claimed` inflated bytes for `packed`.
fn forge(like: &[u8], claimed: u64, packed: &[u8]) -> Vec<u8> {
    let mut block = vec![1u8];
    uvarint(&mut block, claimed);
    uvarint(&mut block, packed.len() as u64);
    block.extend_from_slice(packed);
    let mut out = like[..6].to_vec();
    out.extend_from_slice(&crc(&block).to_le_bytes());
    out.extend_from_slice(&block);
    out
}

#[test]
fn forged_inflated_length_is_refused() {
    let mut doc = Doc::new(ReplicaId(1));
    let like = doc.export_snapshot();
    // Stored deflate blocks of a few bytes claiming ever larger outputs: the
    // claims past what the stream could ever produce are refused up front (a
    // test process of this size could not allocate 2^60 bytes anyway).
    let packed = [0x01, 0x00, 0x00, 0xff, 0xff];
    for claimed in [1u64 << 20, 1 << 32, 1 << 60, u64::MAX >> 1] {
        let err = Doc::new(ReplicaId(2))
            .import(&forge(&like, claimed, &packed))
            .unwrap_err();
        assert_eq!(err.code(), "WEFT_DECODE", "claim of {claimed}");
    }
    // A real stream of all zeros, claimed a byte longer than it inflates to.
    let zeros = vec![0u8; 1 << 20];
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut enc, &zeros).unwrap();
    let packed = enc.finish().unwrap();
    let err = Doc::new(ReplicaId(2))
        .import(&forge(&like, zeros.len() as u64 + 1, &packed))
        .unwrap_err();
    assert_eq!(err.code(), "WEFT_DECODE");
}
