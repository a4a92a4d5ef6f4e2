//! The log with packed changes against a plain list of the same changes.

use std::sync::Arc;

use super::{Anchor, Change, ChangeLog, MarkOp, NewValue, Op, SeqContent};
use crate::clock::{Hlc, VersionVector};
use crate::encoding::{decode_block, decode_log_block, encode_block, encode_log_block};
use crate::{ContainerId, ContainerKind, Number, OpId, ReplicaId, Value};

fn text_obj() -> ContainerId {
    ContainerId::Named {
        name: Arc::from("text"),
        kind: ContainerKind::Text,
    }
}

fn list_obj() -> ContainerId {
    ContainerId::Named {
        name: Arc::from("list"),
        kind: ContainerKind::List,
    }
}

/// A typing session of `n` ops by `r` from counter `start`: runs of inserts
/// (after one's own text and elsewhere) and deletes of both directions.
fn typing(r: ReplicaId, start: u64, n: usize, deps: Vec<OpId>) -> Change {
    let mut ops = Vec::new();
    let mut counter = start;
    for i in 0..n {
        let op = match i % 4 {
            0 => Op::SeqInsert {
                obj: text_obj(),
                left: (counter > 1).then(|| OpId::new(r, counter - 1)),
                right: None,
                content: SeqContent::Text(format!("ab{i}é")),
            },
            1 => Op::SeqInsert {
                obj: text_obj(),
                left: Some(OpId::new(ReplicaId(99), 7)),
                right: Some(OpId::new(ReplicaId(98), 3)),
                content: SeqContent::Text("x".into()),
            },
            2 => Op::SeqDelete {
                obj: text_obj(),
                target: OpId::new(r, counter.saturating_sub(3).max(1)),
                len: 2,
                reversed: i % 8 == 2,
            },
            _ => Op::SeqDelete {
                obj: text_obj(),
                target: OpId::new(ReplicaId(99), 100 + i as u64),
                len: 1,
                reversed: false,
            },
        };
        counter += op.len();
        ops.push(op);
    }
    Change {
        replica: r,
        start,
        deps,
        hlc: Hlc::new(1_000 + start, (start % 3) as u32),
        ops,
    }
}

/// A small change with one op of every other kind (never merged: it writes
/// map fields and marks).
fn assorted(r: ReplicaId, start: u64, deps: Vec<OpId>) -> Change {
    let obj = text_obj();
    let ops = vec![
        Op::MapSet {
            obj: ContainerId::Root,
            key: Arc::from("k"),
            value: NewValue::Value(Value::Array(vec![Value::Int(-3), Value::Float(0.5)])),
        },
        Op::MapSet {
            obj: ContainerId::Root,
            key: Arc::from("child"),
            value: NewValue::Container(ContainerKind::Counter),
        },
        Op::MapDelete {
            obj: ContainerId::Root,
            key: Arc::from("gone"),
        },
        Op::CounterAdd {
            obj: ContainerId::Created {
                id: OpId::new(r, start + 1),
                kind: ContainerKind::Counter,
            },
            delta: Number::Float(-1.5),
        },
        Op::SetAdd {
            obj: ContainerId::Named {
                name: Arc::from("set"),
                kind: ContainerKind::Set,
            },
            member: Value::Str("m".into()),
        },
        Op::SetRemove {
            obj: ContainerId::Named {
                name: Arc::from("set"),
                kind: ContainerKind::Set,
            },
            member: Value::Str("m".into()),
            tags: vec![OpId::new(r, start + 4), OpId::new(ReplicaId(5), 2)],
        },
        Op::SeqInsert {
            obj: list_obj(),
            left: None,
            right: None,
            content: SeqContent::Values(vec![
                NewValue::Value(Value::Bool(true)),
                NewValue::Container(ContainerKind::Map),
            ]),
        },
        Op::Mark(Box::new(MarkOp {
            obj,
            start: Anchor::Before(OpId::new(r, 1)),
            end: Anchor::End,
            name: Arc::from("bold"),
            value: Value::Bool(true),
            remove: false,
        })),
    ];
    Change {
        replica: r,
        start,
        deps,
        hlc: Hlc::new(2_000 + start, 0),
        ops,
    }
}

