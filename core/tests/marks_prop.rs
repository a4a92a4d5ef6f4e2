//! Property tests of rich text: 3–5 replicas type, delete, format and unformat
//! concurrently while changes are delivered late, in part, out of order and
//! twice, as bytes or snapshots. Once everyone has everything, every replica
//! shows the same formatted runs and encodes the same state; snapshots and
//! state-only snapshots load to the same runs; applying the history in another
//! order gives the same runs; and the formatting events one replica recorded,
//! applied to what it showed before, give what it shows after.

mod marks_common;

use proptest::prelude::*;
use weft_core::{Attributes, Change, DeltaRun, Diff, Doc, TextDelta, TextId, Value};

const MARKS: [&str; 5] = ["bold", "italic", "link", "comment", "note"];

#[derive(Clone, Debug)]
enum Step {
    Insert(usize, u16, String),
    Delete(usize, u16, u8),
    Mark(usize, u16, u8, u8, u8),
    Unmark(usize, u16, u8, u8),
    UnmarkOne(usize, u16, u8, u8),
    Commit(usize),
    Sync(usize, usize),
    Partial(usize, usize, Vec<u16>),
    Snapshot(usize, usize),
}

fn step(n: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..n, any::<u16>(), "[a-c é😀]{1,4}").prop_map(|(r, i, s)| Step::Insert(r, i, s)),
        2 => (0..n, any::<u16>(), 1u8..4).prop_map(|(r, i, k)| Step::Delete(r, i, k)),
        4 => (0..n, any::<u16>(), 1u8..8, 0u8..5, 0u8..3)
            .prop_map(|(r, i, l, m, v)| Step::Mark(r, i, l, m, v)),
        2 => (0..n, any::<u16>(), 1u8..8, 0u8..5).prop_map(|(r, i, l, m)| Step::Unmark(r, i, l, m)),
        1 => (0..n, any::<u16>(), 1u8..8, 0u8..3).prop_map(|(r, i, l, v)| Step::UnmarkOne(r, i, l, v)),
        1 => (0..n).prop_map(Step::Commit),
        3 => (0..n, 0..n).prop_map(|(a, b)| Step::Sync(a, b)),
        2 => (0..n, 0..n, prop::collection::vec(any::<u16>(), 0..6))
            .prop_map(|(a, b, p)| Step::Partial(a, b, p)),
        1 => (0..n, 0..n).prop_map(|(a, b)| Step::Snapshot(a, b)),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (3usize..=5).prop_flat_map(|n| (Just(n), prop::collection::vec(step(n), 1..50)))
}

fn value(mark: &str, v: u8) -> Value {
    match mark {
        "bold" | "italic" => Value::Bool(true),
        "link" => Value::from(format!("https://{v}.example")),
        "comment" => Value::from(format!("c{v}")),
        _ => Value::Int(i64::from(v)),
    }
}

/// Characters with their marks: what an editor holds, kept up to date by events.
type Model = Vec<(char, Attributes)>;

fn model_of(runs: &[DeltaRun]) -> Model {
    runs.iter()
        .flat_map(|r| r.insert.chars().map(|c| (c, r.attributes.clone())))
        .collect()
}

fn apply_event(model: &mut Model, deltas: &[TextDelta]) {
    let mut at = 0;
    for d in deltas {
        match d {
            TextDelta::Retain(n) => at += n,
            TextDelta::Insert(s) => {
                for c in s.chars() {
                    model.insert(at, (c, Attributes::new()));
                    at += 1;
                }
            }
            TextDelta::InsertFormatted(s, a) => {
                for c in s.chars() {
                    model.insert(at, (c, a.clone()));
                    at += 1;
                }
            }
            TextDelta::Delete(n) => {
                model.drain(at..at + n);
            }
            TextDelta::Format(n, a) => {
                for (_, attrs) in &mut model[at..at + n] {
                    for (k, v) in a {
                        if *v == Value::Null {
                            attrs.remove(k);
                        } else {
                            attrs.insert(k.clone(), v.clone());
                        }
                    }
                }
                at += n;
            }
        }
    }
}

fn range(doc: &Doc, t: &TextId, i: u16, len: u8) -> (usize, usize) {
    let n = doc.text_len(t);
    let s = usize::from(i) % (n + 1);
    (s, (s + usize::from(len)).min(n))
}

