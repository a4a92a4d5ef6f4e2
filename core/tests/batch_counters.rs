//! A batch's changes have their last counters worked out once, before validating
//! and applying (`Doc::apply_update`): a change with no counter 0 and one whose
//! counters would overflow are refused with the document unchanged, and a batch
//! mixing changes known in full, known in part and new, from several replicas
//! and out of order, ends where the same changes delivered one by one end.

use std::sync::Arc;

use weft_core::change::Op;
use weft_core::clock::FixedClock;
use weft_core::encoding::decode_changes;
use weft_core::{CausalityError, Change, Doc, ImportError, OpId, ReplicaId};

fn doc(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000)))
}

/// `replica`'s three changes of different lengths (a multi-character insert,
/// a delete, single characters), typed into a copy of `base`.
fn history(base: &mut Doc, replica: u64) -> Vec<Change> {
    let mut d = doc(replica);
    d.import(&base.export_snapshot()).unwrap();
    let since = d.version().clone();
    let t = d.text("t").unwrap();
    // A field write in each change keeps the log from merging them into one.
    d.text_insert(&t, 0, "hello").unwrap();
    d.set("k", -1);
    d.commit();
    d.text_delete(&t, 1, 2).unwrap();
    d.text_insert(&t, 0, "x").unwrap();
    d.set("k", -2);
    d.commit();
    for (i, s) in ["a", "b", "c"].into_iter().enumerate() {
        d.text_insert(&t, i, s).unwrap();
        d.set("k", i as i64);
    }
    d.commit();
    let changes = decode_changes(&d.export_changes(&since)).unwrap();
    assert_eq!(changes.len(), 3);
    changes
}

fn state(d: &mut Doc) -> (String, Vec<u8>) {
    let t = d.text("t").unwrap();
    (
        d.text_string(&t),
        weft_core::encoding::encode_version(d.version()),
    )
}

#[test]
fn a_mixed_batch_ends_as_the_changes_one_by_one() {
    let mut base = doc(1);
    base.text("t").unwrap();
    base.commit();
    let a = history(&mut base, 2);
    let b = history(&mut base, 3);
    let mut one_by_one = doc(4);
    one_by_one.import(&base.export_snapshot()).unwrap();
    let mut batched = one_by_one.clone();
    for c in a.iter().chain(&b) {
        one_by_one.apply_changes(vec![c.clone()]).unwrap();
    }
    // Replica 2's first change already here, its second known in part (its
    // first op), then everything in an order that holds some back.
    batched.apply_changes(vec![a[0].clone()]).unwrap();
    let mut part = a[1].clone();
    part.ops.truncate(1);
    batched.apply_changes(vec![part]).unwrap();
    let batch = vec![
        b[2].clone(),
        a[2].clone(),
        a[1].clone(),
        b[0].clone(),
        a[0].clone(),
        b[1].clone(),
    ];
    let report = batched.apply_changes(batch).unwrap();
    assert_eq!(report.duplicates, 1);
    assert_eq!(report.buffered, 0);
    assert_eq!(state(&mut batched), state(&mut one_by_one));
    // The counters the batch claimed are exactly the ones used: the next
    // change of each replica applies, a repeat of its last does not.
    let mut next = history(&mut base, 2);
    next[2].start += 100;
    assert_eq!(
        batched
            .apply_changes(vec![a[2].clone()])
            .unwrap()
            .duplicates,
        1
    );
    assert_eq!(
        batched
            .apply_changes(vec![next[2].clone()])
            .unwrap()
            .buffered,
        1
    );
}

/// A document that has a text but not replica 2's history `a` of it, with its
/// state before anything of `a` is applied.
fn replica_two_behind() -> (Doc, Vec<Change>, (String, Vec<u8>)) {
    let mut base = doc(1);
    base.text("t").unwrap();
    base.commit();
    let a = history(&mut base, 2);
    let mut target = doc(4);
    target.import(&base.export_snapshot()).unwrap();
    let before = state(&mut target);
    (target, a, before)
}

fn assert_bad_counter(e: ImportError) {
    assert!(
        matches!(e, ImportError::Causality(CausalityError::BadCounter { .. })),
        "expected a bad counter, got {e:?}"
    );
}

#[test]
fn counters_from_zero_or_past_the_range_are_refused_whole() {
    let (mut target, a, before) = replica_two_behind();
    let mut zero = a[0].clone();
    zero.start = 0;
    let e = target.apply_changes(vec![a[0].clone(), zero]).unwrap_err();
    assert_bad_counter(e);
    assert_eq!(state(&mut target), before);
    // One counter more than u64::MAX has room for.
    let mut overflow = a[0].clone();
    overflow.start = u64::MAX - a[0].len() + 1;
    let e = target
        .apply_changes(vec![a[0].clone(), overflow])
        .unwrap_err();
    assert_bad_counter(e);
    assert_eq!(state(&mut target), before);
    // Its counters up to u64::MAX - 1 fit (and it waits for its dependencies).
    let mut last = a[0].clone();
    last.start = u64::MAX - a[0].len();
    assert_eq!(target.apply_changes(vec![last]).unwrap().buffered, 1);
}

/// A change that is ready has its length summed as it is validated, not
/// before: one whose last op runs past `u64::MAX` is still refused whole.
#[test]
fn a_ready_change_whose_ops_pass_the_range_is_refused_whole() {
    let (mut target, a, before) = replica_two_behind();
    let mut overflow = a[0].clone();
    let obj = overflow
        .ops
        .iter()
        .find_map(|op| match op {
            Op::SeqInsert { obj, .. } => Some(obj.clone()),
            _ => None,
        })
        .unwrap();
    // Deletes the change's own first character, then u64::MAX - 1 more.
    overflow.ops.push(Op::SeqDelete {
        obj,
        target: OpId::new(ReplicaId(2), 1),
        len: u64::MAX,
        reversed: false,
    });
    assert_eq!(overflow.start, 1);
    let e = target.apply_changes(vec![overflow]).unwrap_err();
    assert_bad_counter(e);
    assert_eq!(state(&mut target), before);
    // The same change without that op applies.
    assert_eq!(target.apply_changes(vec![a[0].clone()]).unwrap().applied, 1);
}
