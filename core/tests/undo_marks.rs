//! Undo and redo of formatting. Undoing a mark op takes back what it did on the
//! characters where this replica's formatting is still the latest, giving them
//! what they had without it; a collaborator's later formatting is kept, and text
//! others typed inside the range loses only what it had from the undone op.

mod marks_common;

use std::sync::Arc;

use marks_common::{render, sync};
use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId, TextId, Value};

/// Replicas 1 and 2 sharing `content` in text "t"; undo is on in replica 1, one
/// step per edit, and the shared content is not a step.
fn pair(content: &str) -> (Doc, Doc, TextId) {
    let clock = FixedClock::new(1_000);
    let mut a = Doc::with_clock(ReplicaId(1), Arc::new(clock.clone()));
    let mut b = Doc::with_clock(ReplicaId(2), Arc::new(clock));
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, content).unwrap();
    sync(&mut a, &mut b);
    a.set_undo_enabled(true);
    a.set_undo_window_ms(0);
    (a, b, t)
}

fn undo(d: &mut Doc) {
    d.undo().unwrap().expect("a step to undo");
}

fn redo(d: &mut Doc) {
    d.redo().unwrap().expect("a step to redo");
}

#[test]
fn bold_then_undo_then_redo() {
    let (mut a, _, t) = pair("hello world");
    a.text_mark(&t, 0, 5, "bold", true).unwrap();
    assert_eq!(render(&a, &t), "[hello]{bold} world");
    let out = a.undo().unwrap().unwrap();
    assert_eq!(render(&a, &t), "hello world");
    assert_eq!(out.caret.map(|c| c.index), Some(5));
    redo(&mut a);
    assert_eq!(render(&a, &t), "[hello]{bold} world");
    // The redone mark expands as bold does.
    a.text_insert(&t, 5, "!").unwrap();
    assert_eq!(render(&a, &t), "[hello!]{bold} world");
    undo(&mut a);
    undo(&mut a);
    assert_eq!(render(&a, &t), "hello world");
    // The undone mark no longer expands: typing at its old end is plain.
    a.text_insert(&t, 5, "!").unwrap();
    assert_eq!(render(&a, &t), "hello! world");
}

#[test]
fn unbold_then_undo_restores_bold() {
    let (mut a, mut b, t) = pair("hello world");
    // One bold run from a collaborator, one of A's own (older steps).
    b.text_mark(&t, 0, 5, "bold", true).unwrap();
    sync(&mut a, &mut b);
    a.text_mark(&t, 6, 11, "bold", true).unwrap();
    a.text_unmark(&t, 2, 8, "bold").unwrap();
    assert_eq!(render(&a, &t), "[he]{bold}llo wo[rld]{bold}");
    undo(&mut a);
    assert_eq!(render(&a, &t), "[hello]{bold} [world]{bold}");
    redo(&mut a);
    assert_eq!(render(&a, &t), "[he]{bold}llo wo[rld]{bold}");
    undo(&mut a);
    undo(&mut a);
    assert_eq!(render(&a, &t), "[hello]{bold} world");
    assert!(!a.can_undo());
    sync(&mut a, &mut b);
    assert_eq!(render(&b, &t), "[hello]{bold} world");
}

#[test]
fn link_change_then_undo_restores_the_old_href() {
    let (mut a, _, t) = pair("see docs here");
    a.text_mark(&t, 4, 8, "link", "https://a.example").unwrap();
    a.text_mark(&t, 0, 8, "link", "https://b.example").unwrap();
    assert_eq!(render(&a, &t), "[see docs]{link=https://b.example} here");
    undo(&mut a);
    assert_eq!(render(&a, &t), "see [docs]{link=https://a.example} here");
    undo(&mut a);
    assert_eq!(render(&a, &t), "see docs here");
    redo(&mut a);
    redo(&mut a);
    assert_eq!(render(&a, &t), "[see docs]{link=https://b.example} here");
}

