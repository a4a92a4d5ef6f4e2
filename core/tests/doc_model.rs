//! The document model: fields, containers, changes, causality, clocks, events.

use std::sync::Arc;

use weft_core::clock::{CausalOrder, FixedClock};
use weft_core::{
    ContainerKind, Diff, Doc, DocError, FieldValue, ImportError, MapId, Number, ReplicaId,
    TextDelta, TextId, Value, VersionVector,
};

fn doc(replica: u64, clock: &FixedClock) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(clock.clone()))
}

/// Sends `from` everything `to` lacks.
fn sync(from: &mut Doc, to: &mut Doc) {
    let changes = from.changes_since(to.version());
    to.apply_changes(changes).unwrap();
}

#[test]
fn later_write_wins_and_delete_is_a_write() {
    let clock = FixedClock::new(1_000);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    a.set("x", 1);
    clock.advance(10);
    b.set("x", 2);
    sync(&mut a, &mut b);
    sync(&mut b, &mut a);
    assert_eq!(a.get("x"), Some(&Value::Int(2)));
    assert_eq!(b.get("x"), Some(&Value::Int(2)));

    // A delete later than a concurrent write wins; an earlier one loses.
    clock.advance(10);
    a.set("y", "kept");
    clock.advance(10);
    b.delete("x");
    sync(&mut a, &mut b);
    sync(&mut b, &mut a);
    assert_eq!(a.get("x"), None);
    assert_eq!(a.keys().collect::<Vec<_>>(), vec!["y"]);
    assert_eq!(a.to_value(), b.to_value());
}

#[test]
fn a_write_never_loses_to_one_it_has_seen_even_with_a_slow_clock() {
    let fast = FixedClock::new(50_000);
    let slow = FixedClock::new(1_000);
    let (mut a, mut b) = (doc(1, &fast), doc(2, &slow));
    a.set("k", "old");
    sync(&mut a, &mut b);
    b.set("k", "new"); // b's wall clock is behind, but it saw a's write.
    sync(&mut b, &mut a);
    assert_eq!(a.get("k"), Some(&Value::from("new")));
}

#[test]
fn counters_add_up_across_replicas() {
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    let ca = a.counter("likes").unwrap();
    let cb = b.counter("likes").unwrap();
    assert_eq!(ca, cb, "root containers are named by field and kind");
    a.counter_add(&ca, 5).unwrap();
    b.counter_add(&cb, -2).unwrap();
    b.counter_add(&cb, 10).unwrap();
    sync(&mut a, &mut b);
    sync(&mut b, &mut a);
    assert_eq!(a.counter_value(&ca), Number::Int(13));
    assert_eq!(b.counter_value(&cb), Number::Int(13));
    a.counter_add(&ca, 0.5).unwrap();
    assert_eq!(a.counter_value(&ca), Number::Float(13.5));
}

#[test]
fn set_add_wins_and_readd_after_remove_works() {
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    let s = a.or_set("tags").unwrap();
    a.set_add(&s, "red").unwrap();
    sync(&mut a, &mut b);
    // Concurrently: a removes red, b adds it again.
    assert!(a.set_remove(&s, &Value::from("red")).unwrap());
    b.set_add(&s, "red").unwrap();
    sync(&mut a, &mut b);
    sync(&mut b, &mut a);
    assert!(a.set_contains(&s, &Value::from("red")));
    assert!(b.set_contains(&s, &Value::from("red")));
    // Remove everything seen, then re-add.
    a.set_remove(&s, &Value::from("red")).unwrap();
    assert!(!a.set_contains(&s, &Value::from("red")));
    a.set_add(&s, "red").unwrap();
    assert_eq!(a.set_members(&s), vec![Value::from("red")]);
    sync(&mut a, &mut b);
    assert_eq!(a.to_value(), b.to_value());
}

