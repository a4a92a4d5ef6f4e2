//! The first slice of the API, as every binding exposes it.

mod common;
use common::crc;
use weft_core::{DecodeError, Doc, ImportError, ReplicaId, Value};

fn sample() -> Doc {
    let mut d = Doc::new(ReplicaId(7));
    d.set("title", Value::from("Groceries"));
    d.set("count", Value::Int(-3));
    d.set("ratio", Value::Float(0.5));
    d.set(
        "tags",
        Value::Array(vec![Value::from("a"), Value::Null, Value::Bool(true)]),
    );
    d.set("raw", Value::Bytes(vec![0, 255, 7]));
    d
}

#[test]
fn set_get_export_import_round_trip() {
    let mut a = sample();
    let mut b = Doc::new(ReplicaId(8));
    b.import(&a.export_snapshot()).unwrap();
    for key in a.keys() {
        assert_eq!(a.get(key), b.get(key), "field {key}");
    }
    assert_eq!(b.keys().count(), 5);
    assert_eq!(b.get("title"), Some(&Value::from("Groceries")));
}

#[test]
fn later_local_write_wins_after_import() {
    let mut a = sample();
    let mut b = Doc::new(ReplicaId(8));
    b.import(&a.export_snapshot()).unwrap();
    b.set("title", Value::from("Hardware"));
    let mut a2 = a.clone();
    // Merging a snapshot into a document with content goes through its changes.
    a2.import(&b.export_snapshot()).unwrap();
    assert_eq!(a2.get("title"), Some(&Value::from("Hardware")));
}

#[test]
fn every_truncation_is_a_typed_error_and_changes_nothing() {
    let bytes = sample().export_snapshot();
    for len in 0..bytes.len() {
        let mut d = Doc::new(ReplicaId(1));
        d.set("keep", Value::Int(1));
        assert!(
            d.import(&bytes[..len]).is_err(),
            "prefix of {len} bytes accepted"
        );
        assert_eq!(d.keys().collect::<Vec<_>>(), vec!["keep"]);
    }
}

#[test]
fn corrupt_headers_are_refused() {
    let mut d = Doc::new(ReplicaId(1));
    let decode = |e| Err(ImportError::Decode(e));
    assert_eq!(d.import(b"NOPE\x01\x01\x00"), decode(DecodeError::BadMagic));
    assert_eq!(
        d.import(b"WEFT\x09\x01\x00"),
        decode(DecodeError::UnsupportedVersion(9))
    );
    // A count far larger than the input is refused before allocating for it.
    // A raw body block that claims 4 GiB.
    let body = b"\x00\xff\xff\xff\xff\x0f";
    let mut huge = b"WEFT\x01\x01".to_vec();
    huge.extend_from_slice(&crc(body).to_le_bytes());
    huge.extend_from_slice(body);
    assert!(matches!(
        d.import(&huge),
        Err(ImportError::Decode(DecodeError::LengthTooLarge { .. }))
    ));
    // A flipped bit anywhere in the body is caught by the checksum.
    let mut bytes = sample().export_snapshot();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    assert!(matches!(
        d.import(&bytes),
        Err(ImportError::Decode(DecodeError::ChecksumMismatch { .. }))
    ));
}

#[test]
fn javascript_numbers_map_to_values_the_same_way_in_every_binding() {
    assert_eq!(Value::from_js_number(3.0), Value::Int(3));
    assert_eq!(Value::from_js_number(-7.0), Value::Int(-7));
    assert_eq!(Value::from_js_number(0.5), Value::Float(0.5));
    // -0 and integers beyond 2^53 - 1 keep their float identity.
    assert!(matches!(Value::from_js_number(-0.0), Value::Float(f) if f.is_sign_negative()));
    assert_eq!(
        Value::from_js_number(9_007_199_254_740_992.0),
        Value::Float(9_007_199_254_740_992.0)
    );
    assert!(Value::is_js_safe_int(9_007_199_254_740_991));
    assert!(Value::is_js_safe_int(-9_007_199_254_740_991));
    assert!(!Value::is_js_safe_int(9_007_199_254_740_992));
    assert!(!Value::is_js_safe_int(i64::MIN));
}

#[test]
fn import_errors_carry_stable_codes() {
    let mut d = Doc::new(ReplicaId(1));
    assert_eq!(d.import(b"garbage").unwrap_err().code(), "WEFT_DECODE");
}
