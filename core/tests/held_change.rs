//! A typing session's reopened change stays open across `commit`: the commit
//! only notes where the next ops start, and the log learns where the change
//! ends when the document lets go of it (an export, an import, an LWW write,
//! or the change reaching the cap on merged ops). And the text being typed
//! into is found by its name's address, its kind checked too.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{ContainerId, ContainerKind, Doc, ListId, ReplicaId, Value, VersionVector};

fn doc(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000)))
}

/// Every op of `doc`'s history, replayed into a fresh replica, gives its text.
fn replays_to_same_text(doc: &mut Doc) {
    let t = doc.text("t").unwrap();
    let mut fresh = doc_from(&doc.export_changes(&VersionVector::new()));
    let u = fresh.text("t").unwrap();
    assert_eq!(fresh.text_string(&u), doc.text_string(&t));
    assert_eq!(fresh.version(), doc.version());
}

fn doc_from(bytes: &[u8]) -> Doc {
    let mut d = doc(99);
    d.import(bytes).unwrap();
    d
}

#[test]
fn commit_reports_the_ops_since_the_last_commit_only() {
    let mut a = doc(1);
    let t = a.text("t").unwrap();
    a.commit();
    a.text_insert(&t, 0, "a").unwrap();
    let first = a.commit().expect("the first keystroke is pending");
    a.text_insert(&t, 1, "b").unwrap();
    let second = a.commit().expect("the second keystroke is pending");
    assert_eq!(second.counter, first.counter + 1);
    // Nothing since: the change is held open, but nothing is pending.
    assert_eq!(a.commit(), None);
    assert_eq!(a.commit(), None);
    a.text_insert(&t, 2, "cd").unwrap();
    a.text_insert(&t, 4, "e").unwrap();
    let third = a.commit().expect("two edits are pending");
    assert_eq!(third.counter, second.counter + 1);
    assert_eq!(a.commit(), None);
    replays_to_same_text(&mut a);
}

#[test]
fn exports_between_keystrokes_carry_every_op_typed() {
    let mut a = doc(1);
    let t = a.text("t").unwrap();
    let mut b = doc(2);
    let mut seen = VersionVector::new();
    for i in 0..50 {
        a.text_insert(&t, i, "x").unwrap();
        a.commit();
        if i % 7 == 3 {
            // An export lets go of the held change: the log must know where
            // it ends now, or the peer misses the last keystrokes.
            b.import(&a.export_changes(&seen)).unwrap();
            seen = b.version().clone();
            let u = b.text("t").unwrap();
            assert_eq!(b.text_string(&u), a.text_string(&t));
        }
    }
    b.import(&a.export_changes(&seen)).unwrap();
    let u = b.text("t").unwrap();
    assert_eq!(b.text_string(&u), a.text_string(&t));
    assert_eq!(b.version(), a.version());
    replays_to_same_text(&mut a);
    // A snapshot taken while the change is held open has it all too.
    let mut c = doc_from(&a.export_snapshot());
    let v = c.text("t").unwrap();
    assert_eq!(c.text_string(&v), a.text_string(&t));
}

#[test]
fn typing_after_an_import_or_an_lww_write_starts_a_change_of_its_own() {
    let mut a = doc(1);
    let mut b = doc(2);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "ab").unwrap();
    a.commit();
    let u = b.text("t").unwrap();
    b.text_insert(&u, 0, "XY").unwrap();
    b.commit();
    // The held change is let go of before b's change joins the log: typing
    // on must not land in b's change.
    a.import(&b.export_changes(&VersionVector::new())).unwrap();
    a.text_insert(&t, 4, "c").unwrap();
    a.commit();
    a.set("title", "x");
    a.text_insert(&t, 5, "d").unwrap();
    a.commit();
    for change in a.changes() {
        let own = change.replica == ReplicaId(1);
        let ops_of_b = change
            .ops_with_ids()
            .any(|(id, _)| id.replica == ReplicaId(2));
        assert!(!(own && ops_of_b));
    }
    replays_to_same_text(&mut a);
    let mut c = doc_from(&a.export_changes(&VersionVector::new()));
    let v = c.text("t").unwrap();
    assert_eq!(c.text_string(&v), a.text_string(&t));
    assert_eq!(c.get("title"), Some(&Value::from("x")));
}

