//! Random local edits, undos and redos across three replicas with random partial
//! syncs, and cursors taken along the way: no panic, every undo or redo either
//! works or fails with a typed error leaving the replicas able to converge, and
//! after a full sync all replicas hold the same value and resolve every cursor to
//! the same index.

use std::sync::Arc;

use arbitrary::{Arbitrary, Unstructured};
use weft_core::clock::FixedClock;
use weft_core::{Cursor, Doc, Gravity, ReplicaId, Value};

const REPLICAS: usize = 3;

#[derive(Arbitrary, Debug)]
enum Op {
    TextInsert {
        doc: u8,
        pos: u8,
        n: u8,
    },
    TextDelete {
        doc: u8,
        pos: u8,
        len: u8,
    },
    ListInsert {
        doc: u8,
        pos: u8,
        value: i8,
    },
    ListDelete {
        doc: u8,
        pos: u8,
        len: u8,
    },
    Set {
        doc: u8,
        key: u8,
        value: i8,
    },
    Delete {
        doc: u8,
        key: u8,
    },
    Counter {
        doc: u8,
        delta: i8,
    },
    SetAdd {
        doc: u8,
        member: u8,
    },
    SetRemove {
        doc: u8,
        member: u8,
    },
    Undo {
        doc: u8,
    },
    Redo {
        doc: u8,
    },
    GroupBegin {
        doc: u8,
    },
    GroupEnd {
        doc: u8,
    },
    Tick {
        ms: u16,
    },
    Cursor {
        doc: u8,
        pos: u8,
        right: bool,
        list: bool,
    },
    Sync {
        from: u8,
        to: u8,
    },
}

fn pick(i: u8) -> usize {
    usize::from(i) % REPLICAS
}

fn sync(docs: &mut [Doc], from: usize, to: usize) {
    if from == to {
        return;
    }
    let since = docs[to].version().clone();
    let bytes = docs[from].export_changes(&since);
    docs[to]
        .import(&bytes)
        .expect("a replica's own update must import");
}

/// See the module docs.
pub fn check_undo(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(ops) = u
        .arbitrary_iter::<Op>()
        .and_then(|it| it.take(200).collect::<Result<Vec<_>, _>>())
    else {
        return;
    };
    let clock = FixedClock::new(1_700_000_000_000);
    let mut docs: Vec<Doc> = (0..REPLICAS)
        .map(|i| {
            let mut d = Doc::with_clock(ReplicaId(i as u64 + 1), Arc::new(clock.clone()));
            d.set_undo_enabled(true);
            d
        })
        .collect();
    let mut cursors: Vec<Cursor> = Vec::new();
    for op in &ops {
        match *op {
            Op::TextInsert { doc, pos, n } => {
                let d = &mut docs[pick(doc)];
                let t = d.text("t").expect("text field");
                let pos = usize::from(pos) % (d.text_len(&t) + 1);
                let s: String = "ab🧵é"
                    .chars()
                    .cycle()
                    .take(usize::from(n % 5) + 1)
                    .collect();
                d.text_insert(&t, pos, &s).expect("position in range");
            }
            Op::TextDelete { doc, pos, len } => {
                let d = &mut docs[pick(doc)];
                let t = d.text("t").expect("text field");
                let _ = d.text_delete(&t, usize::from(pos), usize::from(len % 6));
            }
            Op::ListInsert { doc, pos, value } => {
                let d = &mut docs[pick(doc)];
                let l = d.list("l").expect("list field");
                let pos = usize::from(pos) % (d.list_len(&l) + 1);
                d.list_insert(&l, pos, i64::from(value))
                    .expect("position in range");
            }
            Op::ListDelete { doc, pos, len } => {
                let d = &mut docs[pick(doc)];
                let l = d.list("l").expect("list field");
                let _ = d.list_delete(&l, usize::from(pos), usize::from(len % 4));
            }
            Op::Set { doc, key, value } => {
                docs[pick(doc)].set(&format!("k{}", key % 3), i64::from(value))
            }
            Op::Delete { doc, key } => docs[pick(doc)].delete(&format!("k{}", key % 3)),
            Op::Counter { doc, delta } => {
                let d = &mut docs[pick(doc)];
                let c = d.counter("n").expect("counter field");
                d.counter_add(&c, i64::from(delta)).expect("counter");
            }
            Op::SetAdd { doc, member } => {
                let d = &mut docs[pick(doc)];
                let s = d.or_set("s").expect("set field");
                d.set_add(&s, i64::from(member % 4)).expect("set");
            }
            Op::SetRemove { doc, member } => {
                let d = &mut docs[pick(doc)];
                let s = d.or_set("s").expect("set field");
                let _ = d.set_remove(&s, &Value::Int(i64::from(member % 4)));
            }
            Op::Undo { doc } => {
                docs[pick(doc)].undo().expect("undo of own edits");
            }
            Op::Redo { doc } => {
                docs[pick(doc)].redo().expect("redo of own edits");
            }
            Op::GroupBegin { doc } => docs[pick(doc)].undo_group_begin(),
            Op::GroupEnd { doc } => docs[pick(doc)].undo_group_end(),
            Op::Tick { ms } => clock.advance(u64::from(ms)),
            Op::Cursor {
                doc,
                pos,
                right,
                list,
            } => {
                let d = &mut docs[pick(doc)];
                let gravity = if right { Gravity::Right } else { Gravity::Left };
                let c = if list {
                    let l = d.list("l").expect("list field");
                    d.list_cursor(&l, usize::from(pos) % (d.list_len(&l) + 1), gravity)
                } else {
                    let t = d.text("t").expect("text field");
                    d.text_cursor(&t, usize::from(pos) % (d.text_len(&t) + 1), gravity)
                };
                let c = c.expect("position in range");
                let back = Cursor::decode(&c.encode()).expect("own cursor decodes");
                assert_eq!(back, c, "cursor changed across an encode round trip");
                cursors.push(c);
            }
            Op::Sync { from, to } => sync(&mut docs, pick(from), pick(to)),
        }
    }
    for _ in 0..2 {
        for from in 0..REPLICAS {
            for to in 0..REPLICAS {
                sync(&mut docs, from, to);
            }
        }
    }
    let first = docs[0].to_value();
    for (i, d) in docs.iter().enumerate().skip(1) {
        assert_eq!(d.to_value(), first, "replica {i} diverged: {ops:?}");
    }
    for c in &cursors {
        let at = docs[0].cursor_index(c).expect("anchor known after sync");
        for d in &docs[1..] {
            assert_eq!(d.cursor_index(c), Ok(at), "cursor resolves differently");
        }
    }
}

/// Decoding a cursor never panics; what decodes re-encodes to a cursor that
/// decodes the same, and resolving it on a document gives an index or a typed
/// error.
pub fn check_cursor(data: &[u8]) {
    let Ok(c) = Cursor::decode(data) else {
        return;
    };
    let again = Cursor::decode(&c.encode()).expect("re-encoded cursor must decode");
    assert_eq!(again, c, "cursor changed across an encode round trip");
    let doc = crate::base_doc();
    let _ = doc.cursor_index(&c);
    let _ = doc.cursor_index_utf16(&c);
}
