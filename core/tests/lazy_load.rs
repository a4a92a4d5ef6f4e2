//! A text imported from a snapshot into a fresh document is checked at import
//! but its tree is built on first use; its text and lengths are read from
//! what the import holds. These tests hold such a document to one built at
//! once: the same reads before anything builds it, the same state, events,
//! merges, undo and marks after edits, on the four traces and on random
//! documents.

#[allow(dead_code)]
mod common;
mod seq_common;

use std::sync::Arc;

use proptest::prelude::*;
use weft_core::clock::FixedClock;
use weft_core::{Doc, Gravity, ReplicaId};

fn clocked(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000_000)))
}

/// A document whose clock is ahead of every source's, so that the same edits
/// on two of them get the same stamps.
fn loader(replica: u64) -> Doc {
    Doc::with_clock(
        ReplicaId(replica),
        Arc::new(FixedClock::new(2_000_000_000_000)),
    )
}

/// `bytes` imported into a fresh document, its text left unbuilt.
fn lazy(bytes: &[u8]) -> Doc {
    lazy_as(7, bytes)
}

fn lazy_as(replica: u64, bytes: &[u8]) -> Doc {
    let mut d = loader(replica);
    d.import(bytes).unwrap();
    assert_eq!(d.unbuilt_texts(), 1, "the text waits to be built");
    d
}

/// `bytes` imported into a fresh document, its text built at once, and
/// checked: its tree and id table as every edit leaves them (the span
/// decoder extends an id run from what it knows, not by looking).
fn eager(bytes: &[u8]) -> Doc {
    let mut d = lazy(bytes);
    build(&mut d);
    d.check_invariants().unwrap();
    d
}

/// Builds the document's text (a cursor inside it needs the tree).
fn build(d: &mut Doc) {
    let t = d.text("text").unwrap();
    let at = d.text_len(&t).min(1);
    d.text_cursor(&t, at, Gravity::Right).unwrap();
    assert_eq!(d.unbuilt_texts(), 0, "a cursor builds the text");
}

/// The reads served without building agree with the source's, and leave the
/// text unbuilt.
fn same_reads(source: &mut Doc, loaded: &mut Doc) {
    let (s, l) = (source.text("text").unwrap(), loaded.text("text").unwrap());
    assert_eq!(loaded.text_string(&l), source.text_string(&s));
    assert_eq!(loaded.text_len(&l), source.text_len(&s));
    assert_eq!(loaded.text_len_utf16(&l), source.text_len_utf16(&s));
    assert_eq!(
        format!("{:?}", loaded.to_value()),
        format!("{:?}", source.to_value())
    );
    assert_eq!(loaded.version(), source.version());
    assert_eq!(loaded.frontier(), source.frontier());
    assert_eq!(loaded.unbuilt_texts(), 1, "reads built the text");
}

/// Edits, a mark, a merge and undo, applied to `a` and `b` alike: both must
/// end in the same state, having emitted the same events.
fn same_after_edits(a: &mut Doc, b: &mut Doc, peer: &mut Doc) {
    for d in [&mut *a, &mut *b] {
        d.record_events(true);
        d.set_undo_enabled(true);
    }
    let p = peer.text("text").unwrap();
    let n = peer.text_len(&p);
    peer.text_insert(&p, n / 3, "peer – ✓").unwrap();
    peer.text_delete(&p, n / 2, 5.min(n - n / 2)).unwrap();
    let update = peer.export_changes(a.version());
    for d in [&mut *a, &mut *b] {
        let t = d.text("text").unwrap();
        let n = d.text_len(&t);
        d.text_insert(&t, n / 2, "héllo 😀").unwrap();
        d.commit();
        d.text_delete(&t, n / 4, 3.min(n / 4)).unwrap();
        d.commit();
        d.text_mark(&t, 1.min(n), (n / 2).max(1).min(n), "bold", true)
            .unwrap();
        d.commit();
        d.import(&update).unwrap();
        d.undo().unwrap();
        d.text_insert(&t, 0, "x").unwrap();
        d.commit();
    }
    let (ta, tb) = (a.text("text").unwrap(), b.text("text").unwrap());
    assert_eq!(a.text_string(&ta), b.text_string(&tb));
    assert_eq!(a.text_delta(&ta), b.text_delta(&tb));
    assert_eq!(a.take_events(), b.take_events());
    assert_eq!(a.export_state(), b.export_state());
    assert_eq!(a.export_snapshot(), b.export_snapshot());
}

