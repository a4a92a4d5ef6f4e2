//! Decoders against hostile bytes: every truncation and thousands of corruptions of
//! every payload kind must give a typed error or a valid document, never a panic,
//! and a failed import must leave the document unchanged. Corruptions are made
//! inside the (inflated) body with the checksum fixed up, so that they reach the
//! column decoders rather than stopping at the checksum.

mod common;
use common::crc;
use std::io::Read;
use std::sync::Arc;

use weft_core::change::Op;
use weft_core::clock::FixedClock;
use weft_core::encoding::{decode_changes, encode_changes};
use weft_core::{CausalityError, Change, ContainerKind, Doc, ImportError, ReplicaId};

use common::{put_uvarint as uvarint, read_uvarint};

/// The payload's body, inflated (the test trusts its own encoder here), and
/// the bytes after it (a state-only snapshot's text block).
fn split_body(payload: &[u8]) -> (Vec<u8>, &[u8]) {
    let block = &payload[10..];
    let mut pos = 1;
    match block[0] {
        0 => {
            let n = read_uvarint(block, &mut pos) as usize;
            (block[pos..pos + n].to_vec(), &block[pos + n..])
        }
        _ => {
            let _inflated = read_uvarint(block, &mut pos);
            let n = read_uvarint(block, &mut pos) as usize;
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(&block[pos..pos + n])
                .read_to_end(&mut out)
                .unwrap();
            (out, &block[pos + n..])
        }
    }
}

fn inner_body(payload: &[u8]) -> Vec<u8> {
    split_body(payload).0
}

/// A payload of the same kind with `body` stored raw, the payload's own text
/// block (if any) after it, and a valid checksum.
fn repack(payload: &[u8], body: &[u8]) -> Vec<u8> {
    let mut block = vec![0u8];
    uvarint(&mut block, body.len() as u64);
    block.extend_from_slice(body);
    block.extend_from_slice(split_body(payload).1);
    reseal(payload, &block)
}

/// `block` as the whole envelope body of a payload of the same kind.
fn reseal(payload: &[u8], block: &[u8]) -> Vec<u8> {
    let mut out = payload[..6].to_vec();
    out.extend_from_slice(&crc(block).to_le_bytes());
    out.extend_from_slice(block);
    out
}

fn sample() -> Doc {
    let mut d = Doc::with_clock(ReplicaId(7), Arc::new(FixedClock::new(1_000)));
    d.set("title", "Groceries");
    d.set("n", -3);
    let t = d.text("notes").unwrap();
    d.text_insert(&t, 0, "milk, eggs, café 😀").unwrap();
    d.text_delete(&t, 2, 3).unwrap();
    d.commit();
    // Typing into runs splits them, so the state's spans have origins linked to
    // spans further left and right as well as adjacent and explicit ones.
    d.text_insert(&t, 4, "XY").unwrap();
    d.text_insert(&t, 5, "Q").unwrap();
    d.text_insert(&t, 1, "R").unwrap();
    d.commit();
    let l = d.list("board").unwrap();
    d.list_insert(&l, 0, 1.5).unwrap();
    let m = d.list_insert_container(&l, 1, ContainerKind::Map).unwrap();
    let m = weft_core::MapId::from_id(m).unwrap();
    d.map_set(
        &m,
        "k",
        vec![1u8, 2, 3].into_iter().map(i64::from).sum::<i64>(),
    )
    .unwrap();
    let c = d.counter("c").unwrap();
    d.counter_add(&c, 2).unwrap();
    d.counter_add(&c, 0.5).unwrap();
    let s = d.or_set("s").unwrap();
    d.set_add(&s, "a").unwrap();
    d.set_add(&s, "b").unwrap();
    d.set_remove(&s, &"a".into()).unwrap();
    d.delete("n");
    d
}