/// Changes of three replicas, interleaved so that none merges into another:
/// big typing sessions (packed alone), small ones and assorted ones (packed
/// in groups), each depending on another replica's last op.
fn history() -> Vec<Change> {
    let replicas = [ReplicaId(1), ReplicaId(2), ReplicaId(3)];
    let mut next = [1u64; 3];
    let mut out = Vec::new();
    for step in 0..60usize {
        let k = step % 3;
        let r = replicas[k];
        let other = (k + 1) % 3;
        let deps = if next[other] > 1 {
            vec![OpId::new(replicas[other], next[other] - 1)]
        } else {
            Vec::new()
        };
        let c = match step % 7 {
            0 => typing(r, next[k], 2048, deps),
            1 | 4 => assorted(r, next[k], deps),
            5 => typing(r, next[k], 1500, deps),
            _ => typing(r, next[k], 37 + step, deps),
        };
        next[k] += c.len();
        out.push(c);
    }
    out
}

/// What a peer at `version` lacks, from the plain list.
fn reference_since(all: &[Change], version: &VersionVector) -> Vec<Change> {
    all.iter()
        .filter(|c| version.get(c.replica) < c.last())
        .map(|c| {
            let seen = version.get(c.replica);
            if c.start <= seen {
                c.slice_from(seen + 1)
            } else {
                c.clone()
            }
        })
        .collect()
}

fn versions(all: &[Change]) -> Vec<VersionVector> {
    let mut out = vec![VersionVector::new()];
    let mut v = VersionVector::new();
    for (i, c) in all.iter().enumerate() {
        // Each change's end, and a point inside it.
        let mut inside = v.clone();
        inside.advance(c.replica, c.start + c.len() / 2);
        v.advance(c.replica, c.last());
        if i % 3 == 0 {
            out.push(inside);
            out.push(v.clone());
        }
    }
    out.push(v);
    out
}

/// A value nested deeper than the encoders take.
fn too_deep() -> Value {
    let mut deep = Value::Null;
    for _ in 0..100 {
        deep = Value::Array(vec![deep]);
    }
    deep
}

/// A change at counter 1 with `deps` deps on replica 8 and `deletes` root
/// map deletes: the shapes the log-block tests put at and under the
/// columns' limits.
fn bare(r: ReplicaId, deps: u64, deletes: usize) -> Change {
    Change {
        replica: r,
        start: 1,
        deps: (1..=deps).map(|c| OpId::new(ReplicaId(8), c)).collect(),
        hlc: Hlc::new(5, 0),
        ops: vec![
            Op::MapDelete {
                obj: ContainerId::Root,
                key: Arc::from("k"),
            };
            deletes
        ],
    }
}

/// A change of `r` holding the one op `op`, from counter `start`.
fn one_op(r: ReplicaId, op: Op, start: u64) -> Change {
    Change {
        replica: r,
        start,
        deps: Vec::new(),
        hlc: Hlc::new(5, 0),
        ops: vec![op],
    }
}

