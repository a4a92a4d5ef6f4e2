//! Undo and redo of local edits, container by container, with remote edits
//! interleaved. Time comes from a FixedClock, so grouping is deterministic.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{ContainerKind, Doc, FieldValue, ListId, MapId, Number, ReplicaId, TextId, Value};

fn clocked(replica: u64) -> (Doc, FixedClock) {
    let clock = FixedClock::new(1_000_000);
    let mut d = Doc::with_clock(ReplicaId(replica), Arc::new(clock.clone()));
    d.set_undo_enabled(true);
    (d, clock)
}

fn sync(a: &mut Doc, b: &mut Doc) {
    b.import(&a.export_changes(b.version())).unwrap();
    a.import(&b.export_changes(a.version())).unwrap();
}

fn text_doc(replica: u64) -> (Doc, FixedClock, TextId) {
    let (mut d, c) = clocked(replica);
    let t = d.text("t").unwrap();
    (d, c, t)
}

#[test]
fn creating_a_root_container_on_first_use_is_not_a_step() {
    let (mut d, _, t) = text_doc(1);
    assert!(!d.can_undo());
    assert_eq!(d.undo().unwrap(), None);
    d.text_insert(&t, 0, "x").unwrap();
    assert!(d.can_undo());
}

#[test]
fn edits_within_the_window_form_one_step() {
    let (mut d, clock, t) = text_doc(1);
    for (i, ch) in "hello".chars().enumerate() {
        d.text_insert(&t, i, &ch.to_string()).unwrap();
        clock.advance(100);
    }
    clock.advance(1_000);
    d.text_insert(&t, 5, " world").unwrap();
    clock.advance(499);
    d.text_delete(&t, 0, 1).unwrap();
    assert_eq!(d.text_string(&t), "ello world");
    let out = d.undo().unwrap().unwrap();
    assert_eq!(d.text_string(&t), "hello");
    assert_eq!(out.caret.unwrap().index, 5);
    let out = d.undo().unwrap().unwrap();
    assert_eq!(d.text_string(&t), "");
    assert_eq!(out.caret.unwrap().index, 0);
    assert!(!d.can_undo());
    assert_eq!(d.undo().unwrap(), None);
}

#[test]
fn window_zero_makes_every_edit_a_step_and_groups_override_it() {
    let (mut d, _, t) = text_doc(1);
    d.set_undo_window_ms(0);
    d.text_insert(&t, 0, "a").unwrap();
    d.text_insert(&t, 1, "b").unwrap();
    d.undo_group_begin();
    d.text_insert(&t, 2, "c").unwrap();
    d.undo_group_begin(); // nested: still the outer group
    d.text_insert(&t, 3, "d").unwrap();
    d.undo_group_end();
    d.text_insert(&t, 4, "e").unwrap();
    d.undo_group_end();
    d.text_insert(&t, 5, "f").unwrap();
    let mut seen = vec![d.text_string(&t)];
    while d.undo().unwrap().is_some() {
        seen.push(d.text_string(&t));
    }
    assert_eq!(seen, ["abcdef", "abcde", "ab", "a", ""]);
}

#[test]
fn explicit_group_spans_any_time() {
    let (mut d, clock, t) = text_doc(1);
    d.undo_group(|d| {
        d.text_insert(&t, 0, "one ").unwrap();
        clock.advance(10_000);
        d.text_insert(&t, 4, "two").unwrap();
    });
    d.text_insert(&t, 7, "!").unwrap(); // right after the group: a new step
    d.undo().unwrap();
    assert_eq!(d.text_string(&t), "one two");
    d.undo().unwrap();
    assert_eq!(d.text_string(&t), "");
}

#[test]
fn redo_restores_and_a_new_edit_clears_redo() {
    let (mut d, clock, t) = text_doc(1);
    d.text_insert(&t, 0, "abc").unwrap();
    clock.advance(1_000);
    d.text_delete(&t, 1, 1).unwrap();
    d.undo().unwrap();
    d.undo().unwrap();
    assert_eq!(d.text_string(&t), "");
    assert!(d.can_redo());
    let out = d.redo().unwrap().unwrap();
    assert_eq!(d.text_string(&t), "abc");
    assert_eq!(out.caret.unwrap().index, 3);
    d.redo().unwrap();
    assert_eq!(d.text_string(&t), "ac");
    assert!(!d.can_redo());
    d.undo().unwrap();
    assert_eq!(d.text_string(&t), "abc");
    assert!(d.can_redo());
    d.text_insert(&t, 0, "X").unwrap();
    assert!(!d.can_redo());
    assert_eq!(d.redo().unwrap(), None);
    // Undo goes back through the new edit, then what was redone.
    d.undo().unwrap();
    assert_eq!(d.text_string(&t), "abc");
    d.undo().unwrap();
    assert_eq!(d.text_string(&t), "");
}

