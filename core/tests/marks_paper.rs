//! The worked examples of the Peritext paper (Litt, Lim, Kleppmann, van
//! Hardenberg, 2022), each as two replicas editing concurrently and then
//! syncing; plus the API's contract (events, encodings, errors, UTF-16).

mod marks_common;

use std::sync::Arc;

use marks_common::{pair, render, replica, send, sync};
use weft_core::clock::FixedClock;
use weft_core::{Diff, Doc, Expand, ReplicaId, TextDelta, Value};

const FOX: &str = "The quick fox jumped";

/// Both replicas show `expected`.
fn converged(a: &Doc, b: &Doc, t: &weft_core::TextId, expected: &str) {
    assert_eq!(render(a, t), expected, "replica a");
    assert_eq!(render(b, t), expected, "replica b");
}

#[test]
fn concurrent_bold_and_italic_overlap() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 0, 9, "bold", true).unwrap(); // "The quick"
    b.text_mark(&t, 4, 13, "italic", true).unwrap(); // "quick fox"
    sync(&mut a, &mut b);
    converged(
        &a,
        &b,
        &t,
        "[The ]{bold}[quick]{bold,italic}[ fox]{italic} jumped",
    );
}

/// Bold and un-bold of overlapping ranges: in the overlap the later op wins, on
/// both replicas, whichever it is.
#[test]
fn concurrent_bold_and_unbold_later_wins() {
    for bob_later in [false, true] {
        let (ca, cb) = (FixedClock::new(1_000), FixedClock::new(1_000));
        let mut a = Doc::with_clock(ReplicaId(1), Arc::new(ca.clone()));
        let mut b = Doc::with_clock(ReplicaId(2), Arc::new(cb.clone()));
        let t = a.text("t").unwrap();
        a.text_insert(&t, 0, FOX).unwrap();
        a.text_mark(&t, 0, 20, "bold", true).unwrap();
        send(&mut a, &mut b);
        if bob_later {
            cb.set(9_000);
        } else {
            ca.set(9_000);
        }
        // Alice bolds again "The quick fox" (a no-op for her), Bob un-bolds
        // "quick fox jumped", concurrently.
        a.text_mark(&t, 0, 13, "bold", true).unwrap();
        b.text_unmark(&t, 4, 20, "bold").unwrap();
        sync(&mut a, &mut b);
        let expected = if bob_later {
            "[The ]{bold}quick fox jumped"
        } else {
            "[The quick fox]{bold} jumped"
        };
        converged(&a, &b, &t, expected);
    }
}

#[test]
fn conflicting_link_values_resolve_by_last_writer() {
    let mut a = Doc::with_clock(ReplicaId(1), Arc::new(FixedClock::new(1_000)));
    let mut b = Doc::with_clock(ReplicaId(2), Arc::new(FixedClock::new(2_000)));
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, FOX).unwrap();
    send(&mut a, &mut b);
    a.text_mark(&t, 10, 13, "link", "https://a.example")
        .unwrap(); // "fox"
    b.text_mark(&t, 4, 13, "link", "https://b.example").unwrap(); // "quick fox"
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "The [quick fox]{link=https://b.example} jumped");
}

/// Text typed concurrently at the end of a bold span is bold (bold expands);
/// at its start it is not.
#[test]
fn concurrent_insert_at_bold_boundaries() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 4, 9, "bold", true).unwrap(); // "quick"
    b.text_insert(&t, 9, "er").unwrap(); // "quicker"
    b.text_insert(&t, 4, "so ").unwrap(); // "so quicker"
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "The so [quicker]{bold} fox jumped");
}

/// A link never grows: text typed at either end, concurrently or after seeing
/// it, stays plain.
#[test]
fn link_does_not_expand() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 10, 13, "link", "https://fox.example")
        .unwrap(); // "fox"
    b.text_insert(&t, 13, "es").unwrap();
    sync(&mut a, &mut b);
    converged(
        &a,
        &b,
        &t,
        "The quick [fox]{link=https://fox.example}es jumped",
    );
    a.text_insert(&t, 10, "red ").unwrap();
    a.text_insert(&t, 17, "y").unwrap(); // after "fox"
    sync(&mut a, &mut b);
    converged(
        &a,
        &b,
        &t,
        "The quick red [fox]{link=https://fox.example}yes jumped",
    );
}