/// Every truncation of `bytes` is refused, and no byte flip makes `decode`
/// panic (some flips still decode).
fn assert_damage_is_survived<T, E>(bytes: &[u8], decode: impl Fn(&[u8]) -> Result<T, E>) {
    for cut in 0..bytes.len() {
        assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    for i in 0..bytes.len() {
        for flip in [1u8, 0x40, 0x80, 0xff] {
            let mut bad = bytes.to_vec();
            bad[i] ^= flip;
            let _ = decode(&bad);
        }
    }
}

#[test]
fn since_across_packed_blocks_matches_a_plain_list() {
    let all = history();
    let mut log = ChangeLog::default();
    for c in &all {
        log.push(c.clone());
    }
    assert!(log.packed_len() > 10, "the history was packed");
    assert_eq!(log.changes(), all);
    for v in versions(&all) {
        assert_eq!(log.since(&v), reference_since(&all, &v), "at {v:?}");
    }
    let mut version = VersionVector::new();
    for c in &all {
        version.advance(c.replica, c.last());
    }
    assert_eq!(log.check(&version), Ok(()));
    assert_eq!(log.clone().into_changes(), all);
}

#[test]
fn blocks_read_back_every_op_kind() {
    let r = ReplicaId(7);
    let rows = vec![typing(r, 1, 300, Vec::new()), typing(r, 301, 5, Vec::new())];
    let mixed = vec![
        typing(r, 1, 40, Vec::new()),
        assorted(r, 100, vec![OpId::new(ReplicaId(9), 4)]),
    ];
    // More deps than a payload allows per replica (a change applied through
    // the API may carry them): the log's blocks take them.
    let mut many_deps = assorted(r, 1, (1..=9).map(|c| OpId::new(ReplicaId(8), c)).collect());
    many_deps.ops.truncate(1);
    for changes in [rows, mixed, vec![many_deps]] {
        let bytes = encode_block(&changes).expect("representable");
        assert_eq!(decode_block(&bytes).expect("decodes"), changes);
    }
}

#[test]
fn damaged_blocks_fail_to_decode_without_panicking() {
    let r = ReplicaId(7);
    let rows = vec![typing(r, 1, 50, Vec::new())];
    let mixed = vec![typing(r, 1, 10, Vec::new()), assorted(r, 30, Vec::new())];
    for changes in [rows, mixed] {
        let bytes = encode_block(&changes).expect("representable");
        assert_damage_is_survived(&bytes, decode_block);
    }
}

#[test]
fn changes_the_decoder_would_refuse_are_kept_as_they_are() {
    let r = ReplicaId(4);
    let deep = too_deep();
    let odd = Change {
        replica: r,
        start: 1,
        // More deps than a payload allows per replica.
        deps: (1..=9).map(|c| OpId::new(ReplicaId(8), c)).collect(),
        hlc: Hlc::new(5, 0),
        ops: vec![
            Op::SeqInsert {
                obj: text_obj(),
                left: None,
                right: None,
                content: SeqContent::Text(String::new()),
            },
            Op::MapSet {
                obj: ContainerId::Root,
                key: Arc::from("deep"),
                value: NewValue::Value(deep),
            },
        ],
    };
    assert!(encode_block(std::slice::from_ref(&odd)).is_none());
    // Each refusal on its own.
    let one = |op: Op, start: u64| one_op(r, op, start);
    for (i, op) in odd.ops.iter().enumerate() {
        assert!(encode_block(&[one(op.clone(), 1)]).is_none(), "op {i}");
    }
    let zero_delete = Op::SeqDelete {
        obj: text_obj(),
        target: OpId::new(r, 1),
        len: 0,
        reversed: false,
    };
    let empty_list = Op::SeqInsert {
        obj: list_obj(),
        left: None,
        right: None,
        content: SeqContent::Values(Vec::new()),
    };
    let last_counter = Op::SetAdd {
        obj: text_obj(),
        member: Value::Null,
    };
    assert!(encode_block(&[one(zero_delete, 1)]).is_none());
    assert!(encode_block(&[one(empty_list, 1)]).is_none());
    assert!(encode_block(&[one(last_counter.clone(), u64::MAX)]).is_none());
    assert!(encode_block(&[one(last_counter, u64::MAX - 1)]).is_some());
    let mut log = ChangeLog::default();
    log.push(odd.clone());
    let big = typing(
        r,
        odd.start + odd.len(),
        2048,
        vec![OpId::new(ReplicaId(8), 9)],
    );
    log.push(big.clone());
    log.push(assorted(r, big.start + big.len(), Vec::new()));
    assert_eq!(log.packed_len(), 2);
    assert_eq!(log.since(&VersionVector::new())[..2], [odd, big]);
}

#[test]
fn rollback_restores_changes_sealed_after_the_mark() {
    let r = ReplicaId(1);
    let s = ReplicaId(2);
    let mut log = ChangeLog::default();
    let first = typing(r, 1, 2048, Vec::new());
    let open = typing(s, 1, 100, vec![OpId::new(r, 1)]);
    log.push(first.clone());
    log.push(open.clone());
    let before = log.changes();
    let packed = log.packed_len();
    let mark = log.mark();
    // Extends the open change in place, then seals it behind a change heavy
    // enough to pack, and one of a new replica.
    let mut more = typing(s, open.start + open.len(), 3000, Vec::new());
    // Its first op continues the open change's last (a delete run), which
    // grows in place.
    let Some(Op::SeqDelete { target, len, .. }) = open.ops.last() else {
        panic!("the open change ends with a delete");
    };
    more.ops.insert(
        0,
        Op::SeqDelete {
            obj: text_obj(),
            target: OpId::new(target.replica, target.counter + len),
            len: 1,
            reversed: false,
        },
    );
    log.push(more.clone());
    log.push(typing(
        r,
        first.start + first.len(),
        2048,
        vec![OpId::new(s, 5)],
    ));
    log.push(assorted(ReplicaId(3), 1, Vec::new()));
    assert_eq!(
        log.packed_len(),
        packed,
        "nothing is packed while a mark is out"
    );
    log.rollback(mark);
    assert_eq!(log.changes(), before);
    let mut version = VersionVector::new();
    version.advance(r, first.last());
    version.advance(s, open.last());
    assert_eq!(log.check(&version), Ok(()));
    assert_eq!(log.since(&version), Vec::new());
    let mut v = VersionVector::new();
    v.advance(r, first.last());
    assert_eq!(log.since(&v), vec![open.clone()]);
    // The log goes on as if the batch never came: the open change still
    // takes what continues it.
    log.push(more.clone());
    let got = log.changes();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].start, open.start);
    assert_eq!(got[1].len(), open.len() + more.len());
}

