//! Histories long enough that the change log packs sealed changes: what peers
//! are sent, what exports hold and what a refused batch leaves must be as if
//! every change were kept as it was made.

use std::sync::Arc;

use weft_core::change::Op;
use weft_core::clock::FixedClock;
use weft_core::encoding::{decode_changes, encode_changes};
use weft_core::{Change, Doc, ReplicaId, VersionVector};

fn clocked(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000)))
}

/// Prepends `n` characters one keystroke at a time: every character is an op
/// of its own (none continues the previous one), so changes fill up and seal.
fn prepend(d: &mut Doc, n: usize) {
    let t = d.text("t").unwrap();
    for i in 0..n {
        let c = char::from(b'a' + (i % 26) as u8);
        d.text_insert(&t, 0, &c.to_string()).unwrap();
        if i % 7 == 3 {
            d.text_delete(&t, 1, 1).unwrap();
        }
        d.commit();
    }
}

fn text(d: &mut Doc) -> String {
    let t = d.text("t").unwrap();
    d.text_string(&t)
}

#[test]
fn changes_since_every_version_rebuild_the_document() {
    let mut a = clocked(1);
    let mut b = clocked(2);
    // Peers that stopped syncing at each round, loaded from snapshots.
    let mut peers = vec![clocked(9)];
    for round in 0..4 {
        prepend(&mut a, 1500 + round * 300);
        b.import(&a.export_changes(b.version())).unwrap();
        prepend(&mut b, 900);
        a.import(&b.export_changes(a.version())).unwrap();
        let mut peer = clocked(9);
        peer.import(&a.export_snapshot()).unwrap();
        peers.push(peer);
    }
    let all = a.changes();
    assert!(all.len() > 6, "the history spans several changes");
    for mut peer in peers {
        let prior = peer.version().clone();
        let missing = a.changes_since(&prior);
        // Nothing it already had is sent again.
        assert!(missing.iter().all(|c| c.start > prior.get(c.replica)));
        peer.import(&encode_changes(&missing)).unwrap();
        assert_eq!(text(&mut peer), text(&mut a));
        assert_eq!(peer.version(), a.version());
    }
    // The whole history through a snapshot, and through the lazily loaded one.
    let mut loaded = clocked(3);
    loaded.import(&a.export_snapshot()).unwrap();
    assert_eq!(text(&mut loaded), text(&mut a));
    assert_eq!(loaded.changes().len(), all.len());
    let mut replayed = clocked(4);
    replayed
        .import(&encode_changes(
            &loaded.changes_since(&VersionVector::new()),
        ))
        .unwrap();
    assert_eq!(text(&mut replayed), text(&mut a));
}

#[test]
fn refused_batch_leaves_a_long_history_as_it_was() {
    // Replica 7 prepends 1,000 characters (`first`), then 1,500 more (`extra`):
    // on the receiver, `extra` extends its last change past the size at which a
    // change is sealed and packed. Replica 8 then puts "Z" between two of
    // `extra`'s characters, forged with its origins swapped: refused only once
    // placed, after `extra` was applied.
    let mut seven = clocked(7);
    seven.text("t").unwrap();
    seven.commit();
    prepend(&mut seven, 1000);
    let first = seven.export_changes(&VersionVector::new());
    let after_first = seven.version().clone();
    prepend(&mut seven, 1500);
    let extra = decode_changes(&seven.export_changes(&after_first)).unwrap();
    let mut eight = clocked(8);
    eight.import(&seven.export_snapshot()).unwrap();
    let t8 = eight.text("t").unwrap();
    eight.text_insert(&t8, 1, "Z").unwrap();
    let mut forged = decode_changes(&eight.export_changes(seven.version())).unwrap();
    match forged[0].ops.last_mut() {
        Some(Op::SeqInsert { left, right, .. }) => std::mem::swap(left, right),
        op => panic!("expected an insert, got {op:?}"),
    }

    let mut d = clocked(3);
    d.import(&first).unwrap();
    let history = d.export_snapshot();
    let before = d.changes();
    let batch: Vec<Change> = extra.iter().cloned().chain(forged).collect();
    assert!(d.import(&encode_changes(&batch)).is_err());
    assert_eq!(d.changes(), before, "a refused batch changed the log");
    assert_eq!(d.export_snapshot(), history);

    // The same changes without the forged one go in, and come back out whole.
    d.import(&encode_changes(&extra)).unwrap();
    assert_eq!(text(&mut d), text(&mut seven));
    let mut again = clocked(4);
    again
        .import(&encode_changes(&d.changes_since(&VersionVector::new())))
        .unwrap();
    assert_eq!(text(&mut again), text(&mut seven));
    assert_eq!(
        d.changes_since(&after_first)
            .iter()
            .map(Change::len)
            .sum::<u64>(),
        extra.iter().map(Change::len).sum::<u64>()
    );
}