#[test]
fn concurrent_insert_inside_a_formatted_range_takes_its_format() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 4, 13, "bold", true).unwrap(); // "quick fox"
    b.text_insert(&t, 10, "brown ").unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "The [quick brown fox]{bold} jumped");
}

#[test]
fn concurrent_unformat_and_insert_inside() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 0, 20, "bold", true).unwrap();
    sync(&mut a, &mut b);
    a.text_unmark(&t, 4, 13, "bold").unwrap(); // "quick fox"
    b.text_insert(&t, 10, "brown ").unwrap(); // typed bold, inside
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "[The ]{bold}quick brown fox[ jumped]{bold}");
}

#[test]
fn overlapping_comments_and_removing_one() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 0, 9, "comment", "c1").unwrap(); // "The quick"
    b.text_mark(&t, 4, 13, "comment", "c2").unwrap(); // "quick fox"
    sync(&mut a, &mut b);
    converged(
        &a,
        &b,
        &t,
        "[The ]{comment=c1}[quick]{comment=c1+c2}[ fox]{comment=c2} jumped",
    );
    let runs = a.text_delta(&t);
    assert_eq!(
        runs[1].attributes.get("comment"),
        Some(&Value::Array(vec!["c1".into(), "c2".into()]))
    );
    // Removing c1 (over the whole text) leaves c2.
    b.text_unmark_value(&t, 0, 20, "comment", &Value::from("c1"))
        .unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "The [quick fox]{comment=c2} jumped");
    // Removing every comment of a range removes the ones seen there.
    a.text_unmark(&t, 0, 20, "comment").unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, FOX);
}

/// Formatting text that a peer deletes concurrently: the survivors get the
/// format, the deleted part is simply gone.
#[test]
fn formatting_concurrently_deleted_text() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_delete(&t, 4, 6).unwrap(); // "quick "
    b.text_mark(&t, 0, 13, "bold", true).unwrap(); // "The quick fox"
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "[The fox]{bold} jumped");
    // Formatting only deleted text shows nothing.
    let (mut a, mut b, t) = pair(FOX);
    a.text_delete(&t, 4, 6).unwrap();
    b.text_mark(&t, 4, 9, "italic", true).unwrap(); // "quick"
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "The fox jumped");
}

/// The characters a mark is anchored to are deleted: the mark keeps its place
/// (tombstones keep their order), and bold still extends to text typed where
/// its deleted end was.
#[test]
fn formatting_whose_end_is_later_deleted() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 4, 13, "bold", true).unwrap(); // "quick fox"
    sync(&mut a, &mut b);
    b.text_delete(&t, 10, 3).unwrap(); // "fox"
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "The [quick ]{bold} jumped");
    a.text_insert(&t, 10, "cat").unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "The [quick cat]{bold} jumped");
}

/// Peritext's rule for typing at a boundary where deleted characters sit: the
/// end of a link whose last characters were deleted (concurrently with the link)
/// does not swallow what is typed at its visible end.
#[test]
fn insert_at_link_boundary_after_concurrent_deletion() {
    let (mut a, mut b, t) = pair("see here now");
    a.text_mark(&t, 4, 8, "link", "https://x.example").unwrap(); // "here"
    b.text_delete(&t, 6, 2).unwrap(); // "re"
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "see [he]{link=https://x.example} now");
    b.text_insert(&t, 6, "llo").unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "see [he]{link=https://x.example}llo now");
    // Bold expands at its end, deleted characters or not.
    let (mut a, mut b, t) = pair("see here now");
    a.text_mark(&t, 4, 8, "bold", true).unwrap();
    b.text_delete(&t, 6, 2).unwrap();
    sync(&mut a, &mut b);
    a.text_insert(&t, 6, "llo").unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "see [hello]{bold} now");
}