/// A loaded document, and a clone of it taken before building, compared with
/// one built at once and with the source.
fn compare(source: &mut Doc, bytes: &[u8], history: bool) {
    let mut loaded = lazy(bytes);
    same_reads(source, &mut loaded);
    // A clone builds the text (in the original too) and copies it.
    let mut copy = lazy(bytes).clone();
    assert_eq!(copy.unbuilt_texts(), 0, "a clone builds the text");
    // Exports build the text: the state written back is the one read.
    assert_eq!(loaded.export_state(), source.export_state());
    assert_eq!(loaded.unbuilt_texts(), 0);
    let mut built = eager(bytes);
    if history {
        let mut peer = source.clone();
        same_after_edits(&mut copy, &mut built, &mut peer);
    } else {
        // A state-only snapshot's document cannot send its history; merging
        // a peer's edits still works.
        let mut peer = lazy_as(8, bytes);
        same_after_edits(&mut copy, &mut built, &mut peer);
    }
}

#[test]
fn traces_load_lazily_like_eagerly() {
    let Some(traces) = seq_common::load_traces("lazy_load") else {
        return;
    };
    for (name, trace) in traces {
        let mut source = seq_common::replay_doc(&trace.txns);
        let snapshot = source.export_snapshot();
        let state = source.export_state();
        println!("{name}");
        compare(&mut source, &snapshot, true);
        compare(&mut source, &state, false);
    }
}

/// An edit script: (position seed, delete length, insertion, which replica).
type Script = Vec<(usize, usize, String, bool)>;

fn random_doc(script: &Script) -> Doc {
    let (mut a, mut b) = (clocked(1), clocked(2));
    let (ta, tb) = (a.text("text").unwrap(), b.text("text").unwrap());
    for (i, (pos, del, ins, other)) in script.iter().enumerate() {
        let (d, t) = if *other { (&mut b, &tb) } else { (&mut a, &ta) };
        let n = d.text_len(t);
        let at = pos % (n + 1);
        let del = (*del).min(n - at);
        d.text_delete(t, at, del).unwrap();
        d.text_insert(t, at, ins).unwrap();
        d.commit();
        if i % 5 == 4 {
            let to_b = a.export_changes(b.version());
            let to_a = b.export_changes(a.version());
            b.import(&to_b).unwrap();
            a.import(&to_a).unwrap();
        }
    }
    let to_a = b.export_changes(a.version());
    a.import(&to_a).unwrap();
    a
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_documents_load_lazily_like_eagerly(
        script in prop::collection::vec(
            (0usize..400, 0usize..80, "[a-c é😀\n]{1,12}", any::<bool>()),
            1..60,
        ),
    ) {
        let mut source = random_doc(&script);
        let t = source.text("text").unwrap();
        if source.text_len(&t) == 0 && source.version().is_empty() {
            return Ok(());
        }
        let snapshot = source.export_snapshot();
        let state = source.export_state();
        compare(&mut source, &snapshot, true);
        compare(&mut source, &state, false);
    }
}

/// Forged snapshots that still carry a valid checksum: whatever a fresh
/// document accepts reads the same before and after its text is built, and
/// whatever it refuses leaves it as it was.
#[test]
fn forged_snapshots_read_the_same_before_and_after_building() {
    let script: Script = (0..40)
        .map(|i| (i * 7919, i % 9, format!("é{i}😀ab"), i % 3 == 0))
        .collect();
    let mut source = random_doc(&script);
    for payload in [source.export_snapshot(), source.export_state()] {
        let (mut accepted, mut refused) = (0, 0);
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let mut body = payload[10..].to_vec();
            let i = (s % body.len() as u64) as usize;
            body[i] ^= 1 << ((s >> 40) % 8);
            let mut forged = payload[..6].to_vec();
            forged.extend_from_slice(&common::crc(&body).to_le_bytes());
            forged.extend_from_slice(&body);
            let mut d = loader(9);
            let before = d.export_state();
            if d.import(&forged).is_err() {
                refused += 1;
                assert!(d.is_empty());
                assert_eq!(
                    d.export_state(),
                    before,
                    "a refused import changed the document"
                );
                continue;
            }
            accepted += 1;
            // A forged name may have moved the text elsewhere.
            let Ok(t) = d.text("text") else { continue };
            let (text, len, utf16) = (d.text_string(&t), d.text_len(&t), d.text_len_utf16(&t));
            let value = format!("{:?}", d.to_value());
            // Exporting builds every text.
            let _ = d.export_state();
            assert_eq!(d.unbuilt_texts(), 0);
            assert_eq!(format!("{:?}", d.to_value()), value);
            assert_eq!(d.text_string(&t), text);
            assert_eq!(d.text_len(&t), len);
            assert_eq!(d.text_len_utf16(&t), utf16);
            // Built from checked spans, the text takes edits.
            d.text_insert(&t, len / 2, "z").unwrap();
            d.text_delete(&t, 0, len.min(3)).unwrap();
            d.commit();
        }
        assert!(
            accepted > 0 && refused > 0,
            "{accepted} accepted, {refused} refused"
        );
    }
}