/// The sample with formatting: marks of every anchor kind, removals, comments.
fn marked_sample() -> Doc {
    let mut d = sample();
    let t = d.text("notes").unwrap();
    d.define_mark("hl", weft_core::Expand::Both);
    d.text_mark(&t, 0, 4, "bold", true).unwrap();
    d.text_mark(&t, 2, 8, "link", "https://x.example").unwrap();
    d.text_mark(&t, 1, 6, "comment", "c1").unwrap();
    d.text_mark(&t, 0, d.text_len(&t), "hl", 7).unwrap();
    d.commit();
    d.text_unmark(&t, 1, 2, "bold").unwrap();
    d.text_unmark_value(&t, 1, 3, "comment", &"c1".into())
        .unwrap();
    d.text_delete(&t, 3, 2).unwrap();
    d
}

fn target() -> Doc {
    let mut d = Doc::with_clock(ReplicaId(1), Arc::new(FixedClock::new(5_000)));
    d.set("keep", 1);
    d
}

/// Every state the core accepts must load back from its own snapshot and
/// state-only snapshot with the same value and the same text.
fn round_trips(doc: &mut Doc, input: &[u8]) {
    let want = doc.to_value();
    for (kind, again) in [
        ("snapshot", doc.export_snapshot()),
        ("state", doc.export_state()),
    ] {
        let mut copy = Doc::new(ReplicaId(4));
        if let Err(e) = copy.import(&again) {
            panic!("an accepted document's {kind} export does not import: {e}; input {input:?}");
        }
        // Debug text, so that a forged NaN compares equal to itself.
        assert_eq!(
            format!("{:?}", copy.to_value()),
            format!("{want:?}"),
            "{kind} round trip changed the value"
        );
    }
}

fn check(payload: &[u8]) {
    let mut reference = target();
    let before = reference.export_state();
    let try_import = |bytes: &[u8]| {
        let mut d = target();
        let _ = decode_changes(bytes);
        if d.import(bytes).is_err() {
            assert_eq!(
                d.export_state(),
                before,
                "a failed import changed the document"
            );
        }
        let mut fresh = Doc::new(ReplicaId(3));
        if fresh.import(bytes).is_ok() {
            // Whatever loaded resolves to runs without panicking.
            if let Ok(t) = fresh.text("notes") {
                let _ = fresh.text_delta(&t);
            }
            // A snapshot's history is decoded only when needed: forged history
            // must surface as a typed error there, and exports must still work.
            let _ = fresh.load_history();
            round_trips(&mut fresh, bytes);
            let _ = fresh.changes_since(&Default::default());
        }
    };
    for len in 0..payload.len() {
        try_import(&payload[..len]);
    }
    let body = inner_body(payload);
    let mut s = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..3000 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let mut b = body.clone();
        let i = (s % b.len() as u64) as usize;
        match (s >> 32) % 4 {
            0 => b[i] ^= 1 << ((s >> 40) % 8),
            1 => b[i] = (s >> 48) as u8,
            2 => {
                b.truncate(i);
            }
            _ => {
                b.insert(i, 0xff);
            }
        }
        try_import(&repack(payload, &b));
        // The envelope's body as it is: a state-only snapshot's text block
        // (raw, split or deflated) and the body's own framing.
        let mut e = payload[10..].to_vec();
        let i = ((s >> 20) % e.len() as u64) as usize;
        e[i] ^= 1 << ((s >> 44) % 8);
        try_import(&reseal(payload, &e));
    }
}

#[test]
fn updates_survive_hostile_bytes() {
    check(&sample().export_changes(&Default::default()));
}

#[test]
fn snapshots_survive_hostile_bytes() {
    check(&sample().export_snapshot());
}

#[test]
fn state_snapshots_survive_hostile_bytes() {
    check(&sample().export_state());
}

/// A text whose columns outweigh a quarter of it: the state-only snapshot
/// holds its text as a deflated head and a raw rest.
fn split_sample() -> Doc {
    let mut d = Doc::with_clock(ReplicaId(7), Arc::new(FixedClock::new(1_000)));
    let t = d.text("notes").unwrap();
    let words = [
        "the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dogs ",
    ];
    let prose: String = (0..300).map(|i| words[(i * 7 + i / 3) % 8]).collect();
    d.text_insert(&t, 0, &prose).unwrap();
    d.commit();
    for i in 0..200 {
        d.text_insert(&t, (i * 37) % d.text_len(&t), "é").unwrap();
    }
    d.commit();
    d
}