#[test]
fn application_marks_with_declared_expansion() {
    let (mut a, mut b, t) = pair("abcdef");
    a.define_mark("highlight", Expand::Both);
    a.define_mark("mention", Expand::Before);
    a.text_mark(&t, 2, 4, "highlight", "yellow").unwrap(); // "cd"
    sync(&mut a, &mut b);
    // b never declared "highlight": the anchors carry the behaviour.
    b.text_insert(&t, 4, "X").unwrap();
    b.text_insert(&t, 2, "Y").unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "ab[YcdX]{highlight=yellow}ef");
    a.text_mark(&t, 0, 1, "mention", "@ann").unwrap();
    a.text_insert(&t, 0, ">").unwrap();
    a.text_insert(&t, 2, "<").unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "[>a]{mention=@ann}<b[YcdX]{highlight=yellow}ef");
    // Unknown names do not expand.
    assert_eq!(b.mark_expand("highlight"), Expand::None);
    assert_eq!(b.mark_expand("bold"), Expand::After);
    assert_eq!(b.mark_expand("link"), Expand::None);
}

#[test]
fn mark_delivered_before_its_characters_waits() {
    let mut a = replica(1);
    let mut b = replica(2);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "hello").unwrap();
    a.commit();
    a.text_mark(&t, 0, 5, "bold", true).unwrap();
    let changes = a.changes();
    assert_eq!(changes.len(), 2);
    b.apply_changes(vec![changes[1].clone()]).unwrap();
    assert_eq!(b.buffered_changes(), 1);
    b.apply_changes(vec![changes[0].clone()]).unwrap();
    assert_eq!(render(&b, &t), "[hello]{bold}");
}

#[test]
fn unmark_and_remark_restore_previous_states() {
    let mut a = replica(1);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, FOX).unwrap();
    a.text_mark(&t, 4, 9, "bold", true).unwrap();
    let before = a.text_delta(&t);
    a.text_unmark(&t, 4, 9, "bold").unwrap();
    assert_eq!(render(&a, &t), FOX);
    a.text_mark(&t, 4, 9, "bold", true).unwrap();
    assert_eq!(a.text_delta(&t), before);
    // Re-setting a previous link value restores it.
    a.text_mark(&t, 0, 3, "link", "https://1.example").unwrap();
    a.text_mark(&t, 0, 3, "link", "https://2.example").unwrap();
    a.text_mark(&t, 0, 3, "link", "https://1.example").unwrap();
    assert!(render(&a, &t).starts_with("[The]{link=https://1.example}"));
}

#[test]
fn events_carry_formatting() {
    let (mut a, mut b, t) = pair(FOX);
    a.record_events(true);
    b.record_events(true);
    a.text_mark(&t, 4, 9, "bold", true).unwrap();
    let mut attrs = weft_core::Attributes::new();
    attrs.insert(Arc::from("bold"), Value::Bool(true));
    let expected = Diff::Text(vec![
        TextDelta::Retain(4),
        TextDelta::Format(5, attrs.clone()),
    ]);
    assert_eq!(a.take_events()[0].diff, expected);
    send(&mut a, &mut b);
    assert_eq!(b.take_events()[0].diff, expected);
    // Typing at the end of bold text is announced as bold.
    a.text_insert(&t, 9, "er").unwrap();
    let ins = Diff::Text(vec![
        TextDelta::Retain(9),
        TextDelta::InsertFormatted("er".into(), attrs.clone()),
    ]);
    assert_eq!(a.take_events()[0].diff, ins);
    send(&mut a, &mut b);
    assert_eq!(b.take_events()[0].diff, ins);
    // Removing is a Null attribute; a mark that changes nothing records nothing.
    a.text_unmark(&t, 4, 11, "bold").unwrap();
    let mut gone = weft_core::Attributes::new();
    gone.insert(Arc::from("bold"), Value::Null);
    assert_eq!(
        a.take_events()[0].diff,
        Diff::Text(vec![TextDelta::Retain(4), TextDelta::Format(7, gone)])
    );
    a.text_unmark(&t, 0, 3, "italic").unwrap();
    assert!(a.take_events().is_empty());
    // Applying the deltas to the previous runs gives the new runs.
    send(&mut a, &mut b);
    assert_eq!(render(&b, &t), FOX[..9].to_owned() + "er" + &FOX[9..]);
}

