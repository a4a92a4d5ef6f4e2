//! What the fuzz targets check, shared with the regression tests.
//!
//! Every check panics when the core breaks a promise: a decoder that panics or
//! allocates without bound (libFuzzer's limits catch that), an import that fails
//! part-way and leaves the document changed, or replicas that saw the same ops and
//! disagree.

mod ops;
mod undo;

pub use ops::check_ops;
pub use undo::{check_cursor, check_undo};

use weft_core::encoding::decode_changes;
use weft_core::{Doc, ReplicaId, Value};

/// Wraps `body` in a valid envelope (magic, version, kind, CRC-32), so the fuzzer
/// explores the body decoders instead of failing the checksum.
pub fn seal(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(10 + body.len());
    out.extend_from_slice(b"WEFT");
    out.push(1);
    out.push(kind);
    out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The raw input and, when it is long enough, its tail sealed with the kind its
/// first byte picks.
fn inputs(data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![data.to_vec()];
    if let Some((&first, rest)) = data.split_first() {
        out.push(seal(1 + first % 3, rest));
    }
    out
}

/// Decoding changes never panics, and what decodes re-encodes to the same changes.
pub fn check_decode(data: &[u8]) {
    for input in inputs(data) {
        if let Ok(changes) = decode_changes(&input) {
            let again = weft_core::encoding::encode_changes(&changes);
            let back = decode_changes(&again).expect("re-encoded changes must decode");
            assert_eq!(back, changes, "changes changed across an encode round trip");
        }
    }
}

/// A document with a little of everything, as the target of imports.
fn base_doc() -> Doc {
    let mut doc = Doc::new(ReplicaId(0xB0B));
    doc.set("title", Value::from("base"));
    let text = doc.text("body").expect("fresh field");
    doc.text_insert(&text, 0, "hello wörld").expect("in range");
    doc.text_delete(&text, 2, 3).expect("in range");
    let counter = doc.counter("n").expect("fresh field");
    doc.counter_add(&counter, 5i64).expect("counter");
    let set = doc.or_set("tags").expect("fresh field");
    doc.set_add(&set, Value::from("a")).expect("set");
    let list = doc.list("items").expect("fresh field");
    doc.list_insert(&list, 0, Value::Int(1)).expect("in range");
    doc.commit();
    doc
}

/// Importing hostile bytes never panics; a failed import changes nothing, into an
/// empty document or a populated one; an accepted one leaves a document that
/// exports and re-imports to the same value.
pub fn check_import(data: &[u8]) {
    for input in inputs(data) {
        let mut doc = base_doc();
        let before_value = doc.to_value();
        let before_bytes = doc.export_snapshot();
        match doc.import(&input) {
            Err(_) => {
                assert_eq!(
                    doc.to_value(),
                    before_value,
                    "failed import changed the value"
                );
                assert_eq!(
                    doc.export_snapshot(),
                    before_bytes,
                    "failed import changed the document"
                );
            }
            Ok(_) => round_trips(&mut doc),
        }

        let mut fresh = Doc::new(ReplicaId(7));
        match fresh.import(&input) {
            Err(_) => assert!(
                fresh.is_empty(),
                "failed import into an empty document left data"
            ),
            Ok(_) => round_trips(&mut fresh),
        }
    }
}

/// The document's snapshot and state-only snapshot each load into a fresh
/// replica with the same value: every state the core accepts must round-trip.
pub(crate) fn round_trips(doc: &mut Doc) {
    // Debug text, so that a NaN compares equal to itself.
    let want = format!("{:?}", doc.to_value());
    let text = weft_core::TextId::from_id(weft_core::ContainerId::Named {
        name: "text".into(),
        kind: weft_core::ContainerKind::Text,
    });
    for (kind, bytes) in [
        ("snapshot", doc.export_snapshot()),
        ("state", doc.export_state()),
    ] {
        let mut copy = Doc::new(ReplicaId(0xC0FFEE));
        if let Err(e) = copy.import(&bytes) {
            panic!("a document's own {kind} export must import: {e}");
        }
        assert_eq!(
            format!("{:?}", copy.to_value()),
            want,
            "{kind} round trip changed the value"
        );
        if let Some(t) = &text {
            assert_eq!(
                copy.text_delta(t),
                doc.text_delta(t),
                "{kind} round trip changed the formatting"
            );
        }
    }
}