fn run(n: usize, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let mut docs: Vec<Doc> = (0..n as u64)
        .map(|i| marks_common::replica(i + 1))
        .collect();
    let t = docs[0].text("t").unwrap();
    for d in &mut docs[1..] {
        assert_eq!(d.text("t").unwrap(), t);
    }
    docs[0].record_events(true);
    let mut model: Model = Vec::new();
    for s in steps {
        let target = match &s {
            Step::Sync(_, b) | Step::Partial(_, b, _) | Step::Snapshot(_, b) => *b,
            _ => usize::MAX,
        };
        let was_empty = target == 0 && docs[0].is_empty();
        match s {
            Step::Insert(r, i, s) => {
                let n = docs[r].text_len(&t);
                docs[r]
                    .text_insert(&t, usize::from(i) % (n + 1), &s)
                    .unwrap();
            }
            Step::Delete(r, i, k) => {
                let n = docs[r].text_len(&t);
                if n > 0 {
                    let at = usize::from(i) % n;
                    let k = usize::from(k).min(n - at);
                    docs[r].text_delete(&t, at, k).unwrap();
                }
            }
            Step::Mark(r, i, l, m, v) => {
                let (s, e) = range(&docs[r], &t, i, l);
                let name = MARKS[usize::from(m)];
                if name == "note" {
                    docs[r].define_mark("note", weft_core::Expand::Both);
                }
                docs[r].text_mark(&t, s, e, name, value(name, v)).unwrap();
            }
            Step::Unmark(r, i, l, m) => {
                let (s, e) = range(&docs[r], &t, i, l);
                docs[r]
                    .text_unmark(&t, s, e, MARKS[usize::from(m)])
                    .unwrap();
            }
            Step::UnmarkOne(r, i, l, v) => {
                let (s, e) = range(&docs[r], &t, i, l);
                docs[r]
                    .text_unmark_value(&t, s, e, "comment", &value("comment", v))
                    .unwrap();
            }
            Step::Commit(r) => {
                docs[r].commit();
            }
            Step::Sync(a, b) if a != b => {
                let v = docs[b].version().clone();
                let bytes = docs[a].export_changes(&v);
                docs[b].import(&bytes).unwrap();
            }
            Step::Partial(a, b, picks) if a != b => {
                let all = docs[a].changes();
                if !all.is_empty() {
                    let some: Vec<Change> = picks
                        .iter()
                        .map(|p| all[usize::from(*p) % all.len()].clone())
                        .collect();
                    docs[b].apply_changes(some).unwrap();
                }
            }
            Step::Snapshot(a, b) if a != b => {
                let bytes = docs[a].export_snapshot();
                docs[b].import(&bytes).unwrap();
            }
            _ => {}
        }
        let events = docs[0].take_events();
        if was_empty && !docs[0].is_empty() {
            // A snapshot loaded into an empty document records no events.
            model = model_of(&docs[0].text_delta(&t));
        } else {
            for e in events {
                if let Diff::Text(d) = e.diff {
                    apply_event(&mut model, &d);
                }
            }
        }
        prop_assert_eq!(&model, &model_of(&docs[0].text_delta(&t)), "events drifted");
    }
    for _ in 0..2 {
        for a in 0..n {
            for b in 0..n {
                if a != b {
                    let v = docs[b].version().clone();
                    let bytes = docs[a].export_changes(&v);
                    docs[b].import(&bytes).unwrap();
                }
            }
        }
    }
    let runs = docs[0].text_delta(&t);
    let state = docs[0].export_state();
    for d in &mut docs[1..] {
        prop_assert_eq!(&d.text_delta(&t), &runs);
        prop_assert_eq!(&d.export_state(), &state);
    }
    // Adjacent runs never carry equal attributes.
    for w in runs.windows(2) {
        prop_assert_ne!(&w[0].attributes, &w[1].attributes);
    }
    for bytes in [docs[1].export_snapshot(), docs[2].export_state()] {
        let mut fresh = marks_common::replica(99);
        fresh.import(&bytes).unwrap();
        prop_assert_eq!(&fresh.text_delta(&t), &runs);
        prop_assert_eq!(&fresh.export_state(), &state);
    }
    // History applied in reverse arrival order (the buffer sorts it out).
    let mut changes = docs[n - 1].changes();
    changes.reverse();
    let mut rev = marks_common::replica(98);
    rev.apply_changes(changes).unwrap();
    prop_assert_eq!(&rev.text_delta(&t), &runs);
    #[cfg(feature = "slow-assertions")]
    for d in &docs {
        d.check_invariants().map_err(TestCaseError::fail)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_on_formatted_runs((n, steps) in scenario()) {
        run(n, steps)?;
    }
}
