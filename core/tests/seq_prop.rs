//! Property test: 3–5 replicas edit concurrently; ops travel in random causal order
//! with duplicates; every replica converges to the same text and the same spans, and
//! the change events each replica reports rebuild its text exactly.

use std::collections::HashSet;

use proptest::prelude::*;
use weft_core::seq::{IdRun, InsertOp, TextSeq, VisibleChange};
use weft_core::{OpId, ReplicaId};

#[derive(Clone, Debug)]
enum Action {
    Insert {
        replica: usize,
        at: usize,
        text: String,
    },
    Delete {
        replica: usize,
        at: usize,
        len: usize,
    },
    /// `to` applies a prefix of `from`'s history, starting `back` entries before what it
    /// already has (so some arrive twice).
    Sync {
        from: usize,
        to: usize,
        upto: usize,
        back: usize,
    },
}

#[derive(Clone, Debug)]
enum Msg {
    Ins {
        id: OpId,
        ol: Option<OpId>,
        or: Option<OpId>,
        text: String,
    },
    Del(Vec<IdRun>),
}

struct Replica {
    seq: TextSeq,
    /// The text as rebuilt from events alone.
    view: Vec<char>,
    /// Messages in the order this replica applied them.
    history: Vec<usize>,
    applied: HashSet<usize>,
    counter: u64,
    id: ReplicaId,
}

fn apply_events(
    view: &mut Vec<char>,
    seq: &TextSeq,
    ins: Option<VisibleChange>,
    dels: &[VisibleChange],
) {
    if let Some(c) = ins {
        let all: Vec<char> = seq.text().chars().collect();
        let new: Vec<char> = all[c.index..c.index + c.len].to_vec();
        view.splice(c.index..c.index, new);
    }
    for d in dels {
        view.drain(d.index..d.index + d.len);
    }
}

fn deliver(r: &mut Replica, msgs: &[Msg], m: usize) {
    let (ins, dels) = match &msgs[m] {
        Msg::Ins { id, ol, or, text } => {
            let op = InsertOp {
                id: *id,
                origin_left: *ol,
                origin_right: *or,
                content: text.as_str(),
            };
            (r.seq.apply_insert(&op).unwrap(), Vec::new())
        }
        Msg::Del(runs) => {
            let mut out = Vec::new();
            for run in runs {
                r.seq.apply_delete_into(*run, &mut out).unwrap();
            }
            (None, out)
        }
    };
    if r.applied.contains(&m) {
        assert!(
            ins.is_none() && dels.is_empty(),
            "duplicate delivery changed something"
        );
    } else {
        r.applied.insert(m);
        r.history.push(m);
    }
    apply_events(&mut r.view, &r.seq, ins, &dels);
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..5usize, any::<prop::sample::Index>(), "[a-c😀é]{1,4}").prop_map(|(replica, at, text)| Action::Insert {
            replica,
            at: at.index(1 << 20),
            text
        }),
        2 => (0..5usize, any::<prop::sample::Index>(), 1..4usize).prop_map(|(replica, at, len)| Action::Delete {
            replica,
            at: at.index(1 << 20),
            len
        }),
        2 => (0..5usize, 0..5usize, any::<prop::sample::Index>(), 0..3usize).prop_map(|(from, to, upto, back)| Action::Sync {
            from,
            to,
            upto: upto.index(1 << 20),
            back
        }),
    ]
}

