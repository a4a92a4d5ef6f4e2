//! Stable cursors: gravity, concurrent edits from other replicas, deleted anchors,
//! export/import, transfer to other replicas, and the byte encoding.

use proptest::prelude::*;
use weft_core::{
    Anchor, ContainerKind, Cursor, DecodeError, Doc, DocError, Gravity, ListId, ReplicaId, TextId,
};

fn sync(a: &mut Doc, b: &mut Doc) {
    b.import(&a.export_changes(b.version())).unwrap();
    a.import(&b.export_changes(a.version())).unwrap();
}

fn doc_with(text: &str) -> (Doc, TextId) {
    let mut d = Doc::new(ReplicaId(1));
    let t = d.text("t").unwrap();
    d.text_insert(&t, 0, text).unwrap();
    (d, t)
}

#[test]
fn gravity_decides_which_side_an_insert_at_the_cursor_goes() {
    let (mut d, t) = doc_with("abcd");
    let left = d.text_cursor(&t, 2, Gravity::Left).unwrap();
    let right = d.text_cursor(&t, 2, Gravity::Right).unwrap();
    assert_eq!(d.cursor_index(&left).unwrap(), 2);
    assert_eq!(d.cursor_index(&right).unwrap(), 2);
    d.text_insert(&t, 2, "XY").unwrap();
    assert_eq!(d.cursor_index(&left).unwrap(), 2, "left stays after 'b'");
    assert_eq!(d.cursor_index(&right).unwrap(), 4, "right stays before 'c'");
    d.text_insert(&t, 0, "__").unwrap();
    assert_eq!(d.cursor_index(&left).unwrap(), 4);
    assert_eq!(d.cursor_index(&right).unwrap(), 6);
    d.text_insert(&t, 8, "!").unwrap();
    assert_eq!(
        d.cursor_index(&right).unwrap(),
        6,
        "inserts after do not move it"
    );
}

#[test]
fn start_and_end_anchors() {
    let (mut d, t) = doc_with("abc");
    let start = d.text_cursor(&t, 0, Gravity::Left).unwrap();
    let end = d.text_cursor(&t, 3, Gravity::Right).unwrap();
    assert_eq!(start.anchor, Anchor::Start);
    assert_eq!(end.anchor, Anchor::End);
    let first = d.text_cursor(&t, 0, Gravity::Right).unwrap();
    d.text_insert(&t, 0, "12").unwrap();
    d.text_insert(&t, 5, "34").unwrap();
    assert_eq!(d.cursor_index(&start).unwrap(), 0);
    assert_eq!(d.cursor_index(&end).unwrap(), 7);
    assert_eq!(d.cursor_index(&first).unwrap(), 2, "stays before 'a'");
    assert!(matches!(
        d.text_cursor(&t, 8, Gravity::Left),
        Err(DocError::IndexOutOfRange {
            index: 8,
            len: 7,
            ..
        })
    ));
}

#[test]
fn deleted_anchor_resolves_to_where_it_was() {
    let (mut d, t) = doc_with("abcdef");
    let after_c = d.text_cursor(&t, 3, Gravity::Left).unwrap();
    let before_d = d.text_cursor(&t, 3, Gravity::Right).unwrap();
    d.text_delete(&t, 1, 4).unwrap(); // "af": b..e gone
    assert_eq!(d.text_string(&t), "af");
    assert_eq!(d.cursor_index(&after_c).unwrap(), 1);
    assert_eq!(d.cursor_index(&before_d).unwrap(), 1);
    // Text typed where the deleted run was lands around the cursor's tombstone.
    d.text_insert(&t, 1, "XYZ").unwrap();
    let i = d.cursor_index(&after_c).unwrap();
    assert!(i == 1 || i == 4, "{i}");
    d.text_delete(&t, 0, d.text_len(&t)).unwrap();
    assert_eq!(d.cursor_index(&after_c).unwrap(), 0);
}

#[test]
fn concurrent_edits_from_other_replicas_keep_the_cursor_on_its_character() {
    let (mut a, t) = doc_with("hello world");
    let mut b = Doc::new(ReplicaId(2));
    let mut c = Doc::new(ReplicaId(3));
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    // Alice's caret after "hello", selection end before "world".
    let caret = a.text_cursor(&t, 5, Gravity::Left).unwrap();
    let sel_end = a.text_cursor(&t, 6, Gravity::Right).unwrap();
    // Bob types at the caret, Carol before it and deletes the space, concurrently.
    b.text_insert(&t, 5, ", dear").unwrap();
    c.text_insert(&t, 0, ">> ").unwrap();
    c.text_delete(&t, 8, 1).unwrap();
    a.text_insert(&t, 11, "!").unwrap();
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    sync(&mut b, &mut c);
    let s = a.text_string(&t);
    assert_eq!(s, ">> hello, dearworld!");
    for d in [&a, &b, &c] {
        assert_eq!(d.cursor_index(&caret).unwrap(), 8, "right after 'hello'");
        assert_eq!(
            d.cursor_index(&sel_end).unwrap(),
            14,
            "right before 'world'"
        );
    }
}

