//! Natively, packing a typing session's change hands its op buffer and its
//! insert ops' text buffers to the ops that follow: a reused buffer must start
//! empty, and the ops written into it must read back as typed, in the change
//! history and in a snapshot, through several packed sessions.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId};

/// Types `n` keystrokes, one commit each, jumping somewhere else every few
/// keystrokes (so that the session holds many insert ops) and deleting now
/// and then.
fn type_scattered(doc: &mut Doc, n: usize, seed: u64) -> String {
    let t = doc.text("t").unwrap();
    let mut rng = seed;
    let mut at = 0usize;
    for i in 0..n {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = doc.text_len(&t);
        if (rng >> 60) < 3 {
            at = (rng >> 20) as usize % (len + 1);
        }
        if (rng >> 56) & 7 == 0 && at > 0 {
            doc.text_delete(&t, at - 1, 1).unwrap();
            at -= 1;
        } else {
            // Multi-byte characters too, so that lengths in bytes and
            // characters differ.
            let c = ["a", "é", "字", "b", "😀", "c"][i % 6];
            doc.text_insert(&t, at, c).unwrap();
            at += 1;
        }
        doc.commit();
    }
    doc.text_string(&t)
}

#[test]
fn ops_typed_into_reused_buffers_read_back_as_typed() {
    let mut a = Doc::with_clock(ReplicaId(1), Arc::new(FixedClock::new(1_000)));
    // Well past several sessions of 2,048 ops, each packed as it is sealed.
    let text = type_scattered(&mut a, 20_000, 7);
    let changes = a.changes();
    assert!(changes.len() >= 4, "{} changes", changes.len());

    let mut b = Doc::new(ReplicaId(2));
    b.apply_changes(changes).unwrap();
    let tb = b.text("t").unwrap();
    assert_eq!(b.text_string(&tb), text);

    let mut c = Doc::new(ReplicaId(3));
    c.import(&a.export_snapshot()).unwrap();
    let tc = c.text("t").unwrap();
    assert_eq!(c.text_string(&tc), text);
    // The history the snapshot carries replays to the same text.
    let mut d = Doc::new(ReplicaId(4));
    d.apply_changes(c.changes()).unwrap();
    let td = d.text("t").unwrap();
    assert_eq!(d.text_string(&td), text);
}
