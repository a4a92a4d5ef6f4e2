//! Undo property tests. Replica A edits locally while 1–3 remote replicas edit
//! concurrently and their changes reach A at random moments (A's never reach
//! them until the end, so their ops do not depend on A's). Then:
//! - undoing all of A's steps leaves A exactly as a replica that only ever received
//!   the remote changes;
//! - redoing them all restores A's state from before the undos;
//! - after everyone syncs, all replicas converge.
//!
//! Where the answer would not be well defined the generator keeps the two sides
//! apart: A and the remotes write disjoint map keys, remove disjoint set members,
//! and never both delete the same character (A deletes its own text, even base
//! characters and the remotes' insertions; remotes delete odd base characters).

use std::collections::BTreeMap;
use std::sync::Arc;

use proptest::prelude::*;
use weft_core::clock::FixedClock;
use weft_core::{Attributes, Doc, ListId, MapId, ReplicaId, TextId, Value};

#[derive(Clone, Debug)]
enum Local {
    Insert(usize, usize),
    Delete(usize, usize),
    ListInsert(usize),
    ListDelete(usize),
    Count(i64),
    SetAdd(u8),
    SetRemove(u8),
    Field(u8, i64),
    FieldDelete(u8),
    Nested(u8, i64),
    Tick(u64),
    /// Formats `n` characters from `p` with mark kind `k` (see [`MARKS`]) and value `v`.
    Mark(usize, usize, usize, u8),
    Unmark(usize, usize, usize, u8),
    GroupBegin,
    GroupEnd,
}

#[derive(Clone, Debug)]
enum Step {
    Local(Local),
    /// Remote replica `r` makes an edit.
    Remote(usize, Remote),
    /// A receives what remote `r` has.
    Deliver(usize),
    /// Two remotes sync.
    RemoteSync(usize, usize),
}

#[derive(Clone, Debug)]
enum Remote {
    Insert(usize, usize),
    DeleteBase(usize),
    ListInsert(usize),
    ListDelete(usize),
    Count(i64),
    SetAdd(u8),
    SetRemove(u8),
    Field(u8, i64),
    Mark(usize, usize, usize, u8),
    Unmark(usize, usize, usize, u8),
}

/// The marks the tests format with: a boolean that expands, a link (a value,
/// no expansion) and comments (keyed by their id).
const MARKS: [&str; 3] = ["bold", "link", "comment"];

fn mark_value(k: usize, v: u8) -> Value {
    match k {
        0 => Value::Bool(true),
        _ => Value::from(format!("v{v}")),
    }
}

/// Applies a random mark or unmark to `d`.
fn format(d: &mut Doc, t: &TextId, (p, n, k, v): (usize, usize, usize, u8), remove: bool) {
    let len = d.text_len(t);
    if len == 0 {
        return;
    }
    let start = p % len;
    let end = (start + n).min(len);
    let name = MARKS[k % MARKS.len()];
    let value = mark_value(k % MARKS.len(), v);
    match (remove, name) {
        (false, _) => d.text_mark(t, start, end, name, value).unwrap(),
        // Half the comment removals remove one comment, half all of them.
        (true, "comment") if v % 2 == 0 => {
            d.text_unmark_value(t, start, end, name, &value).unwrap()
        }
        (true, _) => d.text_unmark(t, start, end, name).unwrap(),
    }
}

fn mark_args() -> impl Strategy<Value = (usize, usize, usize, u8)> {
    (0usize..100, 1usize..8, 0usize..3, 0u8..3)
}