#[test]
fn comment_undo_touches_only_that_comment() {
    let (mut a, mut b, t) = pair("abcdefgh");
    b.text_mark(&t, 0, 6, "comment", "c1").unwrap();
    sync(&mut a, &mut b);
    a.text_mark(&t, 2, 8, "comment", "c2").unwrap();
    assert_eq!(
        render(&a, &t),
        "[ab]{comment=c1}[cdef]{comment=c1+c2}[gh]{comment=c2}"
    );
    // Removing c1 alone, then undoing that, leaves c2 as it is.
    a.text_unmark_value(&t, 0, 8, "comment", &Value::from("c1"))
        .unwrap();
    assert_eq!(render(&a, &t), "ab[cdefgh]{comment=c2}");
    undo(&mut a);
    assert_eq!(
        render(&a, &t),
        "[ab]{comment=c1}[cdef]{comment=c1+c2}[gh]{comment=c2}"
    );
    undo(&mut a);
    assert_eq!(render(&a, &t), "[abcdef]{comment=c1}gh");
    redo(&mut a);
    // Removing every comment is one op per comment, one step: undone together.
    a.text_unmark(&t, 0, 8, "comment").unwrap();
    assert_eq!(render(&a, &t), "abcdefgh");
    undo(&mut a);
    assert_eq!(
        render(&a, &t),
        "[ab]{comment=c1}[cdef]{comment=c1+c2}[gh]{comment=c2}"
    );
}

#[test]
fn text_others_type_inside_the_range_keeps_its_own_formatting() {
    let (mut a, mut b, t) = pair("hello world");
    a.text_mark(&t, 0, 11, "bold", true).unwrap();
    // Concurrently, B types inside the range and italicises it.
    b.text_insert(&t, 5, " big").unwrap();
    b.text_mark(&t, 6, 9, "italic", true).unwrap();
    sync(&mut a, &mut b);
    // After seeing the bold, B types more inside it (bold by expansion
    // rules, from A's op) and bolds a word of its own.
    b.text_insert(&t, 0, ">").unwrap();
    b.text_insert(&t, 3, "y").unwrap();
    b.text_mark(&t, 12, 17, "bold", true).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(
        render(&a, &t),
        ">[heyllo ]{bold}[big]{bold,italic}[ world]{bold}"
    );
    undo(&mut a);
    // A's bold is gone where it was A's: from the original characters and from
    // B's "y" (bold only through A's op); B's own bold on "world" stays.
    assert_eq!(render(&a, &t), ">heyllo [big]{italic} [world]{bold}");
    sync(&mut a, &mut b);
    assert_eq!(render(&b, &t), render(&a, &t));
    redo(&mut a);
    assert_eq!(
        render(&a, &t),
        ">[heyllo ]{bold}[big]{bold,italic}[ world]{bold}"
    );
}

#[test]
fn a_collaborators_later_formatting_is_not_undone() {
    let (mut a, mut b, t) = pair("abcdefgh");
    a.text_mark(&t, 0, 8, "link", "https://a.example").unwrap();
    sync(&mut a, &mut b);
    b.text_mark(&t, 2, 4, "link", "https://b.example").unwrap();
    sync(&mut a, &mut b);
    undo(&mut a);
    assert_eq!(render(&a, &t), "ab[cd]{link=https://b.example}efgh");
}

#[test]
fn undo_of_a_mark_whose_text_was_deleted_by_others_is_skipped() {
    let (mut a, mut b, t) = pair("abcdefgh");
    a.text_insert(&t, 8, "!").unwrap();
    a.text_mark(&t, 2, 4, "bold", true).unwrap();
    b.text_delete(&t, 1, 4).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(render(&a, &t), "afgh!");
    // Nothing of the bold is left to take back: the step before it is undone.
    undo(&mut a);
    assert_eq!(render(&a, &t), "afgh");
    assert!(!a.can_undo());
}