/// Members are listed in one canonical order (by encoding; for strings of one
/// length, alphabetical) whatever order they were added in, on every replica and
/// after a reload.
#[test]
fn set_members_come_in_canonical_order() {
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    let s = a.or_set("letters").unwrap();
    sync(&mut a, &mut b);
    let letters: Vec<String> = ('a'..='z').map(String::from).collect();
    // Scrambled on one replica, reversed on the other.
    for i in 0..letters.len() {
        a.set_add(&s, letters[(i * 7) % letters.len()].as_str())
            .unwrap();
    }
    for l in letters.iter().rev() {
        b.set_add(&s, l.as_str()).unwrap();
    }
    let want: Vec<Value> = letters.iter().map(|l| Value::from(l.as_str())).collect();
    assert_eq!(a.set_members(&s), want);
    assert_eq!(b.set_members(&s), want);
    sync(&mut a, &mut b);
    sync(&mut b, &mut a);
    assert_eq!(a.set_members(&s), want);
    let mut reloaded = doc(3, &clock);
    reloaded.import(&a.export_snapshot()).unwrap();
    assert_eq!(reloaded.set_members(&s), want);
}

#[test]
fn changes_wait_for_their_dependencies_and_apply_once() {
    let clock = FixedClock::new(1);
    let mut a = doc(1, &clock);
    a.set("x", 1);
    a.commit();
    a.set("x", 2);
    a.commit();
    let changes = a.changes();
    assert_eq!(changes.len(), 2);
    let mut b = doc(2, &clock);
    let r = b.apply_changes(vec![changes[1].clone()]).unwrap();
    assert_eq!((r.applied, r.buffered), (0, 1));
    assert_eq!(b.get("x"), None);
    let r = b.apply_changes(changes.clone()).unwrap();
    assert_eq!(r.applied, 2);
    assert_eq!(b.buffered_changes(), 0);
    let r = b.apply_changes(changes).unwrap();
    assert_eq!(r.duplicates, 2);
    assert_eq!(b.get("x"), Some(&Value::Int(2)));
    assert_eq!(b.version(), a.version());
    assert_eq!(b.frontier(), a.frontier());
}

#[test]
fn changes_since_gives_exactly_what_is_missing() {
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    a.set("x", 1);
    sync(&mut a, &mut b);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "hello").unwrap();
    let missing = a.changes_since(b.version());
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].start, 2);
    assert!(a.changes_since(&a.version().clone()).is_empty());
}

#[test]
fn future_changes_are_refused_whole() {
    let future = FixedClock::new(10_000_000);
    let now = FixedClock::new(1_000);
    let (mut a, mut b) = (doc(1, &future), doc(2, &now));
    a.set("x", 1);
    let err = b.apply_changes(a.changes()).unwrap_err();
    assert!(matches!(err, ImportError::ClockDrift(_)), "{err}");
    assert!(err.to_string().contains("re-sync"));
    assert_eq!(b.get("x"), None);
    assert!(b.version().is_empty());
    b.set_max_drift_ms(u64::MAX);
    b.apply_changes(a.changes()).unwrap();
    assert_eq!(b.get("x"), Some(&Value::Int(1)));
}

#[test]
fn wrong_kinds_are_typed_errors() {
    let clock = FixedClock::new(1);
    let mut a = doc(1, &clock);
    a.counter("n").unwrap();
    let err = a.text("n").unwrap_err();
    assert!(matches!(err, DocError::TypeMismatch { .. }));
    assert_eq!(
        err.to_string(),
        "field \"n\" is a Counter, not a Text: use it as a Counter, or delete the field before creating a Text there"
    );
    a.set("s", "v");
    assert!(a.list("s").is_err());
    let t = a.text("t").unwrap();
    assert!(matches!(
        a.text_insert(&t, 3, "x"),
        Err(DocError::IndexOutOfRange {
            index: 3,
            len: 0,
            ..
        })
    ));
}

