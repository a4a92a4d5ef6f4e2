//! A typing session's change is resumed by the next local edit only while the
//! last thing done to the log was committing it: a remote change or an LWW write
//! in between starts a change of its own, even when the remote change happens to
//! end where this replica's next op starts (the log's end check alone would take
//! it for this replica's).

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Change, Doc, ReplicaId};

fn doc(replica: u64, clock: &FixedClock) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(clock.clone()))
}

/// Every change of `doc` holds only its own replica's ops, and a fresh replica
/// fed them gets the same text.
fn check_history(doc: &mut Doc) -> Vec<Change> {
    let changes = doc.changes();
    let mut fresh = Doc::new(ReplicaId(99));
    fresh.apply_changes(changes.clone()).unwrap();
    let (t, u) = (doc.text("t").unwrap(), fresh.text("t").unwrap());
    assert_eq!(fresh.text_string(&u), doc.text_string(&t));
    assert_eq!(fresh.version(), doc.version());
    changes
}

#[test]
fn typing_after_a_remote_change_ending_at_the_same_counter_starts_a_change() {
    let clock = FixedClock::new(1_000);
    let (mut a, mut b) = (doc(1, &clock), doc(2, &clock));
    let (ta, tb) = (a.text("t").unwrap(), b.text("t").unwrap());
    // Both replicas made the text (counter 1) and typed three characters
    // (counters 2..4), one commit per keystroke.
    for (i, c) in ["a", "b", "c"].iter().enumerate() {
        a.text_insert(&ta, i, c).unwrap();
        a.commit();
        b.text_insert(&tb, i, &c.to_uppercase()).unwrap();
        b.commit();
    }
    a.apply_changes(b.changes()).unwrap();
    // `a`'s next op is counter 5, where `b`'s last change ends.
    a.text_insert(&ta, 0, "d").unwrap();
    a.commit();
    a.text_insert(&ta, 1, "e").unwrap();
    a.commit();
    let changes = check_history(&mut a);
    let last = changes.last().unwrap();
    assert_eq!((last.replica, last.start), (ReplicaId(1), 5));
    assert_eq!(a.text_string(&ta).len(), 8);
}

#[test]
fn typing_after_an_lww_write_starts_a_change_stamped_after_it() {
    let clock = FixedClock::new(1_000);
    let mut a = doc(1, &clock);
    let t = a.text("t").unwrap();
    for (i, c) in ["a", "b", "c"].iter().enumerate() {
        a.text_insert(&t, i, c).unwrap();
        a.commit();
    }
    a.set("k", 1);
    a.commit();
    clock.set(2_000);
    for (i, c) in ["x", "y"].iter().enumerate() {
        a.text_insert(&t, i, c).unwrap();
        a.commit();
    }
    let changes = check_history(&mut a);
    let starts: Vec<u64> = changes.iter().map(|c| c.start).collect();
    // The text with the first keystroke (uncommitted when it was typed), the
    // rest of the typing, the write, the typing again.
    assert_eq!(starts, [1, 3, 5, 6]);
    assert!(changes.windows(2).all(|w| w[0].hlc < w[1].hlc));
    assert_eq!(changes[3].hlc.ms, 2_000);
}