#[test]
fn keeping_a_mark_packs_what_waited() {
    let r = ReplicaId(1);
    let s = ReplicaId(2);
    let mut log = ChangeLog::default();
    let mark = log.mark();
    let mut all = Vec::new();
    let mut next = [1u64, 1];
    for i in 0..6 {
        let (replica, k) = if i % 2 == 0 { (r, 0) } else { (s, 1) };
        let c = typing(replica, next[k], 2048, vec![OpId::new(ReplicaId(9), 1)]);
        next[k] += c.len();
        log.push(c.clone());
        all.push(c);
    }
    assert_eq!(log.packed_len(), 0);
    log.keep(mark);
    assert_eq!(log.packed_len(), 5);
    assert_eq!(log.changes(), all);
}

/// The WebAssembly log's blocks (the payload's columns): whatever
/// `encode_log_block` writes must read back as the same changes, or the log
/// would fail loudly on its own block.
fn log_block_round_trip(changes: &[Change]) -> bool {
    match encode_log_block(changes) {
        Some(bytes) => {
            assert_eq!(decode_log_block(&bytes).as_deref(), Ok(changes));
            true
        }
        None => false,
    }
}

#[test]
fn log_blocks_read_back_every_op_kind() {
    let r = ReplicaId(7);
    let rows = vec![typing(r, 1, 300, Vec::new()), typing(r, 301, 5, Vec::new())];
    let mixed = vec![
        typing(r, 1, 40, Vec::new()),
        assorted(r, 100, vec![OpId::new(ReplicaId(9), 4)]),
        typing(ReplicaId(9), 5, 70, vec![OpId::new(r, 40)]),
    ];
    for changes in [rows, mixed] {
        assert!(log_block_round_trip(&changes), "{changes:?}");
    }
}

