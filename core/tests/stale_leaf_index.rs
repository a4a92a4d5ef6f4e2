//! Local edits leave the sequence's lv-to-leaf index stale (their new
//! elements unlisted, the spans a leaf split moves not re-pointed) until
//! something needs it. Every lookup by id must still find every element,
//! from `&self` while leaves are stale, and after remote edits bring the
//! index up to date; the invariant check must hold throughout.

use weft_core::seq::{IdRun, TextSeq};
use weft_core::{OpId, ReplicaId};

const A: ReplicaId = ReplicaId(3);
const B: ReplicaId = ReplicaId(9);

/// A small deterministic generator (no dependency, same run every time).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

/// Local edits at scattered places (typing runs, pastes, deletes): many
/// leaf splits. Returns the ids deleted.
fn edit(seq: &mut TextSeq, rng: &mut Lcg, counter: &mut u64, edits: usize) -> Vec<IdRun> {
    let mut deleted = Vec::new();
    let mut at = 0;
    for i in 0..edits {
        // Mostly typing on from the last place, sometimes a jump.
        if i % 7 == 0 {
            at = rng.below(seq.len() + 1);
        }
        at = at.min(seq.len());
        match rng.below(10) {
            0..=6 => {
                let s = if rng.below(8) == 0 {
                    "pasted é line\n"
                } else {
                    "x"
                };
                seq.insert(at, s, OpId::new(A, *counter)).unwrap();
                let n = s.chars().count();
                *counter += n as u64;
                at += n;
            }
            _ if !seq.is_empty() => {
                let from = rng.below(seq.len());
                let len = (1 + rng.below(6)).min(seq.len() - from);
                deleted.extend(seq.delete(from, len).unwrap());
                *counter += len as u64;
                at = from;
            }
            _ => {}
        }
    }
    deleted
}

/// Every visible element's id leads back to its index; every deleted one is
/// found and reported deleted.
fn check_lookups(seq: &TextSeq, deleted: &[IdRun]) {
    seq.check_invariants().unwrap();
    for index in 0..seq.len() {
        let id = seq.id_at(index).unwrap();
        let pos = seq.index_of(id).unwrap();
        assert!(pos.visible, "element {id} at {index} reported deleted");
        assert_eq!(pos.index, index, "element {id} found at the wrong index");
    }
    for run in deleted {
        for k in 0..run.len {
            let id = OpId::new(run.start.replica, run.start.counter + k);
            let pos = seq.index_of(id).unwrap();
            assert!(!pos.visible, "deleted element {id} reported visible");
        }
    }
}

#[test]
fn lookups_find_every_element_while_leaves_are_stale() {
    let mut rng = Lcg(0x5eed);
    let mut counter = 1;
    let mut seq = TextSeq::new();
    // Enough for hundreds of leaves, past the local cap on stale leaves.
    let deleted = edit(&mut seq, &mut rng, &mut counter, 40_000);
    check_lookups(&seq, &deleted);
    // The same after a short session (few stale leaves, none brought up to date).
    let more = edit(&mut seq, &mut rng, &mut counter, 300);
    let all: Vec<IdRun> = deleted.into_iter().chain(more).collect();
    check_lookups(&seq, &all);
}

#[test]
fn remote_edits_after_a_local_session_see_every_element() {
    let mut rng = Lcg(0xfeed);
    let mut counter = 1;
    let mut seq = TextSeq::new();
    let mut deleted = edit(&mut seq, &mut rng, &mut counter, 5_000);
    // A remote replica inserts next to elements chosen all over the text
    // (its origins are found by id), and deletes some by id.
    let mut remote_counter = 1;
    for round in 0..200 {
        let at = rng.below(seq.len() + 1);
        let left = if at == 0 {
            None
        } else {
            Some(seq.id_at(at - 1).unwrap())
        };
        let right = if at == seq.len() {
            None
        } else {
            Some(seq.id_at(at).unwrap())
        };
        let op = weft_core::seq::InsertOp {
            id: OpId::new(B, remote_counter),
            origin_left: left,
            origin_right: right,
            content: "rr",
        };
        let change = seq.apply_insert(&op).unwrap().unwrap();
        assert_eq!(change.index, at);
        remote_counter += 2;
        if round % 3 == 0 && seq.len() > 4 {
            let victim = seq.id_at(rng.below(seq.len())).unwrap();
            let run = IdRun::new(victim, 1);
            seq.apply_delete(run).unwrap();
            deleted.push(run);
        }
        // Local edits in between leave leaves stale again.
        deleted.extend(edit(&mut seq, &mut rng, &mut counter, 20));
    }
    check_lookups(&seq, &deleted);
}