fn run(n: usize, actions: Vec<Action>) {
    let mut reps: Vec<Replica> = (0..n)
        .map(|i| Replica {
            seq: TextSeq::new(),
            view: Vec::new(),
            history: Vec::new(),
            applied: HashSet::new(),
            counter: 1 + 1000 * i as u64,
            // Ids deliberately not in replica order, so ties are broken both ways.
            id: ReplicaId((i as u64 * 7 + 3) % 5),
        })
        .collect();
    let mut msgs: Vec<Msg> = Vec::new();
    for a in actions {
        match a {
            Action::Insert { replica, at, text } => {
                let r = &mut reps[replica % n];
                let at = at % (r.seq.len() + 1);
                let op = r.seq.insert(at, &text, OpId::new(r.id, r.counter)).unwrap();
                let m = Msg::Ins {
                    id: op.id,
                    ol: op.origin_left,
                    or: op.origin_right,
                    text: text.clone(),
                };
                r.counter += text.chars().count() as u64;
                let chars: Vec<char> = text.chars().collect();
                r.view.splice(at..at, chars);
                r.applied.insert(msgs.len());
                r.history.push(msgs.len());
                msgs.push(m);
            }
            Action::Delete { replica, at, len } => {
                let r = &mut reps[replica % n];
                if r.seq.is_empty() {
                    continue;
                }
                let at = at % r.seq.len();
                let len = len.min(r.seq.len() - at);
                let runs = r.seq.delete(at, len).unwrap();
                r.view.drain(at..at + len);
                r.applied.insert(msgs.len());
                r.history.push(msgs.len());
                msgs.push(Msg::Del(runs));
            }
            Action::Sync {
                from,
                to,
                upto,
                back,
            } => {
                let (from, to) = (from % n, to % n);
                if from == to {
                    continue;
                }
                let hist = reps[from].history.clone();
                let upto = upto % (hist.len() + 1);
                // Re-send a few already-seen messages too (duplicates); the prefix of a
                // causal history is causal.
                let first_new = hist
                    .iter()
                    .position(|m| !reps[to].applied.contains(m))
                    .unwrap_or(hist.len());
                let start = first_new.saturating_sub(back);
                for &m in &hist[start..upto.max(start)] {
                    deliver(&mut reps[to], &msgs, m);
                }
            }
        }
        for r in &reps {
            assert_eq!(r.view.iter().collect::<String>(), r.seq.text());
        }
    }
    // Everyone gets everything, in each sender's order.
    for _ in 0..2 {
        for from in 0..n {
            for to in 0..n {
                if from != to {
                    let hist = reps[from].history.clone();
                    for m in hist {
                        if !reps[to].applied.contains(&m) {
                            deliver(&mut reps[to], &msgs, m);
                        }
                    }
                }
            }
        }
    }
    let text = reps[0].seq.text();
    let spans: Vec<_> = reps[0].seq.spans().collect();
    for r in &reps {
        r.seq.check_invariants().unwrap();
        assert_eq!(r.seq.text(), text);
        assert_eq!(r.view.iter().collect::<String>(), text);
        assert!(r.seq.spans().eq(spans.iter().cloned()), "spans differ");
    }
    let rebuilt = TextSeq::from_spans(spans.iter().cloned()).unwrap();
    rebuilt.check_invariants().unwrap();
    assert_eq!(rebuilt.text(), text);
    assert!(rebuilt.spans().eq(spans.iter().cloned()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge(n in 3..=5usize, actions in prop::collection::vec(action(), 1..120)) {
        run(n, actions);
    }
}

/// Many edits per replica so that leaves split and remote ops cross leaf boundaries.
#[test]
fn larger_random_session_converges() {
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut actions = Vec::new();
    for _ in 0..4000 {
        let r = next();
        actions.push(match r % 8 {
            0..=3 => Action::Insert {
                replica: (r >> 8) as usize % 4,
                at: (r >> 16) as usize,
                text: ["a", "bc", "😀", "xyz"][(r >> 40) as usize % 4].to_owned(),
            },
            4 | 5 => Action::Delete {
                replica: (r >> 8) as usize % 4,
                at: (r >> 16) as usize,
                len: 1 + (r >> 40) as usize % 3,
            },
            _ => Action::Sync {
                from: (r >> 8) as usize % 4,
                to: (r >> 12) as usize % 4,
                upto: (r >> 16) as usize,
                back: (r >> 40) as usize % 3,
            },
        });
    }
    run(4, actions);
}

proptest! {
    /// Snapshot import is fed untrusted spans: it must return an error or a valid
    /// sequence, never panic.
    #[test]
    fn from_spans_never_panics(raw in prop::collection::vec(
        (0..3u64, 0..12u64, prop::option::of((0..3u64, 0..12u64)), prop::option::of((0..3u64, 0..12u64)), any::<bool>(), "[a-z😀]{0,3}", 0..4usize),
        0..8,
    )) {
        use std::borrow::Cow;
        use weft_core::seq::SpanEntry;
        let spans: Vec<SpanEntry<'_, str>> = raw
            .iter()
            .map(|(r, c, ol, or, deleted, text, len)| SpanEntry {
                id: OpId::new(ReplicaId(*r), *c),
                origin_left: ol.map(|(r, c)| OpId::new(ReplicaId(r), c)),
                origin_right: or.map(|(r, c)| OpId::new(ReplicaId(r), c)),
                deleted: *deleted,
                len: if *len == 0 { text.chars().count() } else { *len },
                content: Cow::Borrowed(text.as_str()),
            })
            .collect();
        if let Ok(seq) = TextSeq::from_spans(spans) {
            seq.check_invariants().unwrap();
            let mut seq = seq;
            let n = seq.len();
            seq.insert(n / 2, "x", OpId::new(ReplicaId(9), 1)).unwrap();
            seq.check_invariants().unwrap();
        }
    }
}
