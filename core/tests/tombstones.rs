//! Tombstones load as lengths: a snapshot of a document where something large
//! was inserted and deleted again is small, and must load (before length-only
//! tombstones, its deleted runs were rebuilt as placeholder strings, which no
//! bound derived from the small payload admitted).

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId, VersionVector};

fn clocked(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000_000)))
}

const BIG: usize = 5 << 20;

/// "hello " + 5 MB pasted and deleted + "world", and a list whose elements were
/// all deleted but one.
fn pasted_and_deleted() -> Doc {
    let mut a = clocked(1);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, "hello world").unwrap();
    a.commit();
    let paste: String = (0..BIG).map(|i| (b'a' + (i % 23) as u8) as char).collect();
    a.text_insert(&t, 6, &paste).unwrap();
    a.commit();
    a.text_delete(&t, 6, BIG).unwrap();
    a.commit();
    let l = a.list("l").unwrap();
    for i in 0..20_000 {
        a.list_insert(&l, i, i as i64).unwrap();
    }
    a.commit();
    a.list_delete(&l, 1, 19_999).unwrap();
    a.commit();
    a
}

fn text_of(d: &mut Doc) -> String {
    let t = d.text("t").unwrap();
    d.text_string(&t)
}

/// Edits on both sides of where the deleted paste was, concurrently on `x` and
/// `y`, then exchanges them; both must end equal.
fn edit_and_sync(x: &mut Doc, y: &mut Doc) {
    let (tx, ty) = (x.text("t").unwrap(), y.text("t").unwrap());
    x.text_insert(&tx, 6, "[x]").unwrap();
    x.text_delete(&tx, 0, 1).unwrap();
    y.text_insert(&ty, 6, "[y]").unwrap();
    let ly = y.list("l").unwrap();
    y.list_insert(&ly, 1, "after").unwrap();
    x.commit();
    y.commit();
    let to_y = x.export_changes(y.version());
    let to_x = y.export_changes(x.version());
    y.import(&to_y).unwrap();
    x.import(&to_x).unwrap();
    assert_eq!(x.to_value(), y.to_value());
    assert_eq!(x.version(), y.version());
}

#[test]
fn a_snapshot_with_a_large_deleted_paste_loads_and_merges() {
    let mut a = pasted_and_deleted();
    let snapshot = a.export_snapshot();
    assert!(snapshot.len() < 4096, "snapshot is {} B", snapshot.len());
    let mut b = clocked(2);
    b.import(&snapshot).unwrap();
    assert_eq!(text_of(&mut b), "hello world");
    assert_eq!(b.to_value(), a.to_value());
    assert_eq!(b.version(), a.version());
    // Its history cannot be served (docs/encoding.md, "Loading": derived inserts
    // would restore 5 MB of placeholders from a tiny payload); the state can.
    assert!(b.load_history().is_err());

    // `a` has the full history (and the deleted text); `b` only lengths.
    edit_and_sync(&mut a, &mut b);
    assert_eq!(text_of(&mut a), "ello [x][y]world");

    // A third replica that receives everything from `a` agrees with `b`, and
    // `b`'s own snapshot loads again.
    let mut c = clocked(3);
    c.import(&a.export_changes(&VersionVector::new())).unwrap();
    assert_eq!(c.to_value(), b.to_value());
    let mut d = clocked(4);
    d.import(&b.export_snapshot()).unwrap();
    assert_eq!(d.to_value(), a.to_value());
    edit_and_sync(&mut c, &mut d);
}

#[test]
fn a_state_only_snapshot_with_a_large_deleted_paste_loads_and_merges() {
    let mut a = pasted_and_deleted();
    let state = a.export_state();
    assert!(state.len() < 1024, "state is {} B", state.len());
    let mut b = clocked(2);
    b.import(&state).unwrap();
    assert_eq!(text_of(&mut b), "hello world");
    assert_eq!(b.to_value(), a.to_value());
    assert_eq!(b.version(), a.version());
    edit_and_sync(&mut a, &mut b);
    let mut c = clocked(3);
    c.import(&b.export_state()).unwrap();
    assert_eq!(c.to_value(), a.to_value());
}

/// A sequence rebuilt from spans whose tombstones carry no content behaves like
/// the original: remote inserts inside a long tombstone split it (moving parts
/// of it between leaves), and reading deleted content gives placeholders.
#[test]
fn length_only_tombstones_behave_like_the_original() {
    use weft_core::seq::{IdRun, InsertOp, TextSeq};
    use weft_core::OpId;
    let (a, b) = (ReplicaId(1), ReplicaId(2));
    let mut orig = TextSeq::new();
    orig.insert(0, "head tail", OpId::new(a, 1)).unwrap();
    let long: String = "x".repeat(300_000);
    orig.insert(5, &long, OpId::new(a, 100)).unwrap();
    orig.delete(5, 300_000).unwrap();
    let rebuilt = TextSeq::from_spans(orig.spans()).unwrap();
    rebuilt.check_invariants().unwrap();
    assert!(orig.spans().all(|s| !s.deleted || s.content.is_empty()));
    // No content for the deleted run: far less memory than the original.
    assert!(
        rebuilt.heap_bytes() * 10 < orig.heap_bytes(),
        "{} vs {}",
        rebuilt.heap_bytes(),
        orig.heap_bytes()
    );
    let mut seqs = [orig, rebuilt];
    let inside = |k: u64| Some(OpId::new(a, 100 + k));
    // Concurrent inserts from another replica anchored deep inside the tombstone.
    let ops = [
        (OpId::new(b, 1), inside(70_000), inside(70_001), "one"),
        (OpId::new(b, 4), inside(200_000), inside(200_001), "two"),
        (OpId::new(b, 7), inside(5), inside(6), "three"),
    ];
    for seq in &mut seqs {
        for (id, l, r, text) in ops {
            seq.apply_insert(&InsertOp {
                id,
                origin_left: l,
                origin_right: r,
                content: text,
            })
            .unwrap();
            seq.check_invariants().unwrap();
        }
        seq.insert(0, ">", OpId::new(ReplicaId(3), 1)).unwrap();
        seq.check_invariants().unwrap();
    }
    assert_eq!(seqs[0].text(), ">head threeonetwotail");
    assert_eq!(seqs[0].text(), seqs[1].text());
    assert!(seqs[0].spans().eq(seqs[1].spans()));
    let run = IdRun::new(OpId::new(a, 100 + 69_998), 4);
    assert_eq!(seqs[0].content_of(run).unwrap(), "xxxx");
    assert_eq!(seqs[1].content_of(run).unwrap(), "\0\0\0\0");
    assert_eq!(
        seqs[1].index_of(OpId::new(a, 100 + 150_000)).unwrap(),
        seqs[0].index_of(OpId::new(a, 100 + 150_000)).unwrap()
    );
}