#[test]
fn a_typing_session_held_open_is_cut_at_the_cap_on_merged_ops() {
    let mut a = doc(1);
    let t = a.text("t").unwrap();
    // Every keystroke at the start is an op of its own (its left origin is
    // not the last one typed), committed one by one.
    for _ in 0..5_000 {
        a.text_insert(&t, 0, "z").unwrap();
        a.commit();
    }
    let changes = a.changes();
    let longest = changes.iter().map(|c| c.ops.len()).max().unwrap();
    assert!(changes.len() >= 3, "{} changes", changes.len());
    assert!(longest <= 2_048, "a change of {longest} ops");
    replays_to_same_text(&mut a);
}

#[test]
fn letting_go_of_the_held_change_tells_the_log_where_it_ends() {
    let mut a = doc(1);
    let t = a.text("t").unwrap();
    a.commit();
    let mut b = doc(2);
    for i in 0..10 {
        a.text_insert(&t, i, "x").unwrap();
        a.commit();
    }
    // The export lets go of the typing session's change; typing on resumes
    // it only if the log knows that the change ends where the next op
    // starts.
    b.import(&a.export_changes(&VersionVector::new())).unwrap();
    for i in 10..20 {
        a.text_insert(&t, i, "y").unwrap();
        a.commit();
    }
    // The text's creation (an LWW write, a change of its own) and one
    // typing session.
    assert_eq!(a.changes().len(), 2);
    let seen = b.version().clone();
    b.import(&a.export_changes(&seen)).unwrap();
    let u = b.text("t").unwrap();
    assert_eq!(b.text_string(&u), a.text_string(&t));
    replays_to_same_text(&mut a);
}

#[test]
fn a_text_and_a_list_sharing_a_name_are_told_apart() {
    let mut a = doc(1);
    let t = a.text("x").unwrap();
    a.text_insert(&t, 0, "ab").unwrap();
    // A root-named list whose id shares the text's name (the same `Arc`):
    // only the kinds tell the two containers apart.
    let ContainerId::Named { name, .. } = t.id().clone() else {
        panic!("a root text is named");
    };
    let list = ListId::from_id(ContainerId::Named {
        name,
        kind: ContainerKind::List,
    })
    .unwrap();
    for i in 0..3 {
        a.list_insert(&list, i, i as i64).unwrap();
        a.text_insert(&t, 2, "c").unwrap();
        a.list_insert(&list, 0, -1).unwrap();
        a.text_delete(&t, 0, 1).unwrap();
        a.commit();
    }
    assert_eq!(a.text_string(&t), "cc");
    assert_eq!(a.list_values(&list).len(), 6);
}

/// Every change of `doc` holds at most the cap on merged ops, and one holds
/// exactly that many (a cut at the cap, not after it).
fn cut_at_the_cap(doc: &mut Doc) {
    let lens: Vec<usize> = doc.changes().iter().map(|c| c.ops.len()).collect();
    assert!(lens.iter().all(|&n| n <= 2_048), "op counts {lens:?}");
    assert!(lens.contains(&2_048), "op counts {lens:?}");
}

#[test]
fn a_transaction_that_takes_a_held_change_past_the_cap_is_cut_at_it() {
    let mut a = doc(1);
    let t = a.text("t").unwrap();
    // The text's creation is a change of its own (an LWW write); the typing
    // after it goes to the next change, which later edits reopen.
    a.text_insert(&t, 0, "a").unwrap();
    a.commit();
    a.text_insert(&t, 1, "b").unwrap();
    a.commit();
    // One transaction of 3,000 inserts, each an op of its own (typed at the
    // start), extending the held typing change: it is cut at 2,048 ops in
    // the middle, and the commit still reports the transaction's first op.
    let next = a.version().get(ReplicaId(1)) + 1;
    for _ in 0..3_000 {
        a.text_insert(&t, 0, "z").unwrap();
    }
    assert_eq!(a.commit().map(|id| id.counter), Some(next));
    // Typing on after the commit goes to the change the cut started.
    a.text_insert(&t, 0, "y").unwrap();
    assert_eq!(a.commit().map(|id| id.counter), Some(next + 3_000));
    cut_at_the_cap(&mut a);
    replays_to_same_text(&mut a);
}