fn local() -> impl Strategy<Value = Local> {
    prop_oneof![
        4 => (0usize..100, 1usize..4).prop_map(|(p, n)| Local::Insert(p, n)),
        3 => (0usize..100, 1usize..4).prop_map(|(p, n)| Local::Delete(p, n)),
        2 => (0usize..100).prop_map(Local::ListInsert),
        1 => (0usize..100).prop_map(Local::ListDelete),
        1 => (-5i64..5).prop_map(Local::Count),
        1 => (0u8..4).prop_map(Local::SetAdd),
        1 => (0u8..2).prop_map(Local::SetRemove),
        1 => (0u8..3, 0i64..9).prop_map(|(k, v)| Local::Field(k, v)),
        1 => (0u8..3).prop_map(Local::FieldDelete),
        1 => (0u8..3, 0i64..9).prop_map(|(k, v)| Local::Nested(k, v)),
        3 => (0u64..900).prop_map(Local::Tick),
        2 => mark_args().prop_map(|(p, n, k, v)| Local::Mark(p, n, k, v)),
        1 => mark_args().prop_map(|(p, n, k, v)| Local::Unmark(p, n, k, v)),
        1 => Just(Local::GroupBegin),
        1 => Just(Local::GroupEnd),
    ]
}

fn remote() -> impl Strategy<Value = Remote> {
    prop_oneof![
        3 => (0usize..100, 1usize..4).prop_map(|(p, n)| Remote::Insert(p, n)),
        2 => (0usize..100).prop_map(Remote::DeleteBase),
        1 => (0usize..100).prop_map(Remote::ListInsert),
        1 => (0usize..100).prop_map(Remote::ListDelete),
        1 => (-5i64..5).prop_map(Remote::Count),
        1 => (0u8..4).prop_map(Remote::SetAdd),
        1 => (2u8..4).prop_map(Remote::SetRemove),
        1 => (0u8..3, 0i64..9).prop_map(|(k, v)| Remote::Field(k, v)),
        2 => mark_args().prop_map(|(p, n, k, v)| Remote::Mark(p, n, k, v)),
        1 => mark_args().prop_map(|(p, n, k, v)| Remote::Unmark(p, n, k, v)),
    ]
}

fn step(remotes: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => local().prop_map(Step::Local),
        4 => (0..remotes, remote()).prop_map(|(r, op)| Step::Remote(r, op)),
        2 => (0..remotes).prop_map(Step::Deliver),
        1 => (0..remotes, 0..remotes).prop_map(|(a, b)| Step::RemoteSync(a, b)),
    ]
}

const BASE: u32 = 0x100;
const A_CHARS: u32 = 0x4E00;
const R_CHARS: u32 = 0xAC00;
const A_VALUES: i64 = 100_000;
const R_VALUES: i64 = 200_000;

struct World {
    a: Doc,
    clock: FixedClock,
    remotes: Vec<Doc>,
    t: TextId,
    l: ListId,
    m: MapId,
    next_a: u32,
    next_r: u32,
    depth: u32,
}

fn a_may_delete_char(c: char) -> bool {
    let c = c as u32;
    c >= A_CHARS || c.is_multiple_of(2)
}

fn a_may_delete_value(v: &Value) -> bool {
    matches!(v, Value::Int(i) if *i >= A_VALUES || i % 2 == 0)
}

impl World {
    fn new(remotes: usize) -> Self {
        let clock = FixedClock::new(1_000_000);
        let mut base = Doc::with_clock(ReplicaId(100), Arc::new(clock.clone()));
        let t = base.text("t").unwrap();
        let l = base.list("l").unwrap();
        let m = base.map("m").unwrap();
        base.counter("n").unwrap();
        base.or_set("s").unwrap();
        let text: String = (0..12).map(|i| char::from_u32(BASE + i).unwrap()).collect();
        base.text_insert(&t, 0, &text).unwrap();
        for i in 0..6 {
            base.list_insert(&l, i, 1000 + i as i64).unwrap();
        }
        let bytes = base.export_snapshot();
        let mut a = Doc::with_clock(ReplicaId(1), Arc::new(clock.clone()));
        a.import(&bytes).unwrap();
        a.set_undo_enabled(true);
        let remotes = (0..remotes)
            .map(|r| {
                let mut d = Doc::with_clock(ReplicaId(200 + r as u64), Arc::new(clock.clone()));
                d.import(&bytes).unwrap();
                d
            })
            .collect();
        World {
            a,
            clock,
            remotes,
            t,
            l,
            m,
            next_a: A_CHARS,
            next_r: R_CHARS,
            depth: 0,
        }
    }