#[test]
fn undo_of_a_delete_puts_the_text_back_where_it_was_among_remote_edits() {
    let (mut a, clock, t) = text_doc(1);
    let (mut b, _, _) = text_doc(2);
    a.text_insert(&t, 0, "the quick brown fox").unwrap();
    sync(&mut a, &mut b);
    clock.advance(1_000);
    a.text_delete(&t, 4, 6).unwrap(); // "quick "
    b.text_insert(&t, 0, ">> ").unwrap();
    b.text_insert(&t, 22, "!").unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.text_string(&t), ">> the brown fox!");
    let out = a.undo().unwrap().unwrap();
    assert_eq!(a.text_string(&t), ">> the quick brown fox!");
    assert_eq!(out.caret.unwrap().index, 13, "after the restored text");
    sync(&mut a, &mut b);
    assert_eq!(b.text_string(&t), a.text_string(&t));
}

#[test]
fn undo_of_an_insert_deletes_only_this_replicas_characters() {
    let (mut a, clock, t) = text_doc(1);
    let (mut b, _, _) = text_doc(2);
    a.text_insert(&t, 0, "[]").unwrap();
    sync(&mut a, &mut b);
    clock.advance(1_000);
    a.text_insert(&t, 1, "mine").unwrap();
    sync(&mut a, &mut b);
    b.text_insert(&t, 3, "THEIRS").unwrap(); // inside Alice's word
    b.text_delete(&t, 1, 1).unwrap(); // and deletes her "m"
    sync(&mut a, &mut b);
    assert_eq!(a.text_string(&t), "[iTHEIRSne]");
    a.undo().unwrap();
    assert_eq!(a.text_string(&t), "[THEIRS]");
    sync(&mut a, &mut b);
    assert_eq!(b.text_string(&t), "[THEIRS]");
    // Redo brings back what the undo removed.
    a.redo().unwrap();
    assert_eq!(a.text_string(&t), "[iTHEIRSne]");
}

#[test]
fn chains_of_undo_and_redo_follow_recreated_characters() {
    let (mut d, clock, t) = text_doc(1);
    d.set_undo_window_ms(0);
    d.text_insert(&t, 0, "abc").unwrap();
    d.text_delete(&t, 1, 1).unwrap();
    clock.advance(1);
    for _ in 0..3 {
        d.undo().unwrap(); // "b" back, with a new id
        assert_eq!(d.text_string(&t), "abc");
        d.undo().unwrap(); // all of "abc", the new "b" included
        assert_eq!(d.text_string(&t), "");
        d.redo().unwrap();
        assert_eq!(d.text_string(&t), "abc");
        d.redo().unwrap();
        assert_eq!(d.text_string(&t), "ac");
    }
}

#[test]
fn root_and_nested_map_fields() {
    let (mut d, _) = clocked(1);
    d.set_undo_window_ms(0);
    d.set("title", "a");
    d.set("title", "b");
    d.delete("title");
    let m = d.map("meta").unwrap();
    d.map_set(&m, "k", 1).unwrap();
    d.map_set(&m, "k", 2).unwrap();
    d.undo().unwrap();
    assert_eq!(d.map_get(&m, "k"), Some(&FieldValue::Value(Value::Int(1))));
    d.undo().unwrap();
    assert_eq!(d.map_get(&m, "k"), None);
    d.undo().unwrap();
    assert_eq!(d.get("title"), Some(&Value::from("b")));
    d.undo().unwrap();
    assert_eq!(d.get("title"), Some(&Value::from("a")));
    d.undo().unwrap();
    assert_eq!(d.get("title"), None);
    d.redo().unwrap();
    d.redo().unwrap();
    assert_eq!(d.get("title"), Some(&Value::from("b")));
}

#[test]
fn a_field_overwritten_by_another_replica_is_left_alone() {
    let (mut a, clock) = clocked(1);
    let (mut b, bclock) = clocked(2);
    a.set("x", 1);
    sync(&mut a, &mut b);
    bclock.advance(10);
    b.set("x", 2);
    sync(&mut a, &mut b);
    clock.advance(1_000);
    assert_eq!(a.undo().unwrap(), None, "nothing of Alice's left to undo");
    assert_eq!(a.get("x"), Some(&Value::Int(2)));
}