#[test]
fn damaged_log_blocks_fail_to_decode_without_panicking() {
    let r = ReplicaId(7);
    let mixed = vec![typing(r, 1, 10, Vec::new()), assorted(r, 30, Vec::new())];
    let bytes = encode_log_block(&mixed).expect("representable");
    assert_damage_is_survived(&bytes, decode_log_block);
}

#[test]
fn log_blocks_refuse_what_the_columns_would_not_read_back() {
    let r = ReplicaId(4);
    let one = |op: Op, start: u64| one_op(r, op, start);
    let deep = too_deep();
    let refused = [
        one(
            Op::SeqInsert {
                obj: text_obj(),
                left: None,
                right: None,
                content: SeqContent::Text(String::new()),
            },
            1,
        ),
        one(
            Op::SeqInsert {
                obj: list_obj(),
                left: None,
                right: None,
                content: SeqContent::Values(Vec::new()),
            },
            1,
        ),
        one(
            Op::MapSet {
                obj: ContainerId::Root,
                key: Arc::from("deep"),
                value: NewValue::Value(deep),
            },
            1,
        ),
        one(
            Op::SeqDelete {
                obj: text_obj(),
                target: OpId::new(r, 1),
                len: 0,
                reversed: false,
            },
            1,
        ),
        one(
            Op::SeqDelete {
                obj: text_obj(),
                target: OpId::new(r, 1),
                len: 1 << 62,
                reversed: false,
            },
            1,
        ),
        one(
            Op::SetAdd {
                obj: text_obj(),
                member: Value::Null,
            },
            u64::MAX,
        ),
        // Empty, at counter 0: the columns would expect the replica's next
        // change at 1, not 0.
        Change {
            replica: r,
            start: 0,
            deps: Vec::new(),
            hlc: Hlc::new(5, 0),
            ops: Vec::new(),
        },
        // More deps than a payload allows per replica.
        bare(r, 9, 0),
        // More ops than the payload's item budget allows for so few bytes
        // (one run in each column).
        bare(r, 0, 20_000),
    ];
    for (i, c) in refused.iter().enumerate() {
        let followed = [
            c.clone(),
            typing(r, c.start.wrapping_add(c.len().max(1)), 3, Vec::new()),
        ];
        assert!(!log_block_round_trip(std::slice::from_ref(c)), "change {i}");
        // Refused or read back (a wider table allows more deps).
        log_block_round_trip(&followed);
    }
    // Next to them, what the columns take.
    let kept = [
        one(
            Op::SetAdd {
                obj: text_obj(),
                member: Value::Null,
            },
            u64::MAX - 1,
        ),
        bare(r, 4, 0),
        bare(r, 0, 1_000),
    ];
    for (i, c) in kept.iter().enumerate() {
        assert!(log_block_round_trip(std::slice::from_ref(c)), "change {i}");
    }
}

/// A typing session cut at the cap hands its packed op list, emptied, to the
/// change cut from it (natively): the session typed on into it takes its
/// ops without the list growing (or moving), and both changes read back.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_session_cut_at_the_cap_hands_its_op_list_to_the_next() {
    let r = ReplicaId(3);
    let first = typing(r, 1, 2048, Vec::new());
    let end = first.start + first.len();
    let mut log = ChangeLog::default();
    log.push(first.clone());
    let hlc = Hlc::new(5_000, 0);
    log.split(r, end, hlc);
    assert_eq!(log.packed_len(), 1, "the full session was packed");
    let next = typing(r, end, 2048, Vec::new());
    let ops = log.last_ops().expect("the cut change is open");
    assert!(ops.is_empty(), "the handed-on list holds no packed op");
    assert!(
        ops.capacity() >= 2048,
        "the packed session's list is handed on"
    );
    let at = ops.as_ptr();
    ops.extend(next.ops.iter().cloned());
    assert_eq!(ops.as_ptr(), at, "typing on never grew the list");
    log.close(end + next.len());
    let mut cut = next.clone();
    cut.hlc = hlc;
    assert_eq!(log.changes(), vec![first, cut]);
}