#[test]
fn nested_containers_in_maps_and_lists() {
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    let board = a.list("board").unwrap();
    let card = a
        .list_insert_container(&board, 0, ContainerKind::Map)
        .unwrap();
    let card = MapId::from_id(card).unwrap();
    a.map_set(&card, "title", "Write docs").unwrap();
    let body = a
        .map_put_container(&card, "body", ContainerKind::Text)
        .unwrap();
    let body = TextId::from_id(body).unwrap();
    a.text_insert(&body, 0, "Draft").unwrap();
    a.list_insert(&board, 1, 42).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(b.to_value(), a.to_value());
    assert_eq!(b.text_string(&body), "Draft");
    assert!(matches!(
        b.list_get(&board, 0),
        Some(FieldValue::Container(_))
    ));
    assert_eq!(
        b.list_get(&board, 1),
        Some(FieldValue::Value(Value::Int(42)))
    );
}

#[test]
fn concurrent_text_edits_converge_without_interleaving() {
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "ac").unwrap();
    sync(&mut a, &mut b);
    a.text_insert(&t, 1, "XXX").unwrap();
    b.text_insert(&t, 1, "yyy").unwrap();
    b.text_delete(&t, 0, 1).unwrap();
    sync(&mut a, &mut b);
    sync(&mut b, &mut a);
    let s = a.text_string(&t);
    assert_eq!(s, b.text_string(&t));
    assert!(s == "XXXyyyc" || s == "yyyXXXc", "{s}");
}

#[test]
fn events_describe_local_and_remote_changes() {
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    b.record_events(true);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "hello").unwrap();
    a.set("title", "x");
    sync(&mut a, &mut b);
    let events = b.take_events();
    let text = events
        .iter()
        .find(|e| e.container == *t.id())
        .expect("text event");
    assert_eq!(
        text.diff,
        Diff::Text(vec![TextDelta::Insert("hello".into())])
    );
    assert!(events.iter().any(|e| matches!(&e.diff, Diff::Map { key, value: Some(FieldValue::Value(v)) } if &**key == "title" && *v == Value::from("x"))));
    a.text_delete(&t, 1, 3).unwrap();
    sync(&mut a, &mut b);
    let events = b.take_events();
    assert_eq!(
        events[0].diff,
        Diff::Text(vec![TextDelta::Retain(1), TextDelta::Delete(3)])
    );
    b.record_events(true);
    let c = b.counter("c").unwrap();
    b.take_events();
    b.counter_add(&c, 3).unwrap();
    assert_eq!(b.take_events()[0].diff, Diff::Counter(Number::Int(3)));
}

#[test]
fn version_vectors_compare_merge_and_diff() {
    let v1: VersionVector = [(ReplicaId(1), 3), (ReplicaId(2), 1)].into_iter().collect();
    let v2: VersionVector = [(ReplicaId(1), 2), (ReplicaId(3), 4)].into_iter().collect();
    assert_eq!(v1.compare(&v2), CausalOrder::Concurrent);
    let mut m = v1.clone();
    m.merge(&v2);
    assert_eq!(v1.compare(&m), CausalOrder::Before);
    assert_eq!(m.compare(&v2), CausalOrder::After);
    assert_eq!(m.compare(&m.clone()), CausalOrder::Equal);
    assert_eq!(m.diff(&v1), vec![(ReplicaId(3), 1..=4)]);
}

#[test]
fn a_peer_holding_part_of_a_merged_change_gets_the_right_tail() {
    // Backspacing twice across a sync: the author's log merges the two changes,
    // and the peer, which holds the first, must get exactly the second delete.
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    let t = b.text("t").unwrap();
    b.text_insert(&t, 0, "xy").unwrap();
    b.text_delete(&t, 1, 1).unwrap();
    sync(&mut b, &mut a);
    b.text_delete(&t, 0, 1).unwrap();
    sync(&mut b, &mut a);
    assert_eq!(a.text_string(&t), "");
    assert_eq!(a.export_state(), b.export_state());
}

#[test]
fn utf16_indices_match_javascript_strings() {
    let clock = FixedClock::new(1);
    let mut a = doc(1, &clock);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "a😀b").unwrap();
    assert_eq!(a.text_len(&t), 3);
    assert_eq!(a.text_len_utf16(&t), 4);
    // "a😀b".length === 4 in JavaScript; index 3 is before "b".
    a.text_insert_utf16(&t, 3, "c").unwrap();
    assert_eq!(a.text_string(&t), "a😀cb");
    a.text_delete_utf16(&t, 1, 2).unwrap();
    assert_eq!(a.text_string(&t), "acb");
}