#[test]
fn deleting_a_root_text_field_and_undoing_brings_its_content_back() {
    let (mut d, clock, t) = text_doc(1);
    d.text_insert(&t, 0, "keep me").unwrap();
    clock.advance(1_000);
    d.delete("t");
    assert_eq!(d.field("t"), None);
    d.undo().unwrap();
    assert_eq!(d.text_string(&t), "keep me");
    assert_eq!(d.field("t"), Some(&FieldValue::Container(t.id().clone())));
}

#[test]
fn counters_take_the_inverse_delta() {
    let (mut a, clock) = clocked(1);
    let (mut b, _) = clocked(2);
    let c = a.counter("n").unwrap();
    a.counter_add(&c, 5).unwrap();
    clock.advance(1_000);
    a.counter_add(&c, 2.5).unwrap();
    b.counter_add(&c, 100).unwrap();
    sync(&mut a, &mut b);
    a.undo().unwrap();
    assert_eq!(a.counter_value(&c), Number::Float(105.0));
    a.undo().unwrap();
    assert_eq!(a.counter_value(&c), Number::Float(100.0));
    a.redo().unwrap();
    sync(&mut a, &mut b);
    assert_eq!(b.counter_value(&c), Number::Float(105.0));
}

#[test]
fn sets_undo_only_this_replicas_tags() {
    let (mut a, clock) = clocked(1);
    let (mut b, _) = clocked(2);
    let s = a.or_set("s").unwrap();
    a.set_add(&s, "x").unwrap();
    a.set_add(&s, "y").unwrap();
    sync(&mut a, &mut b);
    b.set_add(&s, "x").unwrap(); // Bob adds "x" too
    sync(&mut a, &mut b);
    clock.advance(1_000);
    a.set_remove(&s, &Value::from("y")).unwrap();
    clock.advance(1_000);
    a.undo().unwrap(); // "y" back
    assert!(a.set_contains(&s, &Value::from("y")));
    a.undo().unwrap(); // Alice's adds gone; Bob's "x" stays
    assert_eq!(a.set_members(&s), vec![Value::from("x")]);
    a.redo().unwrap();
    assert!(a.set_contains(&s, &Value::from("y")));
    a.redo().unwrap();
    assert!(!a.set_contains(&s, &Value::from("y")));
    // Undo everything again through the re-created tags.
    a.undo().unwrap();
    a.undo().unwrap();
    assert_eq!(a.set_members(&s), vec![Value::from("x")]);
    sync(&mut a, &mut b);
    assert_eq!(b.set_members(&s), vec![Value::from("x")]);
}

#[test]
fn removing_a_member_added_by_others_and_undoing_restores_it() {
    let (mut a, clock) = clocked(1);
    let (mut b, _) = clocked(2);
    let s = b.or_set("s").unwrap();
    b.set_add(&s, 7).unwrap();
    sync(&mut a, &mut b);
    clock.advance(1_000);
    a.set_remove(&s, &Value::Int(7)).unwrap();
    assert!(a.set_members(&s).is_empty());
    a.undo().unwrap();
    assert_eq!(a.set_members(&s), vec![Value::Int(7)]);
}

#[test]
fn list_items_and_caret() {
    let (mut a, clock) = clocked(1);
    let (mut b, _) = clocked(2);
    let l: ListId = a.list("l").unwrap();
    for (i, v) in ["a", "b", "c", "d"].iter().enumerate() {
        a.list_insert(&l, i, *v).unwrap();
    }
    sync(&mut a, &mut b);
    clock.advance(1_000);
    a.list_delete(&l, 1, 2).unwrap();
    b.list_insert(&l, 0, "z").unwrap();
    sync(&mut a, &mut b);
    let out = a.undo().unwrap().unwrap();
    let vals: Vec<_> = a.list_values(&l);
    let want: Vec<FieldValue> = ["z", "a", "b", "c", "d"]
        .iter()
        .map(|s| FieldValue::Value(Value::from(*s)))
        .collect();
    assert_eq!(vals, want);
    let caret = out.caret.unwrap();
    assert_eq!(caret.cursor.container, l.id().clone());
    assert_eq!(caret.index, 4);
    a.undo().unwrap();
    assert_eq!(a.list_values(&l), vec![FieldValue::Value(Value::from("z"))]);
    sync(&mut a, &mut b);
    assert_eq!(b.list_values(&l), a.list_values(&l));
}

