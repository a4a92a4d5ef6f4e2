//! Random op sequences across three replicas with random partial syncs.

use arbitrary::{Arbitrary, Unstructured};
use weft_core::{Doc, ReplicaId, Value, VersionVector};

const REPLICAS: usize = 3;

#[derive(Arbitrary, Debug)]
enum Op {
    Set {
        doc: u8,
        key: u8,
        value: i16,
    },
    Delete {
        doc: u8,
        key: u8,
    },
    TextInsert {
        doc: u8,
        pos: u16,
        text: Short,
    },
    TextDelete {
        doc: u8,
        pos: u16,
        len: u8,
    },
    ListInsert {
        doc: u8,
        pos: u8,
        value: i16,
    },
    ListDelete {
        doc: u8,
        pos: u8,
        len: u8,
    },
    Counter {
        doc: u8,
        delta: i32,
    },
    SetAdd {
        doc: u8,
        member: u8,
    },
    SetRemove {
        doc: u8,
        member: u8,
    },
    /// `to` imports what it lacks from `from`.
    Sync {
        from: u8,
        to: u8,
    },
    /// `to` imports `from`'s changes since an empty version (duplicates).
    Resend {
        from: u8,
        to: u8,
    },
    /// Formats a range of the text (bold, link, comment or an expanding app mark).
    Mark {
        doc: u8,
        pos: u16,
        len: u8,
        mark: u8,
        value: u8,
    },
    /// Removes a mark from a range (or one comment).
    Unmark {
        doc: u8,
        pos: u16,
        len: u8,
        mark: u8,
        value: u8,
    },
}

const MARKS: [&str; 5] = ["bold", "link", "comment", "hl", "italic"];

fn mark_value(name: &str, v: u8) -> Value {
    match name {
        "link" => Value::from(format!("https://{}.example", v % 3)),
        "comment" => Value::from(format!("c{}", v % 3)),
        "hl" => Value::Int(i64::from(v % 3)),
        _ => Value::Bool(true),
    }
}

/// The range `pos..pos + len` clamped into the text.
fn clamp(d: &Doc, t: &weft_core::TextId, pos: u16, len: u8) -> (usize, usize) {
    let n = d.text_len(t);
    let s = usize::from(pos) % (n + 1);
    (s, (s + usize::from(len % 16)).min(n))
}

/// Up to 4 chars from a small alphabet that includes astral characters.
#[derive(Debug)]
struct Short(String);

impl<'a> Arbitrary<'a> for Short {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        const ALPHABET: [char; 6] = ['a', 'b', 'é', '🧵', '\n', ' '];
        let n = u.int_in_range(1..=4)?;
        let mut s = String::new();
        for _ in 0..n {
            s.push(*u.choose(&ALPHABET)?);
        }
        Ok(Short(s))
    }
}

fn pick(i: u8) -> usize {
    usize::from(i) % REPLICAS
}

fn sync(docs: &mut [Doc], from: usize, to: usize, since_nothing: bool) {
    if from == to {
        return;
    }
    let since = if since_nothing {
        VersionVector::default()
    } else {
        docs[to].version().clone()
    };
    let bytes = docs[from].export_changes(&since);
    docs[to]
        .import(&bytes)
        .expect("a replica's own update must import");
}