#[test]
fn a_delete_of_many_runs_is_cut_at_the_cap_between_two_runs() {
    let mut a = doc(1);
    let t = a.text("t").unwrap();
    // Typed a keystroke per commit: no change of more than 2,048 ops.
    for _ in 0..3_000 {
        a.text_insert(&t, 0, "z").unwrap();
        a.commit();
    }
    // Every other character deleted, one op each: the remaining ones are
    // runs of one id each (their neighbours' ids are deleted).
    for i in 0..1_500 {
        a.text_delete(&t, i, 1).unwrap();
    }
    a.commit();
    let mut b = doc_from(&a.export_changes(&VersionVector::new()));
    // One delete of 1,500 runs: 1,500 delete ops, the held change (the
    // earlier deletes, 1,500 ops) cut at the cap between two of them.
    a.text_delete(&t, 0, 1_500).unwrap();
    a.commit();
    assert_eq!(a.text_string(&t), "");
    cut_at_the_cap(&mut a);
    replays_to_same_text(&mut a);
    b.import(&a.export_changes(b.version())).unwrap();
    let u = b.text("t").unwrap();
    assert_eq!(b.text_string(&u), "");
}

#[test]
fn counter_adds_past_the_cap_in_one_transaction_are_cut_at_it() {
    let mut a = doc(1);
    let c = a.counter("c").unwrap();
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "a").unwrap();
    a.commit();
    a.text_insert(&t, 1, "b").unwrap();
    a.commit();
    for _ in 0..3_000 {
        a.counter_add(&c, 1).unwrap();
    }
    a.commit();
    cut_at_the_cap(&mut a);
    let mut b = doc_from(&a.export_changes(&VersionVector::new()));
    let d = b.counter("c").unwrap();
    assert_eq!(b.counter_value(&d), a.counter_value(&c));
    assert_eq!(b.version(), a.version());
}

/// Pastes longer than the spare text buffer an insert op starts from (a
/// packed op's, or one with room for a few words) get a buffer of their own
/// (natively): each op's text is the paste, typing on after a paste extends
/// it, and ops after it start from spare buffers again, across the cap's
/// cuts (whose packed ops hand their buffers on).
#[test]
fn pastes_longer_than_the_spare_buffer_keep_their_text() {
    let mut a = doc(1);
    let t = a.text("t").unwrap();
    let mut expect = String::new();
    // Where the last insert ended: inserting there continues its op.
    let mut cursor = 0;
    for i in 0..5_000usize {
        let s = match i % 5 {
            0 => "x".repeat(40 + i % 700),
            1 => "é".repeat(1 + i % 300),
            _ => char::from(b'a' + (i % 26) as u8).to_string(),
        };
        let at = match i % 3 {
            0 => 0,
            1 => expect.chars().count(),
            _ => cursor,
        };
        a.text_insert(&t, at, &s).unwrap();
        let byte = expect
            .char_indices()
            .nth(at)
            .map_or(expect.len(), |(b, _)| b);
        expect.insert_str(byte, &s);
        cursor = at + s.chars().count();
        a.commit();
    }
    assert_eq!(a.text_string(&t), expect);
    let ops: Vec<_> = a.changes().into_iter().flat_map(|c| c.ops).collect();
    assert!(ops.len() > 2_048, "the session was cut at the cap");
    let inserted: usize = ops
        .iter()
        .map(|op| match op {
            weft_core::change::Op::SeqInsert {
                content: weft_core::change::SeqContent::Text(s),
                ..
            } => s.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(inserted, expect.len(), "every byte is in exactly one op");
    replays_to_same_text(&mut a);
}
