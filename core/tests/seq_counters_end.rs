//! `Seq::counters_end`: one past the highest counter of a replica among a
//! sequence's elements. A merge's validation skips looking up an insert's own
//! id when the id is at or past it (branch `merge7`), so it must never be
//! lower than the truth: checked against the ids each replica inserted, as
//! runs of several replicas arrive interleaved, with gaps in their counters
//! (ops that are not inserts), with deletes (tombstones keep their ids), and
//! with a run delivered twice or in two pieces.

use weft_core::seq::{InsertOp, TextSeq};
use weft_core::{OpId, ReplicaId};

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Every replica's counters end as the hub's `counters_end` says: its last
/// counter is here, nothing from there on is, and a replica never seen has 0.
fn check(hub: &TextSeq, ends: &[u64], replicas: &[ReplicaId]) {
    for (&r, &end) in replicas.iter().zip(ends) {
        assert_eq!(hub.counters_end(r), end, "replica {r:?}");
        if end > 0 {
            assert!(hub.contains(OpId::new(r, end - 1)));
        }
        for c in end..end + 4 {
            assert!(!hub.contains(OpId::new(r, c)));
        }
    }
    assert_eq!(hub.counters_end(ReplicaId(99)), 0);
}

#[test]
fn counters_end_is_one_past_each_replicas_last_element() {
    let replicas = [ReplicaId(1), ReplicaId(2), ReplicaId(3)];
    for seed in 1..=6u64 {
        let mut rng = Lcg(seed);
        // Each replica types into its own sequence (so its ops' origins are
        // its own elements); the hub receives their ops interleaved.
        let mut own: Vec<TextSeq> = replicas.iter().map(|_| TextSeq::new()).collect();
        let mut next = [1u64; 3];
        let mut ends = [0u64; 3];
        let mut hub = TextSeq::new();
        check(&hub, &ends, &replicas);
        for step in 0..600 {
            let k = rng.next(3) as usize;
            let r = replicas[k];
            let text = ["a", "bc", "def", "é", "x"][rng.next(5) as usize];
            let at = rng.next(own[k].len() as u64 + 1) as usize;
            let id = OpId::new(r, next[k]);
            let op = own[k].insert(at, text, id).unwrap();
            let op = InsertOp {
                id: op.id,
                origin_left: op.origin_left,
                origin_right: op.origin_right,
                content: text,
            };
            let n = text.chars().count() as u64;
            match rng.next(8) {
                // The run in two pieces: its tail first is refused (its left
                // origin is its own head), so the head, then the whole run.
                0 if n > 1 => {
                    let head = &text[..text.char_indices().nth(1).unwrap().0];
                    hub.apply_insert(&InsertOp {
                        content: head,
                        ..op
                    })
                    .unwrap();
                    assert_eq!(hub.counters_end(r), next[k] + 1);
                    hub.apply_insert(&op).unwrap();
                }
                // Delivered twice: the second is a no-op.
                1 => {
                    hub.apply_insert(&op).unwrap();
                    hub.apply_insert(&op).unwrap();
                }
                _ => {
                    hub.apply_insert(&op).unwrap();
                }
            }
            ends[k] = next[k] + n;
            // Ops that are not inserts take counters too.
            next[k] += n + rng.next(3);
            if step % 7 == 6 && !hub.is_empty() {
                let at = rng.next(hub.len() as u64) as usize;
                hub.delete(at, 1).unwrap();
            }
            check(&hub, &ends, &replicas);
        }
        hub.check_invariants().unwrap();
    }
}

#[test]
fn counters_end_holds_when_a_replicas_runs_arrive_out_of_counter_order() {
    let d = ReplicaId(4);
    // Two runs of one replica with no origins (each typed into an empty
    // text), delivered highest counter first.
    let mut hub = TextSeq::new();
    let late = InsertOp {
        id: OpId::new(d, 9),
        origin_left: None,
        origin_right: None,
        content: "qr",
    };
    let early = InsertOp {
        id: OpId::new(d, 2),
        content: "p",
        ..late
    };
    hub.apply_insert(&late).unwrap();
    assert_eq!(hub.counters_end(d), 11);
    hub.apply_insert(&early).unwrap();
    assert_eq!(hub.counters_end(d), 11);
    assert!(hub.contains(OpId::new(d, 2)) && hub.contains(OpId::new(d, 10)));
    assert!(!hub.contains(OpId::new(d, 11)));
    hub.check_invariants().unwrap();
}