fn apply(docs: &mut [Doc], op: &Op) {
    // Index errors are expected (random positions); they must not change anything,
    // which the final convergence check would expose.
    match *op {
        Op::Set { doc, key, value } => {
            docs[pick(doc)].set(&format!("k{}", key % 4), Value::Int(value.into()))
        }
        Op::Delete { doc, key } => docs[pick(doc)].delete(&format!("k{}", key % 4)),
        Op::TextInsert { doc, pos, ref text } => {
            let d = &mut docs[pick(doc)];
            if let Ok(t) = d.text("text") {
                let pos = usize::from(pos) % (d.text_len(&t) + 1);
                d.text_insert(&t, pos, &text.0).expect("position in range");
            }
        }
        Op::TextDelete { doc, pos, len } => {
            let d = &mut docs[pick(doc)];
            if let Ok(t) = d.text("text") {
                let _ = d.text_delete(&t, usize::from(pos), usize::from(len % 8));
            }
        }
        Op::ListInsert { doc, pos, value } => {
            let d = &mut docs[pick(doc)];
            if let Ok(l) = d.list("list") {
                let pos = usize::from(pos) % (d.list_len(&l) + 1);
                d.list_insert(&l, pos, Value::Int(value.into()))
                    .expect("position in range");
            }
        }
        Op::ListDelete { doc, pos, len } => {
            let d = &mut docs[pick(doc)];
            if let Ok(l) = d.list("list") {
                let _ = d.list_delete(&l, usize::from(pos), usize::from(len % 4));
            }
        }
        Op::Counter { doc, delta } => {
            let d = &mut docs[pick(doc)];
            if let Ok(c) = d.counter("count") {
                d.counter_add(&c, i64::from(delta)).expect("counter");
            }
        }
        Op::SetAdd { doc, member } => {
            let d = &mut docs[pick(doc)];
            if let Ok(s) = d.or_set("set") {
                d.set_add(&s, Value::Int(i64::from(member % 5)))
                    .expect("set");
            }
        }
        Op::SetRemove { doc, member } => {
            let d = &mut docs[pick(doc)];
            if let Ok(s) = d.or_set("set") {
                let _ = d.set_remove(&s, &Value::Int(i64::from(member % 5)));
            }
        }
        Op::Sync { from, to } => sync(docs, pick(from), pick(to), false),
        Op::Resend { from, to } => sync(docs, pick(from), pick(to), true),
        Op::Mark {
            doc,
            pos,
            len,
            mark,
            value,
        } => {
            let d = &mut docs[pick(doc)];
            if let Ok(t) = d.text("text") {
                let name = MARKS[usize::from(mark) % MARKS.len()];
                d.define_mark("hl", weft_core::Expand::Both);
                let (s, e) = clamp(d, &t, pos, len);
                d.text_mark(&t, s, e, name, mark_value(name, value))
                    .expect("valid mark");
            }
        }
        Op::Unmark {
            doc,
            pos,
            len,
            mark,
            value,
        } => {
            let d = &mut docs[pick(doc)];
            if let Ok(t) = d.text("text") {
                let name = MARKS[usize::from(mark) % MARKS.len()];
                let (s, e) = clamp(d, &t, pos, len);
                if value % 2 == 0 {
                    d.text_unmark(&t, s, e, name).expect("valid unmark");
                } else {
                    d.text_unmark_value(&t, s, e, name, &mark_value(name, value))
                        .expect("valid unmark");
                }
            }
        }
    }
}

/// Replicas that end up with the same changes hold the same value, whatever the
/// order, duplication and partiality of the syncs before.
pub fn check_ops(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(ops) = u
        .arbitrary_iter::<Op>()
        .and_then(|it| it.take(200).collect::<Result<Vec<_>, _>>())
    else {
        return;
    };
    let mut docs: Vec<Doc> = (0..REPLICAS)
        .map(|i| Doc::new(ReplicaId(i as u64 + 1)))
        .collect();
    for op in &ops {
        apply(&mut docs, op);
    }
    for _ in 0..2 {
        for from in 0..REPLICAS {
            for to in 0..REPLICAS {
                sync(&mut docs, from, to, false);
            }
        }
    }
    let first = docs[0].to_value();
    let text = weft_core::TextId::from_id(weft_core::ContainerId::Named {
        name: "text".into(),
        kind: weft_core::ContainerKind::Text,
    });
    let runs = text.as_ref().map(|t| docs[0].text_delta(t));
    for (i, d) in docs.iter().enumerate().skip(1) {
        assert_eq!(
            d.to_value(),
            first,
            "replica {i} diverged after {} ops: {ops:?}",
            ops.len()
        );
        assert_eq!(
            text.as_ref().map(|t| d.text_delta(t)),
            runs,
            "replica {i}'s formatting diverged: {ops:?}"
        );
    }
    for d in &mut docs {
        crate::round_trips(d);
    }
}