#[test]
fn split_state_snapshots_survive_hostile_bytes() {
    let mut d = split_sample();
    let state = d.export_state();
    let t = d.text("notes").unwrap();
    let text_len = d.text_string(&t).len();
    assert!(
        state.len() * 4 <= text_len * 5,
        "{} for {text_len}",
        state.len()
    );
    // The text block: a deflated head (tag 2), then raw bytes.
    let (_, held) = split_body(&state);
    assert_eq!(held[0], 2, "the text is held split");
    check(&state);
}

#[test]
fn marked_updates_survive_hostile_bytes() {
    check(&marked_sample().export_changes(&Default::default()));
}

#[test]
fn marked_snapshots_survive_hostile_bytes() {
    check(&marked_sample().export_snapshot());
}

#[test]
fn marked_state_snapshots_survive_hostile_bytes() {
    check(&marked_sample().export_state());
}

#[test]
fn mark_anchored_to_unknown_character_is_refused() {
    let mut doc = marked_sample();
    let mut changes = doc.changes();
    let forged = changes
        .iter_mut()
        .flat_map(|c| c.ops.iter_mut())
        .find_map(|op| match op {
            weft_core::change::Op::Mark(m) => Some(m),
            _ => None,
        })
        .expect("a mark op");
    forged.end = weft_core::change::Anchor::After(weft_core::OpId::new(ReplicaId(42), 9));
    let mut d = target();
    let before = d.export_state();
    let err = d.apply_changes(changes).unwrap_err();
    assert_eq!(err.code(), "WEFT_CAUSALITY");
    assert_eq!(d.export_state(), before);
}

#[test]
fn repacked_payloads_still_import() {
    // The test's own repacking is faithful: unmodified bodies import fine.
    for mut doc in [sample(), marked_sample()] {
        for payload in [
            doc.export_changes(&Default::default()),
            doc.export_snapshot(),
            doc.export_state(),
        ] {
            let mut d = Doc::new(ReplicaId(3));
            d.import(&repack(&payload, &inner_body(&payload))).unwrap();
            assert_eq!(d.to_value(), doc.to_value());
            let t = doc.text("notes").unwrap();
            assert_eq!(d.text_delta(&t), doc.text_delta(&t));
        }
    }
}

/// A text "abc" typed in one change, then `edit` run on a second change of the
/// same replica; returns both changes, decoded.
fn two_changes(first: &str, edit: impl FnOnce(&mut Doc, &weft_core::TextId)) -> Vec<Change> {
    let mut d = Doc::with_clock(ReplicaId(7), Arc::new(FixedClock::new(1_000)));
    let t = d.text("t").unwrap();
    d.text_insert(&t, 0, first).unwrap();
    d.commit();
    edit(&mut d, &t);
    d.commit();
    let changes = decode_changes(&d.export_changes(&Default::default())).unwrap();
    assert_eq!(changes.len(), 2);
    changes
}

/// The second change's insert with its origins swapped: "X" between "b" (left)
/// and "a" (right), which no replica can make and no place satisfies. Once it was
/// accepted and put after "b", and the document's own snapshot failed to load
/// ("sequence spans do not form a valid sequence").
fn swapped_origins() -> Vec<Change> {
    let mut changes = two_changes("abc", |d, t| d.text_insert(t, 1, "X").unwrap());
    match changes[1].ops.last_mut() {
        Some(Op::SeqInsert { left, right, .. }) => std::mem::swap(left, right),
        op => panic!("expected an insert, got {op:?}"),
    }
    changes
}

fn assert_out_of_order(e: ImportError) {
    assert!(
        matches!(
            e,
            ImportError::Causality(CausalityError::OriginsOutOfOrder { .. })
        ),
        "{e:?}"
    );
    assert_eq!(e.code(), "WEFT_CAUSALITY");
}