#[test]
fn cursor_survives_snapshot_and_state_export() {
    let (mut a, t) = doc_with("abcdefgh");
    let on_e = a.text_cursor(&t, 4, Gravity::Right).unwrap();
    let after_b = a.text_cursor(&t, 2, Gravity::Left).unwrap();
    a.text_delete(&t, 1, 1).unwrap(); // anchor 'b' deleted
    a.text_insert(&t, 0, "123").unwrap();
    let want = (
        a.cursor_index(&on_e).unwrap(),
        a.cursor_index(&after_b).unwrap(),
    );
    assert_eq!(want, (6, 4));
    for bytes in [a.export_snapshot(), a.export_state()] {
        let mut loaded = Doc::new(ReplicaId(9));
        loaded.import(&bytes).unwrap();
        let got = (
            loaded.cursor_index(&on_e).unwrap(),
            loaded.cursor_index(&after_b).unwrap(),
        );
        assert_eq!(got, want);
        // And the cursor keeps tracking edits made after loading.
        loaded.text_insert(&t, 0, "Z").unwrap();
        assert_eq!(loaded.cursor_index(&on_e).unwrap(), want.0 + 1);
    }
}

#[test]
fn replica_without_the_anchor_gives_a_typed_error_until_it_syncs() {
    let (mut a, t) = doc_with("abc");
    let mut b = Doc::new(ReplicaId(2));
    let cur = Cursor::decode(&a.text_cursor(&t, 2, Gravity::Left).unwrap().encode()).unwrap();
    let err = b.cursor_index(&cur).unwrap_err();
    assert!(matches!(err, DocError::UnknownAnchor { .. }), "{err:?}");
    assert_eq!(err.code(), "WEFT_UNKNOWN_ANCHOR");
    b.import(&a.export_changes(b.version())).unwrap();
    assert_eq!(b.cursor_index(&cur).unwrap(), 2);
    // A cursor into a nested text the replica never heard of.
    let mut n = Doc::new(ReplicaId(3));
    let l = n.list("l").unwrap();
    let inner =
        TextId::from_id(n.list_insert_container(&l, 0, ContainerKind::Text).unwrap()).unwrap();
    let c = n.text_cursor(&inner, 0, Gravity::Left).unwrap();
    assert!(matches!(
        b.cursor_index(&c),
        Err(DocError::UnknownContainer(_))
    ));
    let counter = b.counter("n").unwrap();
    let bad = Cursor {
        container: counter.id().clone(),
        anchor: Anchor::Start,
        gravity: Gravity::Left,
    };
    assert!(matches!(
        b.cursor_index(&bad),
        Err(DocError::NotASequence(_))
    ));
}

#[test]
fn utf16_cursors() {
    let (mut d, t) = doc_with("a😀b");
    // UTF-16: a=0, 😀=1..3, b=3.
    let c = d.text_cursor_utf16(&t, 3, Gravity::Right).unwrap();
    assert_eq!(d.cursor_index(&c).unwrap(), 2);
    assert_eq!(d.cursor_index_utf16(&c).unwrap(), 3);
    d.text_insert(&t, 0, "🎉").unwrap();
    assert_eq!(d.cursor_index_utf16(&c).unwrap(), 5);
}

#[test]
fn list_cursors_across_replicas() {
    let mut a = Doc::new(ReplicaId(1));
    let l: ListId = a.list("l").unwrap();
    for (i, v) in ["a", "b", "c"].iter().enumerate() {
        a.list_insert(&l, i, *v).unwrap();
    }
    let mut b = Doc::new(ReplicaId(2));
    sync(&mut a, &mut b);
    let on_c = a.list_cursor(&l, 2, Gravity::Right).unwrap();
    b.list_insert(&l, 0, "x").unwrap();
    b.list_delete(&l, 2, 1).unwrap(); // "b"
    a.list_insert(&l, 3, "d").unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.cursor_index(&on_c).unwrap(), 2);
    assert_eq!(b.cursor_index(&on_c).unwrap(), 2);
    assert_eq!(a.cursor_index_utf16(&on_c).unwrap(), 2);
}