#[test]
fn snapshots_and_state_keep_marks() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 0, 9, "bold", true).unwrap();
    b.text_mark(&t, 4, 13, "comment", "c9").unwrap();
    b.text_delete(&t, 0, 4).unwrap();
    sync(&mut a, &mut b);
    let expected = render(&a, &t);
    for bytes in [a.export_snapshot(), a.export_state()] {
        let mut fresh = replica(3);
        fresh.import(&bytes).unwrap();
        assert_eq!(render(&fresh, &t), expected);
        assert_eq!(fresh.export_state(), a.export_state());
        // Typing after load still follows the marks' anchors: bold grows at
        // the end of "quick" ("The " was deleted)
        let mut twin = a.clone();
        fresh.text_insert(&t, 5, "ly").unwrap();
        twin.text_insert(&t, 5, "ly").unwrap();
        assert_eq!(render(&fresh, &t), render(&twin, &t));
        // (inside the comment too: it spans "quick fox").
        assert_eq!(
            render(&fresh, &t),
            "[quickly]{bold,comment=c9}[ fox]{comment=c9} jumped"
        );
    }
    // A snapshot merged into a replica with content merges its mark ops.
    let mut c = replica(4);
    let tc = c.text("t").unwrap();
    assert_eq!(tc, t);
    c.import(&a.export_snapshot()).unwrap();
    c.text_insert(&t, 0, "x").unwrap();
    c.import(&a.export_snapshot()).unwrap();
    assert_eq!(render(&c, &t), format!("x{expected}"));
}

#[test]
fn plain_documents_encode_as_before() {
    // No marks: no trailer, so the bytes do not depend on this feature.
    let mut a = replica(1);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, FOX).unwrap();
    let plain = a.export_changes(&Default::default());
    a.text_mark(&t, 0, 3, "bold", true).unwrap();
    let marked = a.export_changes(&Default::default());
    assert!(marked.len() > plain.len());
    let mut b = replica(2);
    b.import(&plain).unwrap();
    assert_eq!(b.text_delta(&t).len(), 1);
}

#[test]
fn invalid_marks_are_typed_errors() {
    let mut a = replica(1);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "abc").unwrap();
    let e = a.text_mark(&t, 0, 2, "link", true).unwrap_err();
    assert_eq!(e.code(), "WEFT_MARK");
    let e = a.text_mark(&t, 0, 2, "comment", 3).unwrap_err();
    assert_eq!(e.code(), "WEFT_MARK");
    let e = a.text_mark(&t, 0, 2, "bold", Value::Null).unwrap_err();
    assert_eq!(e.code(), "WEFT_MARK");
    let e = a.text_mark(&t, 0, 2, "", true).unwrap_err();
    assert_eq!(e.code(), "WEFT_MARK");
    let e = a.text_mark(&t, 2, 1, "bold", true).unwrap_err();
    assert_eq!(e.code(), "WEFT_MARK");
    let e = a.text_mark(&t, 0, 4, "bold", true).unwrap_err();
    assert_eq!(e.code(), "WEFT_INDEX");
    // Empty ranges record nothing.
    let v = a.version().clone();
    a.text_mark(&t, 1, 1, "bold", true).unwrap();
    assert_eq!(a.version(), &v);
    assert_eq!(render(&a, &t), "abc");
}

#[test]
fn utf16_offsets() {
    let mut a = replica(1);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "a😀b😀c").unwrap();
    a.text_mark_utf16(&t, 1, 4, "bold", true).unwrap(); // "😀b"
    assert_eq!(render(&a, &t), "a[😀b]{bold}😀c");
    a.text_unmark_utf16(&t, 3, 4, "bold").unwrap(); // "b"
    assert_eq!(render(&a, &t), "a[😀]{bold}b😀c");
}