    fn local(&mut self, op: &Local) {
        let (a, t, l) = (&mut self.a, &self.t, &self.l);
        match *op {
            Local::Insert(p, n) => {
                let s: String = (0..n)
                    .map(|_| {
                        self.next_a += 1;
                        char::from_u32(self.next_a).unwrap()
                    })
                    .collect();
                let len = a.text_len(t);
                a.text_insert(t, p % (len + 1), &s).unwrap();
            }
            Local::Delete(p, n) => {
                let chars: Vec<char> = a.text_string(t).chars().collect();
                if let Some((at, k)) = deletable_run(&chars, p, n, |c| a_may_delete_char(*c)) {
                    a.text_delete(t, at, k).unwrap();
                }
            }
            Local::ListInsert(p) => {
                self.next_a += 1;
                let len = a.list_len(l);
                a.list_insert(l, p % (len + 1), A_VALUES + i64::from(self.next_a))
                    .unwrap();
            }
            Local::ListDelete(p) => {
                let vals = list_ints(a, l);
                if let Some((at, k)) = deletable_run(&vals, p, 2, a_may_delete_value) {
                    a.list_delete(l, at, k).unwrap();
                }
            }
            Local::Count(d) => {
                let c = a.counter("n").unwrap();
                a.counter_add(&c, d).unwrap();
            }
            Local::SetAdd(m) => {
                let s = a.or_set("s").unwrap();
                a.set_add(&s, i64::from(m)).unwrap();
            }
            Local::SetRemove(m) => {
                let s = a.or_set("s").unwrap();
                a.set_remove(&s, &Value::Int(i64::from(m))).unwrap();
            }
            Local::Field(k, v) => a.set(&format!("a{k}"), v),
            Local::FieldDelete(k) => a.delete(&format!("a{k}")),
            Local::Nested(k, v) => a.map_set(&self.m, &format!("a{k}"), v).unwrap(),
            Local::Tick(ms) => self.clock.advance(ms),
            Local::Mark(p, n, k, v) => format(a, t, (p, n, k, v), false),
            Local::Unmark(p, n, k, v) => format(a, t, (p, n, k, v), true),
            Local::GroupBegin => {
                self.depth += 1;
                a.undo_group_begin();
            }
            Local::GroupEnd => {
                if self.depth > 0 {
                    self.depth -= 1;
                    a.undo_group_end();
                }
            }
        }
    }

    fn remote(&mut self, r: usize, op: &Remote) {
        let (d, t, l) = (&mut self.remotes[r], &self.t, &self.l);
        match *op {
            Remote::Insert(p, n) => {
                let s: String = (0..n)
                    .map(|_| {
                        self.next_r += 1;
                        char::from_u32(self.next_r).unwrap()
                    })
                    .collect();
                let len = d.text_len(t);
                d.text_insert(t, p % (len + 1), &s).unwrap();
            }
            Remote::DeleteBase(p) => {
                let chars: Vec<char> = d.text_string(t).chars().collect();
                let odd_base = |c: &char| (*c as u32) < A_CHARS && (*c as u32) % 2 == 1;
                if let Some((at, k)) = deletable_run(&chars, p, 1, odd_base) {
                    d.text_delete(t, at, k).unwrap();
                }
            }
            Remote::ListInsert(p) => {
                self.next_r += 1;
                let len = d.list_len(l);
                d.list_insert(l, p % (len + 1), R_VALUES + i64::from(self.next_r))
                    .unwrap();
            }
            Remote::ListDelete(p) => {
                let vals = list_ints(d, l);
                let odd_base =
                    |v: &Value| matches!(v, Value::Int(i) if *i < A_VALUES && i % 2 == 1);
                if let Some((at, k)) = deletable_run(&vals, p, 1, odd_base) {
                    d.list_delete(l, at, k).unwrap();
                }
            }
            Remote::Count(x) => {
                let c = d.counter("n").unwrap();
                d.counter_add(&c, x).unwrap();
            }
            Remote::SetAdd(m) => {
                let s = d.or_set("s").unwrap();
                d.set_add(&s, i64::from(m)).unwrap();
            }
            Remote::SetRemove(m) => {
                let s = d.or_set("s").unwrap();
                d.set_remove(&s, &Value::Int(i64::from(m))).unwrap();
            }
            Remote::Field(k, v) => {
                d.set(&format!("b{k}"), v);
                let m = self.m.clone();
                d.map_set(&m, &format!("b{k}"), v).unwrap();
            }
            Remote::Mark(p, n, k, v) => format(d, t, (p, n, k, v), false),
            Remote::Unmark(p, n, k, v) => format(d, t, (p, n, k, v), true),
        }
    }

