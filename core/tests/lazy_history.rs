//! Loading a snapshot defers decoding its history: the document must be fully
//! usable at once, and the history must come back intact when first needed.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::encoding::decode_changes;
use weft_core::{Doc, ReplicaId, VersionVector};

fn clocked(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000_000)))
}

fn sample() -> Doc {
    let mut a = clocked(1);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "hello world").unwrap();
    a.commit();
    a.text_delete(&t, 0, 6).unwrap();
    a.set("title", "notes");
    let n = a.counter("n").unwrap();
    a.counter_add(&n, 3).unwrap();
    a.commit();
    let mut b = clocked(2);
    b.import(&a.export_snapshot()).unwrap();
    let tb = b.text("t").unwrap();
    b.text_insert(&tb, 5, "!").unwrap();
    a.import(&b.export_changes(a.version())).unwrap();
    a
}

#[test]
fn a_loaded_snapshot_gives_back_its_whole_history() {
    let mut a = sample();
    let snapshot = a.export_snapshot();
    let mut b = clocked(3);
    b.import(&snapshot).unwrap();
    assert_eq!(b.to_value(), a.to_value());
    // Snapshots keep no deleted text (NUL stands in): the same changes as an
    // eager decode of the snapshot gives.
    assert_eq!(b.changes(), decode_changes(&snapshot).unwrap());
    assert_eq!(b.changes().len(), a.changes().len());
    assert_eq!(b.load_history(), Ok(()));
}

#[test]
fn edits_right_after_loading_keep_the_history_in_order() {
    let mut a = sample();
    let mut b = clocked(3);
    b.import(&a.export_snapshot()).unwrap();
    // Local and remote edits before anything needs the history.
    let t = b.text("t").unwrap();
    b.text_insert(&t, 0, ">> ").unwrap();
    b.commit();
    b.text_insert(&t, 3, "x").unwrap();
    b.set("title", "later");
    let ta = a.text("t").unwrap();
    a.text_insert(&ta, 0, "a:").unwrap();
    b.import(&a.export_changes(b.version())).unwrap();

    // Everything, from nothing: the snapshot's history and what came after.
    let mut c = clocked(4);
    c.import(&b.export_changes(&VersionVector::new())).unwrap();
    assert_eq!(c.to_value(), b.to_value());
    // And again through a snapshot of the loaded document.
    let mut d = clocked(5);
    d.import(&b.export_snapshot()).unwrap();
    assert_eq!(d.to_value(), b.to_value());
    assert_eq!(d.changes(), b.changes());
    // A peer at the original version gets exactly the later changes.
    let mut e = sample();
    e.import(&b.export_changes(e.version())).unwrap();
    assert_eq!(e.to_value(), b.to_value());
}
