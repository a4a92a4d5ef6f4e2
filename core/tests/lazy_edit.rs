//! A text loaded from a snapshot becomes a plain built text at its first edit
//! (`doc/seq/lazy.rs`): whether it was still pending then, or already built
//! through a read that needed the tree, the edit lands on the loaded text.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Doc, Gravity, ReplicaId};

fn doc(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000)))
}

/// The source's snapshot imported into a fresh document, its text unbuilt.
fn loaded(bytes: &[u8]) -> Doc {
    let mut d = doc(2);
    d.import(bytes).unwrap();
    assert_eq!(d.unbuilt_texts(), 1);
    d
}

/// Inserts and deletes in `d`, returning its text after each.
fn edit(d: &mut Doc) -> Vec<String> {
    let t = d.text("text").unwrap();
    let mut seen = Vec::new();
    for i in 0..20 {
        let n = d.text_len(&t);
        d.text_insert(&t, (i * 7) % (n + 1), "ab é").unwrap();
        d.commit();
        d.text_delete(&t, (i * 5) % n, 2).unwrap();
        d.commit();
        seen.push(d.text_string(&t));
    }
    seen
}

#[test]
fn the_first_edit_of_a_loaded_text_lands_on_its_content() {
    let mut source = doc(1);
    let t = source.text("text").unwrap();
    source
        .text_insert(&t, 0, "the quick brown fox jumps over the lazy dog")
        .unwrap();
    source.text_delete(&t, 4, 6).unwrap();
    source.commit();
    let bytes = source.export_snapshot();
    let mut reference = source.clone();
    let want = edit(&mut reference);

    // Still pending at the first edit.
    let mut pending = loaded(&bytes);
    assert_eq!(edit(&mut pending), want);
    assert_eq!(pending.unbuilt_texts(), 0);

    // Built by a read that needs the tree (a cursor), then edited.
    let mut read = loaded(&bytes);
    let tr = read.text("text").unwrap();
    read.text_cursor(&tr, 3, Gravity::Right).unwrap();
    assert_eq!(read.unbuilt_texts(), 0);
    assert_eq!(edit(&mut read), want);
}
