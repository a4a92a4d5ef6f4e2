//! Property tests: 3–5 replicas make random edits on every container type while
//! changes are delivered late, out of order, duplicated, in part, as bytes or as
//! snapshots, to replicas that may join late. Once everyone has everything, all
//! replicas hold identical values and identical encoded state; applying anything
//! again changes nothing; and the order changes are applied in does not matter.

use std::sync::Arc;

use proptest::prelude::*;
use weft_core::clock::FixedClock;
use weft_core::encoding::{decode_changes, encode_changes};
use weft_core::{Change, ContainerKind, Doc, FieldValue, MapId, ReplicaId, Value};

#[derive(Clone, Debug)]
enum Edit {
    Set(u8, i64),
    Delete(u8),
    Count(i64),
    CountFloat(i8),
    SetAdd(u8),
    SetRemove(u8),
    TextInsert(u16, String),
    TextDelete(u16, u8),
    ListInsert(u16, i64),
    ListInsertMap(u16),
    ListDelete(u16, u8),
    NestedSet(u16, u8, i64),
    MapSet(u8, i64),
    MapDelete(u8),
}

#[derive(Clone, Debug)]
enum Step {
    Edit(usize, Edit),
    Commit(usize),
    /// Everything `from` has that `to` lacks, as `Change`s.
    Sync(usize, usize),
    /// A random subset of `from`'s changes, shuffled, some twice.
    Partial(usize, usize, Vec<u16>),
    /// `from`'s update bytes since `to`'s version.
    Bytes(usize, usize),
    /// `from`'s whole snapshot.
    Snapshot(usize, usize),
    Tick(u16),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0u8..4, any::<i64>()).prop_map(|(k, v)| Edit::Set(k, v)),
        (0u8..4).prop_map(Edit::Delete),
        (-5i64..5).prop_map(Edit::Count),
        any::<i8>().prop_map(Edit::CountFloat),
        (0u8..4).prop_map(Edit::SetAdd),
        (0u8..4).prop_map(Edit::SetRemove),
        (any::<u16>(), "[a-cé😀]{1,4}").prop_map(|(i, s)| Edit::TextInsert(i, s)),
        (any::<u16>(), 1u8..4).prop_map(|(i, n)| Edit::TextDelete(i, n)),
        (any::<u16>(), any::<i64>()).prop_map(|(i, v)| Edit::ListInsert(i, v)),
        any::<u16>().prop_map(Edit::ListInsertMap),
        (any::<u16>(), 1u8..3).prop_map(|(i, n)| Edit::ListDelete(i, n)),
        (any::<u16>(), 0u8..3, any::<i64>()).prop_map(|(i, k, v)| Edit::NestedSet(i, k, v)),
        (0u8..3, any::<i64>()).prop_map(|(k, v)| Edit::MapSet(k, v)),
        (0u8..3).prop_map(Edit::MapDelete),
    ]
}

fn step(n: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..n, edit()).prop_map(|(r, e)| Step::Edit(r, e)),
        1 => (0..n).prop_map(Step::Commit),
        2 => (0..n, 0..n).prop_map(|(a, b)| Step::Sync(a, b)),
        2 => (0..n, 0..n, prop::collection::vec(any::<u16>(), 0..6))
            .prop_map(|(a, b, p)| Step::Partial(a, b, p)),
        1 => (0..n, 0..n).prop_map(|(a, b)| Step::Bytes(a, b)),
        1 => (0..n, 0..n).prop_map(|(a, b)| Step::Snapshot(a, b)),
        1 => (0u16..2000).prop_map(Step::Tick),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (3usize..=5).prop_flat_map(|n| (Just(n), prop::collection::vec(step(n), 1..60)))
}

fn key(k: u8) -> String {
    format!("k{k}")
}

fn at(i: u16, len: usize) -> usize {
    usize::from(i) % (len + 1)
}

fn apply_edit(d: &mut Doc, e: &Edit) {
    match e {
        Edit::Set(k, v) => d.set(&key(*k), *v),
        Edit::Delete(k) => d.delete(&key(*k)),
        Edit::Count(v) => {
            let c = d.counter("count").unwrap();
            d.counter_add(&c, *v).unwrap();
        }
        Edit::CountFloat(v) => {
            let c = d.counter("count").unwrap();
            d.counter_add(&c, f64::from(*v) / 4.0).unwrap();
        }
        Edit::SetAdd(m) => {
            let s = d.or_set("set").unwrap();
            d.set_add(&s, i64::from(*m)).unwrap();
        }
        Edit::SetRemove(m) => {
            let s = d.or_set("set").unwrap();
            d.set_remove(&s, &Value::Int(i64::from(*m))).unwrap();
        }
        Edit::TextInsert(i, s) => {
            let t = d.text("text").unwrap();
            let pos = at(*i, d.text_len(&t));
            d.text_insert(&t, pos, s).unwrap();
        }
        Edit::TextDelete(i, n) => {
            let t = d.text("text").unwrap();
            let len = d.text_len(&t);
            if len > 0 {
                let pos = usize::from(*i) % len;
                let n = usize::from(*n).min(len - pos);
                d.text_delete(&t, pos, n).unwrap();
            }
        }
        Edit::ListInsert(i, v) => {
            let l = d.list("list").unwrap();
            let pos = at(*i, d.list_len(&l));
            d.list_insert(&l, pos, *v).unwrap();
        }
        Edit::ListInsertMap(i) => {
            let l = d.list("list").unwrap();
            let pos = at(*i, d.list_len(&l));
            d.list_insert_container(&l, pos, ContainerKind::Map)
                .unwrap();
        }
        Edit::ListDelete(i, n) => {
            let l = d.list("list").unwrap();
            let len = d.list_len(&l);
            if len > 0 {
                let pos = usize::from(*i) % len;
                let n = usize::from(*n).min(len - pos);
                d.list_delete(&l, pos, n).unwrap();
            }
        }
        Edit::NestedSet(i, k, v) => {
            let l = d.list("list").unwrap();
            let len = d.list_len(&l);
            if len > 0 {
                if let Some(FieldValue::Container(c)) = d.list_get(&l, usize::from(*i) % len) {
                    let m = MapId::from_id(c).unwrap();
                    d.map_set(&m, &key(*k), *v).unwrap();
                }
            }
        }
        Edit::MapSet(k, v) => {
            let m = d.map("map").unwrap();
            d.map_set(&m, &key(*k), *v).unwrap();
        }
        Edit::MapDelete(k) => {
            let m = d.map("map").unwrap();
            d.map_delete(&m, &key(*k)).unwrap();
        }
    }
}