/// The UTF-16 edits find the text once and convert offsets inline when the
/// text has no character outside the BMP (`utf16_at` in doc/seq_api.rs): the
/// same checks, errors and ops as converting first and editing by index.
#[test]
fn utf16_edits_check_offsets_and_record_as_index_edits() {
    let clock = FixedClock::new(1);
    let out_of_range = |r: Result<(), DocError>| {
        assert!(matches!(r, Err(DocError::IndexOutOfRange { .. })), "{r:?}")
    };
    // A text not created yet holds offset 0 only.
    let mut a = doc(1, &clock);
    let t = a.text("t").unwrap();
    a.text_delete_utf16(&t, 0, 0).unwrap();
    out_of_range(a.text_delete_utf16(&t, 0, 1));
    out_of_range(a.text_delete_utf16(&t, 1, 0));
    out_of_range(a.text_insert_utf16(&t, 1, "x"));
    out_of_range(a.text_insert_utf16(&t, 1, ""));
    a.text_insert_utf16(&t, 0, "").unwrap();
    let mut fresh = doc(1, &clock);
    fresh.text("t").unwrap();
    assert_eq!(a.version(), fresh.version());
    assert_eq!(a.text_len(&t), 0);
    a.text_insert_utf16(&t, 0, "ab").unwrap();
    // In the BMP: offsets are indices, the end included, past it an error
    // that changes nothing.
    a.text_insert_utf16(&t, 2, "c").unwrap();
    a.text_insert_utf16(&t, 3, "d").unwrap();
    let before = a.export_snapshot();
    out_of_range(a.text_insert_utf16(&t, 5, "x"));
    out_of_range(a.text_insert_utf16(&t, 5, ""));
    out_of_range(a.text_delete_utf16(&t, 2, 3));
    out_of_range(a.text_delete_utf16(&t, 5, 0));
    a.text_delete_utf16(&t, 4, 0).unwrap();
    assert_eq!(a.export_snapshot(), before);
    a.text_delete_utf16(&t, 1, 2).unwrap();
    a.text_delete_utf16(&t, 1, 1).unwrap();
    a.text_insert_utf16(&t, 1, "e").unwrap();
    assert_eq!(a.text_string(&t), "ae");
    // Past the BMP: the descent by UTF-16 counts (an offset inside a pair
    // rounds down to it).
    a.text_insert_utf16(&t, 1, "😀").unwrap();
    a.text_insert_utf16(&t, 3, "f").unwrap();
    a.text_insert_utf16(&t, 2, "g").unwrap();
    assert_eq!(a.text_string(&t), "ag😀fe");
    out_of_range(a.text_insert_utf16(&t, 7, "x"));
    out_of_range(a.text_delete_utf16(&t, 4, 3));
    a.text_delete_utf16(&t, 4, 1).unwrap();
    a.text_delete_utf16(&t, 2, 2).unwrap();
    assert_eq!(a.text_string(&t), "age");
    a.commit();

    // The same edits by character index record the same ops.
    let mut b = doc(1, &clock);
    let tb = b.text("t").unwrap();
    b.text_insert(&tb, 0, "ab").unwrap();
    b.text_insert(&tb, 2, "c").unwrap();
    b.text_insert(&tb, 3, "d").unwrap();
    // As `a` did (an export lets go of the change being typed).
    b.export_snapshot();
    b.text_delete(&tb, 1, 2).unwrap();
    b.text_delete(&tb, 1, 1).unwrap();
    b.text_insert(&tb, 1, "e").unwrap();
    b.text_insert(&tb, 1, "😀").unwrap();
    b.text_insert(&tb, 2, "f").unwrap();
    b.text_insert(&tb, 1, "g").unwrap();
    b.text_delete(&tb, 3, 1).unwrap();
    b.text_delete(&tb, 2, 1).unwrap();
    b.commit();
    assert_eq!(a.export_snapshot(), b.export_snapshot());
}

