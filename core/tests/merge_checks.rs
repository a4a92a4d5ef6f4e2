//! A batch whose origin order can only be settled while applying (a merge of
//! concurrent edits, as a rule) is applied with a copy kept to restore; from then
//! on its new runs' origins and its deletes' targets are checked by applying
//! instead of twice. These forge such batches with a bad op after that point: the
//! batch must be refused whole with the same error as before, the document left
//! as it was; and a corrupt change waiting in the causal buffer that such a batch
//! releases is still dropped, not applied and not failing the batch.

use std::sync::Arc;

use weft_core::change::Op;
use weft_core::clock::FixedClock;
use weft_core::encoding::{decode_changes, encode_changes};
use weft_core::{CausalityError, Change, Doc, ImportError, OpId, ReplicaId};

/// Replica 7's history: "abc" and an "X" put between "a" and "b" in one change
/// (the X's origins are both placed by the batch itself, so the batch is applied
/// with a copy kept), then `then` in a second change.
fn history(then: impl FnOnce(&mut Doc, &weft_core::TextId)) -> Vec<Change> {
    let mut d = Doc::with_clock(ReplicaId(7), Arc::new(FixedClock::new(1_000)));
    let t = d.text("t").unwrap();
    d.text_insert(&t, 0, "abc").unwrap();
    d.text_insert(&t, 1, "X").unwrap();
    d.commit();
    then(&mut d, &t);
    d.commit();
    let changes = decode_changes(&d.export_changes(&Default::default())).unwrap();
    assert_eq!(changes.len(), 2);
    changes
}

/// An id replica 7 never used.
fn nowhere() -> OpId {
    OpId::new(ReplicaId(7), 999)
}

fn target() -> Doc {
    let mut d = Doc::with_clock(ReplicaId(1), Arc::new(FixedClock::new(5_000)));
    d.set("keep", 1);
    let t = d.text("t").unwrap();
    d.text_insert(&t, 0, "here").unwrap();
    d.commit();
    d
}

fn assert_unknown(e: ImportError, element: OpId) {
    match e {
        ImportError::Causality(CausalityError::UnknownElement { element: got, .. }) => {
            assert_eq!(got, element)
        }
        e => panic!("expected an unknown element, got {e:?}"),
    }
}

/// The batch is refused whole, into a fresh document and one holding data, by
/// `apply_changes` and by `import`, naming `element`.
fn refused_whole(changes: Vec<Change>, element: OpId) {
    let bytes = encode_changes(&changes);
    let mut fresh = Doc::new(ReplicaId(3));
    assert_unknown(fresh.apply_changes(changes.clone()).unwrap_err(), element);
    assert!(fresh.is_empty(), "a refused batch left data");
    assert_unknown(fresh.import(&bytes).unwrap_err(), element);
    assert!(fresh.is_empty(), "a refused import left data");

    let mut d = target();
    let (state, history) = (d.export_state(), d.export_snapshot());
    assert_unknown(d.apply_changes(changes).unwrap_err(), element);
    assert_unknown(d.import(&bytes).unwrap_err(), element);
    assert_eq!(
        d.export_state(),
        state,
        "a refused batch changed the document"
    );
    assert_eq!(
        d.export_snapshot(),
        history,
        "a refused batch changed the history"
    );
}

fn last_insert(change: &mut Change) -> (&mut Option<OpId>, &mut Option<OpId>) {
    match change.ops.last_mut() {
        Some(Op::SeqInsert { left, right, .. }) => (left, right),
        op => panic!("expected an insert, got {op:?}"),
    }
}

#[test]
fn the_batch_is_applied_with_a_copy_when_valid() {
    let changes = history(|d, t| d.text_insert(t, 2, "Y").unwrap());
    let mut d = target();
    d.import(&encode_changes(&changes)).unwrap();
    let t = d.text("t").unwrap();
    let text = d.text_string(&t);
    assert!(text.contains("aXYbc"), "{text}");
}

#[test]
fn unknown_left_origin_after_the_copy_is_refused_whole() {
    let mut changes = history(|d, t| d.text_insert(t, 2, "Y").unwrap());
    *last_insert(&mut changes[1]).0 = Some(nowhere());
    refused_whole(changes, nowhere());
}

#[test]
fn unknown_right_origin_after_the_copy_is_refused_whole() {
    let mut changes = history(|d, t| d.text_insert(t, 2, "Y").unwrap());
    *last_insert(&mut changes[1]).1 = Some(nowhere());
    refused_whole(changes, nowhere());
}

#[test]
fn unknown_delete_target_after_the_copy_is_refused_whole() {
    let mut changes = history(|d, t| d.text_delete(t, 1, 1).unwrap());
    match changes[1].ops.last_mut() {
        Some(Op::SeqDelete { target, .. }) => *target = nowhere(),
        op => panic!("expected a delete, got {op:?}"),
    }
    refused_whole(changes, nowhere());
}

#[test]
fn corrupt_waiting_change_released_by_such_a_batch_is_dropped() {
    let mut changes = history(|d, t| d.text_insert(t, 2, "Y").unwrap());
    *last_insert(&mut changes[1]).0 = Some(nowhere());
    let mut d = target();
    // The second change arrives first and waits for the first.
    let report = d.import(&encode_changes(&changes[1..])).unwrap();
    assert_eq!(report.buffered, 1);
    let report = d.import(&encode_changes(&changes[..1])).unwrap();
    assert_eq!((report.applied, report.buffered), (1, 0));
    let t = d.text("t").unwrap();
    let text = d.text_string(&t);
    assert!(text.contains("aXbc") && !text.contains('Y'), "{text}");
}