#[test]
fn swapped_origins_placed_by_the_same_batch_are_refused_whole() {
    // Both origins come from the batch itself: refused only once placed, then
    // the document is restored.
    let bytes = encode_changes(&swapped_origins());
    let mut fresh = Doc::new(ReplicaId(3));
    assert_out_of_order(fresh.import(&bytes).unwrap_err());
    assert!(fresh.is_empty(), "a refused import left data");

    let mut d = target();
    let before = d.export_state();
    let history = d.export_snapshot();
    assert_out_of_order(d.import(&bytes).unwrap_err());
    assert_eq!(
        d.export_state(),
        before,
        "a refused import changed the document"
    );
    assert_eq!(
        d.export_snapshot(),
        history,
        "a refused import changed the history"
    );
    round_trips(&mut d, &[]);
}

#[test]
fn swapped_origins_already_here_are_refused_before_applying() {
    let changes = swapped_origins();
    let mut d = Doc::new(ReplicaId(3));
    d.import(&encode_changes(&changes[..1])).unwrap();
    let before = d.export_state();
    assert_out_of_order(d.import(&encode_changes(&changes[1..])).unwrap_err());
    assert_eq!(d.export_state(), before);
    round_trips(&mut d, &[]);
}

#[test]
fn right_origin_inside_a_run_stops_the_scan() {
    // "X" inserted at the start, but naming "d" — inside the one run "abcdef" —
    // as its right origin. Scanning span by span once jumped past "d" and put "X"
    // at the end, after its right origin; element by element it stops at "d".
    let mut changes = two_changes("abcdef", |d, t| d.text_insert(t, 0, "X").unwrap());
    let mut counter = changes[0].start;
    for op in &changes[0].ops {
        if matches!(op, Op::SeqInsert { .. }) {
            break;
        }
        counter += op.len();
    }
    let d_id = weft_core::OpId::new(ReplicaId(7), counter + 3);
    let insert = changes[1]
        .ops
        .iter_mut()
        .find(|op| matches!(op, Op::SeqInsert { .. }));
    match insert {
        Some(Op::SeqInsert { left, right, .. }) => {
            assert_eq!(*left, None);
            *right = Some(d_id);
        }
        op => panic!("expected an insert, got {op:?}"),
    }
    for split in [0, 1] {
        let mut d = Doc::new(ReplicaId(3));
        if split == 1 {
            d.import(&encode_changes(&changes[..1])).unwrap();
        }
        d.import(&encode_changes(&changes[split..])).unwrap();
        let t = d.text("t").unwrap();
        assert_eq!(d.text_string(&t), "abcXdef");
        round_trips(&mut d, &[]);
    }
}

/// Applies `changes` (the first one valid, a later one malformed) to a fresh
/// document and to one holding data: each must refuse the batch whole, without a
/// panic, and stay as it was.
fn refused_whole(changes: Vec<Change>) {
    let mut fresh = Doc::new(ReplicaId(3));
    assert!(fresh.apply_changes(changes.clone()).is_err());
    assert!(fresh.is_empty(), "a refused batch left data");
    assert!(fresh.import(&encode_changes(&changes)).is_err());
    assert!(fresh.is_empty(), "a refused import left data");

    let mut d = target();
    let before = d.export_state();
    assert!(d.apply_changes(changes).is_err());
    assert_eq!(
        d.export_state(),
        before,
        "a refused batch changed the document"
    );
    round_trips(&mut d, &[]);
}

#[test]
fn empty_insert_later_in_a_batch_is_refused_whole() {
    // Nothing else in the batch is unchecked, so no copy is kept to restore: the
    // empty insert must be caught before "abc" is applied.
    let mut changes = two_changes("abc", |d, t| d.text_insert(t, 3, "X").unwrap());
    match changes[1].ops.last_mut() {
        Some(Op::SeqInsert { content, .. }) => {
            *content = weft_core::change::SeqContent::Text(String::new())
        }
        op => panic!("expected an insert, got {op:?}"),
    }
    refused_whole(changes);
}

#[test]
fn empty_delete_later_in_a_batch_is_refused_whole() {
    let mut changes = two_changes("abc", |d, t| d.text_delete(t, 1, 1).unwrap());
    match changes[1].ops.last_mut() {
        Some(Op::SeqDelete { len, .. }) => *len = 0,
        op => panic!("expected a delete, got {op:?}"),
    }
    refused_whole(changes);
}