    fn deliver(&mut self, r: usize) {
        let v = self.a.version().clone();
        let bytes = self.remotes[r].export_changes(&v);
        self.a.import(&bytes).unwrap();
    }

    fn remote_sync(&mut self, x: usize, y: usize) {
        if x == y {
            return;
        }
        let vy = self.remotes[y].version().clone();
        let bytes = self.remotes[x].export_changes(&vy);
        self.remotes[y].import(&bytes).unwrap();
        let vx = self.remotes[x].version().clone();
        let bytes = self.remotes[y].export_changes(&vx);
        self.remotes[x].import(&bytes).unwrap();
    }

    /// A replica that received every remote change and nothing of A's.
    fn remote_only(&mut self) -> Doc {
        let mut d = Doc::with_clock(ReplicaId(999), Arc::new(self.clock.clone()));
        for r in &mut self.remotes {
            d.import(&r.export_changes(&Default::default())).unwrap();
        }
        d
    }
}

fn list_ints(d: &Doc, l: &ListId) -> Vec<Value> {
    d.list_values(l)
        .into_iter()
        .map(|f| match f {
            weft_core::FieldValue::Value(v) => v,
            weft_core::FieldValue::Container(_) => Value::Null,
        })
        .collect()
}

/// Up to `n` consecutive deletable elements starting at the first deletable one
/// at or after `p` (wrapping).
fn deletable_run<T>(
    xs: &[T],
    p: usize,
    n: usize,
    ok: impl Fn(&T) -> bool,
) -> Option<(usize, usize)> {
    if xs.is_empty() {
        return None;
    }
    let start = (0..xs.len())
        .map(|k| (p + k) % xs.len())
        .find(|&i| ok(&xs[i]))?;
    let k = xs[start..].iter().take(n).take_while(|x| ok(x)).count();
    Some((start, k))
}

/// Each character's formatting (every character the tests type is unique).
fn formats(d: &Doc, t: &TextId) -> BTreeMap<char, Attributes> {
    let mut out = BTreeMap::new();
    for run in d.text_delta(t) {
        for c in run.insert.chars() {
            out.insert(c, run.attributes.clone());
        }
    }
    out
}

/// `got`'s formatting of the characters of `want` that `keep` accepts equals
/// `want`'s.
fn same_formats(
    got: &BTreeMap<char, Attributes>,
    want: &BTreeMap<char, Attributes>,
    keep: impl Fn(char) -> bool,
    what: &str,
) -> Result<(), TestCaseError> {
    for (c, attrs) in want.iter().filter(|(c, _)| keep(**c)) {
        prop_assert_eq!(got.get(c), Some(attrs), "{} at {:?}", what, c);
    }
    Ok(())
}