#[test]
fn list_and_map_events_carry_indices_and_keys() {
    let clock = FixedClock::new(1);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    let l = a.list("l").unwrap();
    a.list_insert(&l, 0, 1).unwrap();
    a.list_insert(&l, 1, 2).unwrap();
    sync(&mut a, &mut b);
    b.record_events(true);
    a.list_insert(&l, 1, 9).unwrap();
    a.list_delete(&l, 0, 1).unwrap();
    let m = a.map("m").unwrap();
    a.map_set(&m, "k", true).unwrap();
    a.map_delete(&m, "k").unwrap();
    sync(&mut a, &mut b);
    let diffs: Vec<Diff> = b.take_events().into_iter().map(|e| e.diff).collect();
    use weft_core::ListDelta;
    assert!(diffs.contains(&Diff::List(vec![
        ListDelta::Retain(1),
        ListDelta::Insert(vec![FieldValue::Value(Value::Int(9))])
    ])));
    assert!(diffs.contains(&Diff::List(vec![ListDelta::Delete(1)])));
    assert!(diffs
        .iter()
        .any(|d| matches!(d, Diff::Map { key, value: None } if &**key == "k")));
    assert_eq!(b.list_values(&l), a.list_values(&l));
}

#[test]
fn a_state_only_snapshot_loads_only_into_an_empty_document() {
    let clock = FixedClock::new(1);
    let mut a = doc(1, &clock);
    a.set("x", 1);
    let state = a.export_state();
    let mut fresh = doc(2, &clock);
    fresh.import(&state).unwrap();
    assert_eq!(fresh.to_value(), a.to_value());
    assert_eq!(fresh.version(), a.version());
    // It keeps working as a replica: edits and merges on top of that state.
    fresh.set("y", 2);
    sync(&mut fresh, &mut a);
    assert_eq!(a.get("y"), Some(&Value::Int(2)));
    let mut busy = doc(3, &clock);
    busy.set("z", 3);
    assert!(matches!(
        busy.import(&state),
        Err(ImportError::StateIntoNonEmpty)
    ));
}

#[test]
fn versions_travel_as_bytes() {
    use weft_core::encoding::{decode_version, encode_version};
    let v: VersionVector = [(ReplicaId(u64::MAX), 3), (ReplicaId(2), 1 << 40)]
        .into_iter()
        .collect();
    let bytes = encode_version(&v);
    assert_eq!(decode_version(&bytes).unwrap(), v);
    for len in 0..bytes.len() {
        assert!(decode_version(&bytes[..len]).is_err());
    }
    assert!(decode_version(&[0xff, 0xff, 0xff, 0x0f]).is_err());
}

#[test]
fn a_corrupt_buffered_change_is_dropped_when_released() {
    use weft_core::change::{NewValue, Op};
    use weft_core::{ContainerId, OpId};
    let clock = FixedClock::new(1);
    let mut a = doc(1, &clock);
    a.set("x", 1);
    a.commit();
    a.set("x", 2);
    let mut changes = a.changes();
    // The second change now writes to a map that nothing created.
    changes[1].ops[0] = Op::MapSet {
        obj: ContainerId::Created {
            id: OpId::new(ReplicaId(9), 9),
            kind: ContainerKind::Map,
        },
        key: "k".into(),
        value: NewValue::Value(Value::Null),
    };
    let mut b = doc(2, &clock);
    b.apply_changes(vec![changes[1].clone()]).unwrap();
    assert_eq!(b.buffered_changes(), 1);
    // Its dependency arrives: the import succeeds, the corrupt change is dropped.
    b.apply_changes(vec![changes[0].clone()]).unwrap();
    assert_eq!(b.buffered_changes(), 0);
    assert_eq!(b.get("x"), Some(&Value::Int(1)));
    // A corrupt change delivered ready fails the whole import, changing nothing.
    let mut c = doc(3, &clock);
    let before = c.export_state();
    assert!(matches!(
        c.apply_changes(changes.clone()),
        Err(ImportError::Causality(_))
    ));
    assert_eq!(c.export_state(), before);
}