#[test]
fn refused_batch_leaves_the_history_it_extended_as_it_was() {
    // Replica 7 types "abc", then "XY" (change A); replica 8 puts "Z" between "X"
    // and "Y" (change B), forged with its origins swapped. A continues the last
    // change of the receiver's history and is merged into it, and a change of a
    // replica new to the receiver is applied, before B, whose origins only A
    // places, is refused: the history must be as it was.
    let clock = Arc::new(FixedClock::new(1_000));
    let mut seven = Doc::with_clock(ReplicaId(7), clock.clone());
    let t = seven.text("t").unwrap();
    // Its own change: the field write creating the text is never extended.
    seven.commit();
    seven.text_insert(&t, 0, "abc").unwrap();
    let first = seven.export_changes(&Default::default());
    let after_first = seven.version().clone();
    seven.text_insert(&t, 3, "XY").unwrap();
    let a = decode_changes(&seven.export_changes(&after_first)).unwrap();
    let mut eight = Doc::with_clock(ReplicaId(8), clock);
    eight.import(&seven.export_snapshot()).unwrap();
    let t8 = eight.text("t").unwrap();
    eight.text_insert(&t8, 4, "Z").unwrap();
    let mut b = decode_changes(&eight.export_changes(seven.version())).unwrap();
    match b[0].ops.last_mut() {
        Some(Op::SeqInsert { left, right, .. }) => std::mem::swap(left, right),
        op => panic!("expected an insert, got {op:?}"),
    }

    // And replica 9, new to the receiver, types "Q" in front: applied before B.
    let mut nine = Doc::with_clock(ReplicaId(9), Arc::new(FixedClock::new(1_000)));
    nine.import(&first).unwrap();
    let base = nine.version().clone();
    let t9 = nine.text("t").unwrap();
    nine.text_insert(&t9, 0, "Q").unwrap();
    let c = decode_changes(&nine.export_changes(&base)).unwrap();

    let mut d = Doc::new(ReplicaId(3));
    d.import(&first).unwrap();
    let history = d.export_snapshot();
    let before = d.changes();
    let batch: Vec<Change> = a.into_iter().chain(c).chain(b).collect();
    assert_out_of_order(d.import(&encode_changes(&batch)).unwrap_err());
    assert_eq!(
        d.export_snapshot(),
        history,
        "a refused import changed the history"
    );
    assert_eq!(format!("{:?}", d.changes()), format!("{before:?}"));
    // The history still takes the valid part afterwards.
    d.import(&encode_changes(&batch[..2])).unwrap();
    let t = d.text("t").unwrap();
    assert_eq!(d.text_string(&t), "QabcXY");
}

#[test]
fn a_refused_import_keeps_the_undo_history_and_the_local_edits() {
    // The copy a batch is restored from leaves the undo stacks out (remote
    // changes never touch them): they are moved back after the refusal.
    let edits = |d: &mut Doc| {
        d.set_undo_enabled(true);
        d.set_undo_window_ms(0);
        let t = d.text("mine").unwrap();
        d.text_insert(&t, 0, "hello").unwrap();
        d.commit();
        d.text_insert(&t, 5, " world").unwrap();
        d.commit();
        t
    };
    let clock = || Arc::new(FixedClock::new(1_000));
    let mut d = Doc::with_clock(ReplicaId(3), clock());
    let mut twin = Doc::with_clock(ReplicaId(3), clock());
    let t = edits(&mut d);
    edits(&mut twin);
    assert_out_of_order(d.import(&encode_changes(&swapped_origins())).unwrap_err());
    assert_eq!(d.export_state(), twin.export_state());
    for _ in 0..2 {
        assert!(d.can_undo(), "a refused import dropped the undo history");
        d.undo().unwrap().expect("a step to undo");
        twin.undo().unwrap().expect("a step to undo");
        assert_eq!(d.text_string(&t), twin.text_string(&t));
    }
    assert_eq!(d.text_string(&t), "");
    d.redo().unwrap().expect("a step to redo");
    assert_eq!(d.text_string(&t), "hello");
    d.text_insert(&t, 5, "!").unwrap();
    assert_eq!(d.text_string(&t), "hello!");
}
