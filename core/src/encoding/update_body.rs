//! An update's opened body is what the WebAssembly change log keeps as the
//! block of the changes it held (`Doc::import` there passes
//! [`super::Decoded::body`] to the log instead of encoding the changes again;
//! the crate's unit tests decode it too, for these tests):
//! the log reads its blocks with [`decode_log_block`], and fails loudly on one
//! that does not read back. So every update's body must read back, through
//! that decoder, as exactly the changes the update's own decoder gave.

use std::borrow::Cow;

use super::writer::Writer;
use super::{decode, decode_log_block, envelope, open_body, text_block, PayloadKind};
use crate::{Doc, ReplicaId, Value, VersionVector};

/// Updates of every op kind, small and large: a body and a text block that
/// are stored raw and ones that are deflated, several replicas, deps, marks.
fn updates() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut tiny = Doc::new(ReplicaId(9));
    tiny.set("k", 1);
    tiny.commit();
    out.push(tiny.export_changes(&VersionVector::new()));
    let mut a = Doc::new(ReplicaId(2));
    let mut b = Doc::new(ReplicaId(3));
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "héllo wörld ✓").unwrap();
    a.commit();
    out.push(a.export_changes(&VersionVector::new()));
    b.import(&out[1]).unwrap();
    let since = b.version().clone();
    let tb = b.text("t").unwrap();
    let l = b.list("l").unwrap();
    let c = b.counter("c").unwrap();
    b.set("k", "v");
    b.set("n", Value::from(1.5));
    b.list_insert(&l, 0, 7).unwrap();
    b.list_insert(&l, 1, "x").unwrap();
    b.counter_add(&c, -3).unwrap();
    b.text_mark(&tb, 1, 4, "bold", true).unwrap();
    b.text_delete(&tb, 2, 3).unwrap();
    b.commit();
    out.push(b.export_changes(&since));
    // A long text: the body and its text block deflated; and random edits
    // in many changes, as a concurrent merge's update holds them.
    let since = a.version().clone();
    let mut x = 0x2545_f491u32;
    for i in 0..3000usize {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let len = a.text_len(&t);
        if len == 0 || x % 10 < 7 {
            let s = ["a", "bc", "the quick brown fox ", "é"][(x >> 8) as usize % 4];
            a.text_insert(&t, (x >> 4) as usize % (len + 1), s).unwrap();
        } else {
            a.text_delete(&t, (x >> 4) as usize % len, 1).unwrap();
        }
        if i % 100 == 99 {
            a.commit();
        }
    }
    a.commit();
    out.push(a.export_changes(&since));
    out.push(a.export_changes(&VersionVector::new()));
    out
}

#[test]
fn an_update_body_reads_back_as_a_log_block_holding_its_changes() {
    for update in updates() {
        let decoded = decode(&update, false).unwrap();
        let changes = decoded.changes;
        assert!(!changes.is_empty());
        let body = decoded.body.expect("an update's body");
        let opened = open_body(&update).unwrap();
        assert_eq!(opened.body, body);
        // Encoders deflate a body as small as these: the same body stored
        // raw is an update too, which the body is borrowed from.
        assert!(matches!(opened.body, Cow::Owned(_)));
        let mut packed = Writer::new();
        text_block::write_raw_bytes(&mut packed, &opened.body);
        let raw = envelope::seal(PayloadKind::Changes, &packed.buf);
        let raw_opened = open_body(&raw).unwrap();
        assert!(matches!(raw_opened.body, Cow::Borrowed(_)));
        let raw_decoded = decode(&raw, false).unwrap();
        assert_eq!(raw_decoded.changes, changes);
        assert_eq!(raw_decoded.body.as_deref(), Some(&body[..]));
        assert_eq!(decode_log_block(&body).unwrap(), changes);
    }
}

#[test]
fn only_an_update_is_decoded_with_its_body() {
    let mut a = Doc::new(ReplicaId(2));
    a.set("k", 1);
    a.commit();
    for payload in [
        a.export_changes(&VersionVector::new()),
        a.export_snapshot(),
        a.export_state(),
    ] {
        let decoded = decode(&payload, true).unwrap();
        assert_eq!(decoded.body.is_some(), decoded.kind == PayloadKind::Changes);
    }
}