#[test]
fn nested_containers_in_lists_come_back_as_containers() {
    let (mut d, clock) = clocked(1);
    let l = d.list("l").unwrap();
    let card = MapId::from_id(d.list_insert_container(&l, 0, ContainerKind::Map).unwrap()).unwrap();
    d.map_set(&card, "title", "x").unwrap();
    clock.advance(1_000);
    d.list_delete(&l, 0, 1).unwrap();
    d.undo().unwrap();
    assert_eq!(d.list_len(&l), 1);
    assert!(
        matches!(d.list_get(&l, 0), Some(FieldValue::Container(c)) if c.kind() == ContainerKind::Map)
    );
}

#[test]
fn undo_edits_are_ordinary_changes_that_converge() {
    let (mut a, clock, t) = text_doc(1);
    let (mut b, bclock, _) = text_doc(2);
    let (mut c, _, _) = text_doc(3);
    a.text_insert(&t, 0, "shared base").unwrap();
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    for round in 0..5u64 {
        clock.advance(1_000);
        bclock.advance(1_000);
        a.text_insert(&t, (round as usize * 3) % a.text_len(&t), "A")
            .unwrap();
        a.text_delete(&t, 0, 1).unwrap();
        b.text_insert(&t, 0, "B").unwrap();
        c.text_delete(&t, 1, 1).unwrap();
        if round % 2 == 0 {
            a.undo().unwrap();
        } else {
            sync(&mut a, &mut b);
            a.undo().unwrap();
            a.redo().unwrap();
        }
        sync(&mut b, &mut c);
    }
    sync(&mut a, &mut b);
    sync(&mut b, &mut c);
    sync(&mut a, &mut c);
    assert_eq!(a.text_string(&t), b.text_string(&t));
    assert_eq!(b.text_string(&t), c.text_string(&t));
    assert_eq!(a.to_value(), c.to_value());
}

#[test]
fn recording_is_off_by_default() {
    let mut d = Doc::new(ReplicaId(1));
    let t = d.text("t").unwrap();
    d.text_insert(&t, 0, "a").unwrap();
    assert!(!d.can_undo());
    assert_eq!(d.undo().unwrap(), None);
    assert_eq!(d.text_string(&t), "a");
}

#[test]
fn undo_can_be_turned_off_and_cleared() {
    let (mut d, _, t) = text_doc(1);
    d.text_insert(&t, 0, "a").unwrap();
    d.clear_undo();
    assert!(!d.can_undo());
    d.set_undo_enabled(false);
    d.text_insert(&t, 0, "b").unwrap();
    assert!(!d.can_undo());
    d.set_undo_enabled(true);
    d.text_insert(&t, 0, "c").unwrap();
    d.undo().unwrap();
    assert_eq!(d.text_string(&t), "ba");
}

#[test]
fn undo_and_redo_emit_events_like_any_edit() {
    use weft_core::{Diff, TextDelta};
    let (mut d, clock, t) = text_doc(1);
    d.text_insert(&t, 0, "hello").unwrap();
    clock.advance(1_000);
    d.text_delete(&t, 1, 3).unwrap();
    d.record_events(true);
    d.undo().unwrap();
    let events = d.take_events();
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].diff,
        Diff::Text(vec![TextDelta::Retain(1), TextDelta::Insert("ell".into())])
    );
    d.redo().unwrap();
    assert_eq!(
        d.take_events()[0].diff,
        Diff::Text(vec![TextDelta::Retain(1), TextDelta::Delete(3)])
    );
}

#[test]
fn text_loaded_from_a_snapshot_comes_back_with_its_content() {
    // Snapshots keep deleted text only as placeholders; text deleted after loading
    // was visible, so its undo step holds the real characters.
    let (mut a, _, t) = text_doc(1);
    a.text_insert(&t, 0, "gone kept").unwrap();
    a.text_delete(&t, 0, 5).unwrap();
    for bytes in [a.export_snapshot(), a.export_state()] {
        let (mut b, clock) = clocked(2);
        b.import(&bytes).unwrap();
        clock.advance(1_000);
        b.text_delete(&t, 0, 4).unwrap();
        assert_eq!(b.text_string(&t), "");
        b.undo().unwrap();
        assert_eq!(b.text_string(&t), "kept");
        assert_eq!(b.undo().unwrap(), None, "nothing from before loading");
    }
}