#[test]
fn bold_and_unbold_in_one_step_undo_to_the_start() {
    let (mut a, _, t) = pair("abcdef");
    a.undo_group(|d| {
        d.text_mark(&t, 0, 6, "bold", true).unwrap();
        d.text_unmark(&t, 2, 4, "bold").unwrap();
        d.text_mark(&t, 3, 5, "underline", true).unwrap();
    });
    assert_eq!(
        render(&a, &t),
        "[ab]{bold}c[d]{underline}[e]{bold,underline}[f]{bold}"
    );
    undo(&mut a);
    assert_eq!(render(&a, &t), "abcdef");
    redo(&mut a);
    assert_eq!(
        render(&a, &t),
        "[ab]{bold}c[d]{underline}[e]{bold,underline}[f]{bold}"
    );
}

#[test]
fn deleted_formatted_text_comes_back_formatted() {
    let (mut a, mut b, t) = pair("say hello world");
    b.text_mark(&t, 4, 9, "bold", true).unwrap();
    b.text_mark(&t, 0, 9, "comment", "c1").unwrap();
    sync(&mut a, &mut b);
    let before = render(&a, &t);
    assert_eq!(before, "[say ]{comment=c1}[hello]{bold,comment=c1} world");
    // The whole bold word and the comment's end: the copies undo inserts lie
    // outside the originals' anchors, yet get their formatting back.
    a.text_delete(&t, 3, 7).unwrap();
    assert_eq!(render(&a, &t), "[say]{comment=c1}world");
    undo(&mut a);
    assert_eq!(render(&a, &t), before);
    redo(&mut a);
    undo(&mut a);
    assert_eq!(render(&a, &t), before);
    sync(&mut a, &mut b);
    assert_eq!(render(&b, &t), before);
}

#[test]
fn typed_and_bolded_text_is_bold_again_after_undo_and_redo() {
    let (mut a, _, t) = pair("ab");
    a.text_insert(&t, 1, "xyz").unwrap();
    a.text_mark(&t, 1, 4, "bold", true).unwrap();
    a.text_mark(&t, 2, 3, "link", "https://y.example").unwrap();
    let want = render(&a, &t);
    assert_eq!(want, "a[x]{bold}[y]{bold,link=https://y.example}[z]{bold}b");
    for _ in 0..2 {
        undo(&mut a);
        undo(&mut a);
        undo(&mut a);
        assert_eq!(render(&a, &t), "ab");
        redo(&mut a);
        assert_eq!(render(&a, &t), "axyzb");
        redo(&mut a);
        redo(&mut a);
        assert_eq!(render(&a, &t), want);
    }
}

#[test]
fn a_character_deleted_under_an_undone_bold_comes_back_as_it_was() {
    // The shape of the kept undo_prop seed 5a98585b. A deletes "d"; B, not yet
    // aware, bolds "abc" and "efg", which leaves "d" outside both. A then bolds
    // across the tombstone, "d" included, and undoes everything. Undoing the bold
    // changes nothing visible ("b", "c", "e", "f" keep B's bold), but "d" must
    // lose it: brought back by the undo of the delete, it is plain as before.
    let (mut a, mut b, t) = pair("abcdefgh");
    a.text_delete(&t, 3, 1).unwrap();
    b.text_mark(&t, 0, 3, "bold", true).unwrap();
    b.text_mark(&t, 4, 7, "bold", true).unwrap();
    sync(&mut a, &mut b);
    a.text_mark(&t, 1, 5, "bold", true).unwrap();
    assert_eq!(render(&a, &t), "[abcefg]{bold}h");
    // Bold and delete are undone by one call: the bold's undo alone shows nothing.
    undo(&mut a);
    assert_eq!(render(&a, &t), "[abc]{bold}d[efg]{bold}h");
    assert!(!a.can_undo());
    // And redone by one: the bold comes back on the tombstone with the delete.
    redo(&mut a);
    assert_eq!(render(&a, &t), "[abcefg]{bold}h");
    assert!(!a.can_redo());
    undo(&mut a);
    assert_eq!(render(&a, &t), "[abc]{bold}d[efg]{bold}h");
    sync(&mut a, &mut b);
    assert_eq!(render(&b, &t), render(&a, &t));
}
