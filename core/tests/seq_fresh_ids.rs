//! A local insert's id must be above every counter its replica used, and the
//! check must see what came since the last local insert: natively, typing on
//! checks against the last insert's own id, which holds only while no element
//! was added since.

use weft_core::seq::{InsertOp, SeqError, TextSeq};
use weft_core::{OpId, ReplicaId};

const A: ReplicaId = ReplicaId(1);
const B: ReplicaId = ReplicaId(2);

fn id(r: ReplicaId, c: u64) -> OpId {
    OpId::new(r, c)
}

fn not_fresh(r: Result<InsertOp<'_, str>, SeqError>) -> Option<u64> {
    match r {
        Err(SeqError::IdNotFresh { used_up_to, .. }) => Some(used_up_to),
        _ => None,
    }
}

#[test]
fn typing_on_rejects_each_counter_already_used() {
    let mut s = TextSeq::new();
    s.insert(0, "abc", id(A, 10)).unwrap();
    // Counters 10..=12 are used; every one of them, at any position, is refused.
    for (pos, c) in [(3, 12), (3, 10), (0, 11), (1, 12)] {
        assert_eq!(not_fresh(s.insert(pos, "x", id(A, c))), Some(13), "{c}");
    }
    // The next one and any gap above are fine; then the first is used too.
    s.insert(3, "d", id(A, 13)).unwrap();
    assert_eq!(not_fresh(s.insert(4, "e", id(A, 13))), Some(14));
    s.insert(4, "e", id(A, 20)).unwrap();
    assert_eq!(not_fresh(s.insert(5, "f", id(A, 20))), Some(21));
    assert_eq!(not_fresh(s.insert(5, "f", id(A, 15))), Some(21));
    // Another replica's counters are its own.
    s.insert(5, "f", id(B, 1)).unwrap();
    s.insert(6, "g", id(A, 21)).unwrap();
    assert_eq!(s.text(), "abcdefg");
}

#[test]
fn typing_on_sees_the_replicas_own_ops_arriving_from_elsewhere() {
    let mut s = TextSeq::new();
    s.insert(0, "ab", id(A, 1)).unwrap();
    // Its own earlier ops arrive from a replica restored from storage (the same
    // replica id), with higher counters, typed after "ab".
    let op = InsertOp {
        id: id(A, 3),
        origin_left: Some(id(A, 2)),
        origin_right: None,
        content: "cd",
    };
    s.apply_insert(&op).unwrap();
    assert_eq!(not_fresh(s.insert(4, "x", id(A, 3))), Some(5));
    assert_eq!(not_fresh(s.insert(2, "x", id(A, 4))), Some(5));
    s.insert(4, "e", id(A, 5)).unwrap();
    assert_eq!(not_fresh(s.insert(5, "x", id(A, 5))), Some(6));
    assert_eq!(s.text(), "abcde");
}