/// How undo inverts a mark op: record the range's anchors and formatting
/// before it, then re-apply that formatting between the same anchors. Text
/// typed inside the range meanwhile is restored with it.
#[test]
fn a_mark_op_is_inverted_over_its_anchors() {
    let (mut a, mut b, t) = pair(FOX);
    a.text_mark(&t, 4, 9, "italic", true).unwrap(); // "quick"
    let before = render(&a, &t);
    // The op to undo: bold over "The quick fox", with its anchors and the
    // formatting it replaces.
    let (s, e) = a.text_mark_anchors(&t, 0, 13, "bold").unwrap().unwrap();
    let prior = a.text_format_runs(&t, 0, 13).unwrap();
    a.text_mark(&t, 0, 13, "bold", true).unwrap();
    sync(&mut a, &mut b);
    b.text_insert(&t, 6, "i").unwrap(); // "quiick", inside the range
    sync(&mut a, &mut b);
    // Undo: every mark the op set goes back to what it was (here: absent).
    let bold_before = prior.iter().any(|(_, attrs)| attrs.contains_key("bold"));
    assert!(!bold_before);
    a.text_mark_between(&t, s, e, "bold", Value::Null, true)
        .unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, &before.replace("quick", "quiick"));
    // Anchors must exist.
    let bad = weft_core::change::Anchor::After(weft_core::OpId::new(ReplicaId(77), 1));
    let e = a
        .text_mark_between(&t, bad, e, "bold", Value::Bool(true), false)
        .unwrap_err();
    assert_eq!(e.code(), "WEFT_MARK");
}

/// A mark op keeps the stamp it was made with, even when the same replica's
/// later typing would otherwise be folded into its change: a replica that only
/// reads the log must resolve conflicts exactly as the author did.
#[test]
fn a_mark_keeps_its_stamp_in_the_log() {
    let (ca, cb) = (FixedClock::new(1_000), FixedClock::new(1_000));
    let mut a = Doc::with_clock(ReplicaId(1), Arc::new(ca.clone()));
    let mut b = Doc::with_clock(ReplicaId(2), Arc::new(cb.clone()));
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "abc").unwrap();
    a.commit();
    send(&mut a, &mut b);
    a.text_mark(&t, 0, 3, "bold", true).unwrap();
    a.commit();
    ca.set(9_000);
    a.text_insert(&t, 3, "d").unwrap();
    a.commit();
    cb.set(5_000);
    b.text_unmark(&t, 0, 3, "bold").unwrap(); // later than the bold, earlier than "d"
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "abcd");
    let mut c = replica(3);
    c.import(&a.export_changes(&Default::default())).unwrap();
    c.import(&b.export_changes(&Default::default())).unwrap();
    assert_eq!(render(&c, &t), "abcd");
    let mut d = replica(4);
    d.import(&a.export_snapshot()).unwrap();
    assert_eq!(render(&d, &t), "abcd");
}

/// Between two visible characters lie tombstones where one mark ends (a link,
/// after its deleted last character) and another starts (bold, before its
/// deleted first character): typing there goes between the two boundaries,
/// taking neither.
#[test]
fn typing_between_deleted_boundaries_takes_neither_mark() {
    let (mut a, mut b, t) = pair("abcdef");
    a.text_mark(&t, 2, 4, "link", "https://cd.example").unwrap(); // "cd"
    b.text_mark(&t, 4, 6, "bold", true).unwrap(); // "ef"
    sync(&mut a, &mut b);
    a.text_delete(&t, 3, 2).unwrap(); // "de"
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "ab[c]{link=https://cd.example}[f]{bold}");
    b.text_insert(&t, 3, "X").unwrap();
    sync(&mut a, &mut b);
    converged(&a, &b, &t, "ab[c]{link=https://cd.example}X[f]{bold}");
}