/// Edits that hit a field of another kind (a replica made `k0` a plain value while
/// another made it a counter, say) are refused with a typed error; the test's
/// field names avoid that, so every edit here must succeed.
fn run(n: usize, steps: &[Step]) -> Vec<Doc> {
    let clock = FixedClock::new(1_000_000);
    let mut docs: Vec<Doc> = (0..n)
        .map(|i| Doc::with_clock(ReplicaId(100 + i as u64), Arc::new(clock.clone())))
        .collect();
    for s in steps {
        match s {
            Step::Edit(r, e) => apply_edit(&mut docs[*r], e),
            Step::Commit(r) => {
                docs[*r].commit();
            }
            Step::Sync(a, b) if a != b => {
                let v = docs[*b].version().clone();
                let changes = docs[*a].changes_since(&v);
                docs[*b].apply_changes(changes).unwrap();
            }
            Step::Partial(a, b, picks) if a != b && !picks.is_empty() => {
                let all = docs[*a].changes();
                if !all.is_empty() {
                    let chosen: Vec<Change> = picks
                        .iter()
                        .map(|p| all[usize::from(*p) % all.len()].clone())
                        .collect();
                    docs[*b].apply_changes(chosen).unwrap();
                }
            }
            Step::Bytes(a, b) if a != b => {
                let v = docs[*b].version().clone();
                let bytes = docs[*a].export_changes(&v);
                docs[*b].import(&bytes).unwrap();
            }
            Step::Snapshot(a, b) if a != b => {
                let bytes = docs[*a].export_snapshot();
                docs[*b].import(&bytes).unwrap();
            }
            Step::Tick(ms) => clock.advance(u64::from(*ms)),
            _ => {}
        }
    }
    // Everyone sends everyone everything; twice, so buffered changes drain.
    for _ in 0..2 {
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    let v = docs[b].version().clone();
                    let changes = docs[a].changes_since(&v);
                    docs[b].apply_changes(changes).unwrap();
                }
            }
        }
    }
    docs
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge((n, steps) in scenario()) {
        let mut docs = run(n, &steps);
        let value = docs[0].to_value();
        let state = docs[0].export_state();
        for d in docs.iter_mut().skip(1) {
            prop_assert_eq!(d.buffered_changes(), 0);
            prop_assert_eq!(&d.to_value(), &value);
            prop_assert_eq!(d.export_state(), state.clone());
        }
        // A fresh replica loading any of the three payloads agrees too.
        let snapshot = docs[1].export_snapshot();
        let mut fresh = Doc::new(ReplicaId(1));
        fresh.import(&snapshot).unwrap();
        prop_assert_eq!(fresh.export_state(), state.clone());
        let mut fresh = Doc::new(ReplicaId(1));
        fresh.import(&docs[2].export_state()).unwrap();
        prop_assert_eq!(&fresh.to_value(), &value);
        let all = docs[0].export_changes(&Default::default());
        let mut fresh = Doc::new(ReplicaId(1));
        fresh.import(&all).unwrap();
        prop_assert_eq!(fresh.export_state(), state.clone());
    }

    #[test]
    fn apply_is_idempotent_and_order_free((n, steps) in scenario(), seed in any::<u64>()) {
        let mut docs = run(n, &steps);
        let mut all: Vec<Change> = Vec::new();
        for d in docs.iter_mut() {
            all.extend(d.changes());
        }
        let reference = docs[0].export_state();
        // Applying everything again is a no-op.
        docs[0].apply_changes(all.clone()).unwrap();
        prop_assert_eq!(docs[0].export_state(), reference.clone());
        // Any delivery order (here: a seeded shuffle, through bytes) gives the same state.
        let mut shuffled = all.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let bytes = encode_changes(&shuffled);
        let decoded = decode_changes(&bytes).unwrap();
        prop_assert_eq!(&decoded, &shuffled);
        let mut fresh = Doc::new(ReplicaId(9));
        fresh.apply_changes(decoded).unwrap();
        prop_assert_eq!(fresh.buffered_changes(), 0);
        prop_assert_eq!(fresh.export_state(), reference);
    }
}
