//! Typing that continues the pending insert op is told apart by origins alone
//! (the op's container is not compared): keystrokes alternating between two
//! texts, or between a root text and one nested in a map, each at the other's
//! end position, must still each land in their own text's ops.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{ContainerKind, Doc, ReplicaId, TextId};

fn replay_into_fresh(doc: &mut Doc) -> Doc {
    let mut fresh = Doc::new(ReplicaId(99));
    fresh.apply_changes(doc.changes()).unwrap();
    fresh
}

#[test]
fn keystrokes_alternating_between_two_texts_stay_in_their_own_ops() {
    let mut doc = Doc::with_clock(ReplicaId(1), Arc::new(FixedClock::new(1_000)));
    let (a, b) = (doc.text("a").unwrap(), doc.text("b").unwrap());
    let (mut sa, mut sb) = (String::new(), String::new());
    for i in 0..300usize {
        let ca = char::from(b'a' + (i % 26) as u8).to_string();
        let cb = char::from(b'A' + (i % 26) as u8).to_string();
        // Both at their text's end: the right origins agree (none), so only
        // the left origin keeps the ops apart.
        doc.text_insert(&a, sa.len(), &ca).unwrap();
        sa.push_str(&ca);
        doc.text_insert(&b, sb.len(), &cb).unwrap();
        sb.push_str(&cb);
        if i % 7 == 0 {
            doc.commit();
        }
        // Now and then two keystrokes in a row into one text: those merge.
        if i % 5 == 0 {
            doc.text_insert(&a, sa.len(), "!").unwrap();
            sa.push('!');
        }
    }
    doc.commit();
    assert_eq!(doc.text_string(&a), sa);
    assert_eq!(doc.text_string(&b), sb);
    let fresh = replay_into_fresh(&mut doc);
    assert_eq!(fresh.text_string(&a), sa);
    assert_eq!(fresh.text_string(&b), sb);
    assert_eq!(fresh.version(), doc.version());
}

#[test]
fn keystrokes_alternating_with_a_nested_text_stay_in_their_own_ops() {
    let mut doc = Doc::with_clock(ReplicaId(1), Arc::new(FixedClock::new(1_000)));
    let root = doc.text("root").unwrap();
    let map = doc.map("m").unwrap();
    let nested = doc
        .map_put_container(&map, "t", ContainerKind::Text)
        .unwrap();
    let nested = TextId::from_id(nested).unwrap();
    let (mut sr, mut sn) = (String::new(), String::new());
    for i in 0..200usize {
        let c = char::from(b'a' + (i % 26) as u8).to_string();
        doc.text_insert(&root, sr.len(), &c).unwrap();
        sr.push_str(&c);
        doc.text_insert(&nested, sn.len(), &c).unwrap();
        sn.push_str(&c);
        doc.commit();
    }
    let fresh = replay_into_fresh(&mut doc);
    assert_eq!(fresh.text_string(&root), sr);
    assert_eq!(fresh.text_string(&nested), sn);
}