#[test]
fn encoding_round_trips_and_rejects_every_truncation() {
    let mut d = Doc::new(ReplicaId(0x0123_4567_89ab_cdef));
    let t = d.text("notes").unwrap();
    d.text_insert(&t, 0, "hi").unwrap();
    let l = d.list("l").unwrap();
    let nested = d.list_insert_container(&l, 0, ContainerKind::List).unwrap();
    let nested = ListId::from_id(nested).unwrap();
    d.list_insert(&nested, 0, 1).unwrap();
    let cursors = [
        d.text_cursor(&t, 1, Gravity::Left).unwrap(),
        d.text_cursor(&t, 0, Gravity::Left).unwrap(),
        d.text_cursor(&t, 2, Gravity::Right).unwrap(),
        d.list_cursor(&nested, 0, Gravity::Right).unwrap(),
    ];
    for c in &cursors {
        let bytes = c.encode();
        assert_eq!(&Cursor::decode(&bytes).unwrap(), c);
        for cut in 0..bytes.len() {
            assert!(Cursor::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Cursor::decode(&longer), Err(DecodeError::TrailingBytes(1)));
    }
    // Layout (docs/encoding.md): version, container, flags, anchor id.
    let bytes = cursors[0].encode();
    assert_eq!(&bytes[..3], &[1, 1 + 2, 5]);
    assert_eq!(&bytes[3..8], b"notes");
    assert_eq!(bytes[8], 0b100); // left gravity, element anchor
    assert_eq!(&bytes[9..17], &0x0123_4567_89ab_cdef_u64.to_le_bytes());
    assert_eq!(bytes[17], 2, "the field took counter 1, 'h' counter 2");
    // Bad version, map container, bad flags, zero counter.
    assert_eq!(
        Cursor::decode(&[2, 3, 1, b'x', 0]),
        Err(DecodeError::UnsupportedVersion(2))
    );
    assert!(matches!(
        Cursor::decode(&[1, 0, 0]),
        Err(DecodeError::UnknownTag { tag: 0, .. })
    ));
    assert!(matches!(
        Cursor::decode(&[1, 1, 1, b'x', 0]),
        Err(DecodeError::UnknownTag { .. })
    ));
    assert!(matches!(
        Cursor::decode(&[1, 3, 1, b'x', 6]),
        Err(DecodeError::UnknownTag { tag: 6, .. })
    ));
    let mut zero = vec![1, 3, 1, b'x', 4];
    zero.extend_from_slice(&[0; 8]);
    zero.push(0);
    assert!(matches!(
        Cursor::decode(&zero),
        Err(DecodeError::Corrupt { .. })
    ));
}

proptest! {
    #[test]
    fn decoding_random_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let _ = Cursor::decode(&bytes);
    }

    /// Three replicas edit concurrently around cursors made on replica 1; after they
    /// sync, every replica resolves each cursor to the same index, and a cursor
    /// whose character survived sits right next to that character. Every inserted
    /// character is unique, so the text itself tells where it is.
    #[test]
    fn cursors_follow_their_character_through_concurrent_edits(
        rounds in proptest::collection::vec(
            proptest::collection::vec((0usize..3, any::<bool>(), 0usize..64, 1usize..4), 1..6),
            1..5,
        ),
        picks in proptest::collection::vec((0usize..64, any::<bool>()), 1..6),
    ) {
        let mut docs: Vec<Doc> = (1..=3).map(|r| Doc::new(ReplicaId(r))).collect();
        let t = docs[0].text("t").unwrap();
        let mut next_char = 0x4E00u32;
        let mut fresh = |n: usize| -> String {
            (0..n).map(|_| { next_char += 1; char::from_u32(next_char).unwrap() }).collect()
        };
        docs[0].text_insert(&t, 0, &fresh(8)).unwrap();
        let base = docs[0].export_changes(&Default::default());
        for d in &mut docs[1..] { d.import(&base).unwrap(); }
        let len = docs[0].text_len(&t);
        let cursors: Vec<(Cursor, Option<char>)> = picks.iter().map(|&(i, left)| {
            let i = i % (len + 1);
            let g = if left { Gravity::Left } else { Gravity::Right };
            let c = docs[0].text_cursor(&t, i, g).unwrap();
            let s: Vec<char> = docs[0].text_string(&t).chars().collect();
            let ch = if left { i.checked_sub(1).map(|k| s[k]) } else { s.get(i).copied() };
            (c, ch)
        }).collect();
        for round in rounds {
            for (who, insert, at, n) in round {
                let d = &mut docs[who];
                let len = d.text_len(&t);
                if insert {
                    let s = fresh(n);
                    d.text_insert(&t, at % (len + 1), &s).unwrap();
                } else if len > 0 {
                    let at = at % len;
                    d.text_delete(&t, at, n.min(len - at)).unwrap();
                }
            }
            let (x, rest) = docs.split_at_mut(1);
            let (y, z) = rest.split_at_mut(1);
            sync(&mut x[0], &mut y[0]);
            sync(&mut y[0], &mut z[0]);
            sync(&mut x[0], &mut z[0]);
        }
        let text: Vec<char> = docs[0].text_string(&t).chars().collect();
        for (c, ch) in &cursors {
            let i = docs[0].cursor_index(c).unwrap();
            prop_assert!(i <= text.len());
            for d in &docs[1..] {
                prop_assert_eq!(d.cursor_index(c).unwrap(), i);
            }
            match (c.gravity, ch) {
                (Gravity::Left, Some(ch)) if text.contains(ch) => prop_assert_eq!(text[i - 1], *ch),
                (Gravity::Right, Some(ch)) if text.contains(ch) => prop_assert_eq!(text[i], *ch),
                (Gravity::Left, None) => prop_assert_eq!(i, 0),
                (Gravity::Right, None) => prop_assert_eq!(i, text.len()),
                _ => {}
            }
        }
    }
}