/// The document with its text's characters and its list's elements sorted.
fn sorted(v: Value) -> Value {
    let Value::Object(mut m) = v else { return v };
    if let Some(Value::Str(s)) = m.get_mut("t") {
        let mut cs: Vec<char> = s.chars().collect();
        cs.sort_unstable();
        *s = cs.into_iter().collect();
    }
    if let Some(Value::Array(xs)) = m.get_mut("l") {
        xs.sort_by_key(|x| match x {
            Value::Int(i) => *i,
            _ => i64::MIN,
        });
    }
    Value::Object(m)
}

fn run(remotes: usize, steps: &[Step], late: bool) -> Result<(), TestCaseError> {
    let mut w = World::new(remotes);
    let mut held_back = Vec::new();
    for s in steps {
        match s {
            Step::Local(op) => w.local(op),
            Step::Remote(r, op) => w.remote(*r, op),
            Step::Deliver(r) if late => held_back.push(*r),
            Step::Deliver(r) => w.deliver(*r),
            Step::RemoteSync(x, y) => w.remote_sync(*x, *y),
        }
    }
    while w.depth > 0 {
        w.depth -= 1;
        w.a.undo_group_end();
    }
    if !late {
        for r in 0..remotes {
            w.deliver(r);
        }
    }
    let before_undo = w.a.to_value();
    let formats_before_undo = formats(&w.a, &w.t);
    let mut undos = 0;
    while w.a.undo().unwrap().is_some() {
        undos += 1;
        // With `late`, remote changes keep arriving between undos.
        if let Some(r) = held_back.pop() {
            w.deliver(r);
        }
        prop_assert!(undos < 10_000);
    }
    for r in 0..remotes {
        w.deliver(r);
    }
    let only_remote = w.remote_only();
    if late {
        // Remote text typed right next to restored text before the undo reached
        // its author is concurrent with the restoring insert: the two may sit in
        // either order (a tie every replica breaks the same way). Same elements,
        // everything else exact.
        prop_assert_eq!(
            sorted(w.a.to_value()),
            sorted(only_remote.to_value()),
            "after undoing everything"
        );
    } else {
        prop_assert_eq!(
            w.a.to_value(),
            only_remote.to_value(),
            "after undoing everything"
        );
    }
    if !late {
        // Formatting as if A had never formatted, on every character (A's own
        // typing is gone), those A deleted and undo brought back included. With `late` it is
        // not: a remote mark arriving after an undo that was made without it
        // may lose to the undo's ops, as to any concurrent format.
        same_formats(
            &formats(&w.a, &w.t),
            &formats(&only_remote, &w.t),
            |_| true,
            "formatting after undoing everything",
        )?;
        while w.a.redo().unwrap().is_some() {}
        prop_assert_eq!(w.a.to_value(), before_undo, "after redoing everything");
        // Every character, A's own typing included: what undo and redo bring
        // back are copies, formatted as the marks format the originals.
        same_formats(
            &formats(&w.a, &w.t),
            &formats_before_undo,
            |_| true,
            "formatting after redoing everything",
        )?;
    }
    // Everyone converges once A's edits, undos and redos reach them.
    let bytes = w.a.export_changes(&Default::default());
    for r in &mut w.remotes {
        r.import(&bytes).unwrap();
    }
    for x in 0..remotes {
        for y in 0..remotes {
            w.remote_sync(x, y);
        }
    }
    let want = w.a.to_value();
    let want_delta = w.a.text_delta(&w.t);
    for r in &w.remotes {
        prop_assert_eq!(r.to_value(), want.clone());
        prop_assert_eq!(r.text_delta(&w.t), want_delta.clone());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn undo_all_leaves_only_remote_work_and_redo_all_restores(
        (remotes, steps) in (1usize..4).prop_flat_map(|r| (Just(r), proptest::collection::vec(step(r), 1..60)))
    ) {
        run(remotes, &steps, false)?;
    }

    #[test]
    fn undo_keeps_working_while_remote_changes_arrive_between_undos(
        (remotes, steps) in (1usize..4).prop_flat_map(|r| (Just(r), proptest::collection::vec(step(r), 1..60)))
    ) {
        run(remotes, &steps, true)?;
    }
}
