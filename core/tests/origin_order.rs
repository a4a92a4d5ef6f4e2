//! A remote change that types before its own earlier insert names, as the new
//! insert's right origin, an element the same batch places. Validation orders
//! such origins through the placed run's own (already checked) origins, so the
//! batch is applied without a restorable copy of the document. These check that
//! the settled case gives the sender's text, and that a forged origin the runs
//! cannot order is still refused whole, leaving the document as it was.

use std::sync::Arc;

use weft_core::change::Op;
use weft_core::clock::FixedClock;
use weft_core::encoding::{decode_changes, encode_changes};
use weft_core::{Change, Doc, ImportError, OpId, ReplicaId};

/// The sender (replica 7) after typing "x" then "y" at index 1 of "abcd" in one
/// change, that change, and a receiver holding "abcd".
fn typed_before_own_insert() -> (Doc, Vec<Change>, Doc) {
    let mut sender = Doc::with_clock(ReplicaId(7), Arc::new(FixedClock::new(1_000)));
    let t = sender.text("t").unwrap();
    sender.text_insert(&t, 0, "abcd").unwrap();
    sender.commit();
    let mut receiver = Doc::with_clock(ReplicaId(3), Arc::new(FixedClock::new(2_000)));
    receiver.import(&sender.export_snapshot()).unwrap();
    let since = sender.version().clone();
    sender.text_insert(&t, 1, "x").unwrap();
    sender.text_insert(&t, 1, "y").unwrap();
    sender.commit();
    let changes = decode_changes(&sender.export_changes(&since)).unwrap();
    assert_eq!(changes.len(), 1);
    (sender, changes, receiver)
}

fn inserts(change: &mut Change) -> Vec<(&mut Option<OpId>, &mut Option<OpId>)> {
    change
        .ops
        .iter_mut()
        .filter_map(|op| match op {
            Op::SeqInsert { left, right, .. } => Some((left, right)),
            _ => None,
        })
        .collect()
}

fn text(d: &mut Doc) -> String {
    let t = d.text("t").unwrap();
    d.text_string(&t)
}

#[test]
fn typing_before_ones_own_insert_arrives_as_typed() {
    let (mut sender, mut changes, mut receiver) = typed_before_own_insert();
    assert_eq!(text(&mut sender), "ayxbcd");
    // The shape this file is about: the second insert's right origin is the
    // first one, its left origin the first one's left origin.
    let ops = inserts(&mut changes[0]);
    assert_eq!(ops.len(), 2);
    let (first_left, _) = (*ops[0].0, *ops[0].1);
    assert_eq!(*ops[1].0, first_left);
    assert!(ops[1].1.is_some_and(|r| r.replica == ReplicaId(7)));
    let bytes = encode_changes(&changes);
    let mut by_apply = receiver.clone();
    by_apply.apply_changes(changes).unwrap();
    receiver.import(&bytes).unwrap();
    assert_eq!(text(&mut by_apply), "ayxbcd");
    assert_eq!(text(&mut receiver), "ayxbcd");
    assert_eq!(receiver.export_state(), by_apply.export_state());
}

#[test]
fn a_left_origin_after_the_new_runs_left_origin_is_refused_whole() {
    let (_, mut changes, mut receiver) = typed_before_own_insert();
    {
        let mut ops = inserts(&mut changes[0]);
        // "a" is the first insert's left origin; "d" comes three after it and
        // after "x"'s right origin "b": "y" between "d" and "x" is out of order.
        let a = ops[0].0.expect("x goes after a");
        *ops[1].0 = Some(OpId::new(a.replica, a.counter + 3));
    }
    let (state, history) = (receiver.export_state(), receiver.export_snapshot());
    let bytes = encode_changes(&changes);
    for refused in [
        receiver.apply_changes(changes).unwrap_err(),
        receiver.import(&bytes).unwrap_err(),
    ] {
        assert!(matches!(refused, ImportError::Causality(_)), "{refused:?}");
    }
    assert_eq!(
        receiver.export_state(),
        state,
        "a refused batch changed the document"
    );
    assert_eq!(
        receiver.export_snapshot(),
        history,
        "a refused batch changed the history"
    );
    assert_eq!(text(&mut receiver), "abcd");
}
