//! The sequence CRDT on hand-built scenarios: basic editing, the Fugue paper's
//! non-interleaving examples, idempotence, conversions and errors.

use weft_core::seq::{IdPosition, IdRun, InsertOp, ListSeq, SeqError, TextSeq, VisibleChange};
use weft_core::{OpId, ReplicaId, Value};

const A: ReplicaId = ReplicaId(1);
const B: ReplicaId = ReplicaId(2);
const C: ReplicaId = ReplicaId(3);

fn id(r: ReplicaId, c: u64) -> OpId {
    OpId::new(r, c)
}

/// An owned copy of an op, to ship between sequences in tests.
#[derive(Clone, Debug)]
struct Ins {
    id: OpId,
    ol: Option<OpId>,
    or: Option<OpId>,
    text: String,
}

impl Ins {
    fn of(op: InsertOp<'_, str>) -> Self {
        Ins {
            id: op.id,
            ol: op.origin_left,
            or: op.origin_right,
            text: op.content.to_owned(),
        }
    }
    fn op(&self) -> InsertOp<'_, str> {
        InsertOp {
            id: self.id,
            origin_left: self.ol,
            origin_right: self.or,
            content: &self.text,
        }
    }
}

/// Types `text` one character at a time at `at`, forwards, with counters from `c`.
fn type_forward(s: &mut TextSeq, r: ReplicaId, c: u64, at: usize, text: &str) -> Vec<Ins> {
    text.chars()
        .enumerate()
        .map(|(i, ch)| {
            let mut buf = [0; 4];
            Ins::of(
                s.insert(at + i, ch.encode_utf8(&mut buf), id(r, c + i as u64))
                    .unwrap(),
            )
        })
        .collect()
}

/// Types `text` backwards: last character first, always at `at`.
fn type_backward(s: &mut TextSeq, r: ReplicaId, c: u64, at: usize, text: &str) -> Vec<Ins> {
    text.chars()
        .rev()
        .enumerate()
        .map(|(i, ch)| {
            let mut buf = [0; 4];
            Ins::of(
                s.insert(at, ch.encode_utf8(&mut buf), id(r, c + i as u64))
                    .unwrap(),
            )
        })
        .collect()
}

fn apply_all(s: &mut TextSeq, ops: &[Ins]) {
    for op in ops {
        s.apply_insert(&op.op()).unwrap();
    }
}

fn base(text: &str) -> (TextSeq, Ins) {
    let mut s = TextSeq::new();
    let op = Ins::of(s.insert(0, text, id(C, 1)).unwrap());
    (s, op)
}

/// Two replicas type concurrently at the same place; merges both ways.
fn merge_concurrent(
    start: &str,
    at: usize,
    a_types: impl Fn(&mut TextSeq) -> Vec<Ins>,
    b_types: impl Fn(&mut TextSeq) -> Vec<Ins>,
) -> (String, String) {
    let (mut a, seed) = base(start);
    let mut b = TextSeq::new();
    b.apply_insert(&seed.op()).unwrap();
    let _ = at;
    let ops_a = a_types(&mut a);
    let ops_b = b_types(&mut b);
    apply_all(&mut a, &ops_b);
    apply_all(&mut b, &ops_a);
    a.check_invariants().unwrap();
    b.check_invariants().unwrap();
    (a.text(), b.text())
}

#[test]
fn local_editing() {
    let mut s = TextSeq::new();
    s.insert(0, "hello", id(A, 1)).unwrap();
    s.insert(5, " world", id(A, 6)).unwrap();
    s.insert(0, ">> ", id(A, 12)).unwrap();
    assert_eq!(s.text(), ">> hello world");
    let del = s.delete(3, 6).unwrap();
    assert_eq!(del, vec![IdRun::new(id(A, 1), 6)]);
    assert_eq!(s.text(), ">> world");
    s.insert(8, "!", id(A, 20)).unwrap();
    assert_eq!(s.text(), ">> world!");
    assert_eq!(s.len(), 9);
    assert_eq!(s.total_len(), 15);
    s.check_invariants().unwrap();
}

#[test]
fn concurrent_forward_typing_does_not_interleave() {
    // Figure 1 of the paper: both type a word at the same place.
    let (a, b) = merge_concurrent(
        "Shopping: ",
        10,
        |s| type_forward(s, A, 100, 10, "eggs "),
        |s| type_forward(s, B, 100, 10, "milk "),
    );
    assert_eq!(a, b);
    assert!(
        a == "Shopping: eggs milk " || a == "Shopping: milk eggs ",
        "interleaved: {a:?}"
    );
}

#[test]
fn concurrent_backward_typing_does_not_interleave() {
    // Backwards typing (each character typed in front of the previous one) is where
    // RGA and Yjs-style algorithms interleave; Fugue does not.
    let (a, b) = merge_concurrent(
        "ab",
        1,
        |s| type_backward(s, A, 100, 1, "xyz"),
        |s| type_backward(s, B, 100, 1, "123"),
    );
    assert_eq!(a, b);
    assert!(a == "axyz123b" || a == "a123xyzb", "interleaved: {a:?}");
}

#[test]
fn mixed_forward_and_backward_typing_does_not_interleave() {
    let (a, b) = merge_concurrent(
        "[]",
        1,
        |s| type_forward(s, A, 100, 1, "hello"),
        |s| type_backward(s, B, 100, 1, "world"),
    );
    assert_eq!(a, b);
    assert!(
        a == "[helloworld]" || a == "[worldhello]",
        "interleaved: {a:?}"
    );
}

#[test]
fn three_replicas_typing_at_the_same_place() {
    let (mut a, seed) = base("<>");
    let mut b = TextSeq::new();
    let mut c = TextSeq::new();
    b.apply_insert(&seed.op()).unwrap();
    c.apply_insert(&seed.op()).unwrap();
    let oa = type_forward(&mut a, A, 10, 1, "aaaa");
    let ob = type_backward(&mut b, B, 10, 1, "bbbb");
    let oc = type_forward(&mut c, C, 10, 1, "cccc");
    // Deliver in different orders.
    apply_all(&mut a, &oc);
    apply_all(&mut a, &ob);
    apply_all(&mut b, &oa);
    apply_all(&mut b, &oc);
    apply_all(&mut c, &ob);
    apply_all(&mut c, &oa);
    assert_eq!(a.text(), b.text());
    assert_eq!(a.text(), c.text());
    let t = a.text();
    for run in ["aaaa", "bbbb", "cccc"] {
        assert!(t.contains(run), "{run} split up in {t:?}");
    }
}

#[test]
fn paper_figure_insert_between_after_concurrent_typing() {
    // A types "ab" forward; B concurrently types "xy" at the same place; then A,
    // having seen B's text, types between its own characters. The result keeps each
    // word whole.
    let (mut a, seed) = base("_");
    let mut b = TextSeq::new();
    b.apply_insert(&seed.op()).unwrap();
    let oa = type_forward(&mut a, A, 10, 1, "ab");
    let ob = type_forward(&mut b, B, 10, 1, "xy");
    apply_all(&mut a, &ob);
    apply_all(&mut b, &oa);
    assert_eq!(a.text(), b.text());
    let pos = a.text().find('b').unwrap();
    let more = type_forward(&mut a, A, 20, pos, "12");
    apply_all(&mut b, &more);
    assert_eq!(a.text(), b.text());
    assert!(a.text().contains("a12b"), "{}", a.text());
}

#[test]
fn remote_ops_are_idempotent_and_report_changes() {
    let mut a = TextSeq::new();
    let o1 = Ins::of(a.insert(0, "hello", id(A, 1)).unwrap());
    let o2 = Ins::of(a.insert(5, "!", id(A, 6)).unwrap());
    let mut b = TextSeq::new();
    let ch = b.apply_insert(&o1.op()).unwrap();
    assert_eq!(
        ch,
        Some(VisibleChange {
            index: 0,
            len: 5,
            utf16_index: 0,
            utf16_len: 5
        })
    );
    assert_eq!(b.apply_insert(&o1.op()).unwrap(), None);
    let ch = b.apply_insert(&o2.op()).unwrap().unwrap();
    assert_eq!((ch.index, ch.len), (5, 1));
    let del = a.delete(1, 3).unwrap();
    let changes = b.apply_delete(del[0]).unwrap();
    assert_eq!(
        changes,
        vec![VisibleChange {
            index: 1,
            len: 3,
            utf16_index: 1,
            utf16_len: 3
        }]
    );
    assert!(b.apply_delete(del[0]).unwrap().is_empty());
    assert_eq!(a.text(), "ho!");
    assert_eq!(b.text(), "ho!");
    assert_eq!(a.spans().collect::<Vec<_>>(), b.spans().collect::<Vec<_>>());
}

#[test]
fn partially_known_run_is_trimmed() {
    let mut a = TextSeq::new();
    let o1 = Ins::of(a.insert(0, "abc", id(A, 1)).unwrap());
    let o2 = Ins::of(a.insert(3, "def", id(A, 4)).unwrap());
    // Ship a merged op covering both: b already has the first half.
    let merged = Ins {
        id: id(A, 1),
        ol: None,
        or: None,
        text: "abcdef".into(),
    };
    let mut b = TextSeq::new();
    b.apply_insert(&o1.op()).unwrap();
    let ch = b.apply_insert(&merged.op()).unwrap().unwrap();
    assert_eq!((ch.index, ch.len), (3, 3));
    assert_eq!(b.text(), "abcdef");
    let _ = o2;
    b.check_invariants().unwrap();
}

#[test]
fn unicode_lengths_and_conversions() {
    let mut s = TextSeq::new();
    s.insert(0, "a😀b", id(A, 1)).unwrap();
    s.insert(3, "é𝄞", id(A, 4)).unwrap();
    assert_eq!(s.text(), "a😀bé𝄞");
    assert_eq!(s.len(), 5);
    assert_eq!(s.len_utf16(), 1 + 2 + 1 + 1 + 2);
    assert_eq!(s.index_to_utf16(2).unwrap(), 3);
    assert_eq!(s.index_to_utf16(5).unwrap(), 7);
    assert_eq!(s.utf16_to_index(3).unwrap(), 2);
    assert_eq!(s.utf16_to_index(2).unwrap(), 1); // inside the surrogate pair
    assert_eq!(s.utf16_to_index(7).unwrap(), 5);
    s.delete(1, 1).unwrap();
    assert_eq!(s.text(), "abé𝄞");
    assert_eq!(s.len_utf16(), 5);
    assert_eq!(s.index_to_utf16(3).unwrap(), 3);
    s.check_invariants().unwrap();
}

#[test]
fn ids_and_positions() {
    let mut s = TextSeq::new();
    s.insert(0, "abcdef", id(A, 1)).unwrap();
    assert_eq!(s.id_at(2).unwrap(), id(A, 3));
    s.delete(2, 2).unwrap();
    assert_eq!(s.id_at(2).unwrap(), id(A, 5));
    assert_eq!(
        s.index_of(id(A, 3)).unwrap(),
        IdPosition {
            index: 2,
            visible: false
        }
    );
    assert_eq!(
        s.index_of(id(A, 6)).unwrap(),
        IdPosition {
            index: 3,
            visible: true
        }
    );
    assert!(s.contains(id(A, 4)));
    assert!(!s.contains(id(B, 4)));
}

#[test]
fn errors_are_reported_not_panics() {
    let mut s = TextSeq::new();
    assert_eq!(
        s.insert(1, "x", id(A, 1)).unwrap_err(),
        SeqError::IndexOutOfRange { index: 1, len: 0 }
    );
    assert_eq!(
        s.insert(0, "", id(A, 1)).unwrap_err(),
        SeqError::EmptyContent
    );
    s.insert(0, "abc", id(A, 5)).unwrap();
    assert!(matches!(
        s.insert(0, "x", id(A, 6)).unwrap_err(),
        SeqError::IdNotFresh { .. }
    ));
    assert!(matches!(
        s.delete(2, 5).unwrap_err(),
        SeqError::RangeOutOfRange { .. }
    ));
    assert!(matches!(
        s.delete(usize::MAX, 2).unwrap_err(),
        SeqError::RangeOutOfRange { .. }
    ));
    let unknown = InsertOp {
        id: id(B, 1),
        origin_left: Some(id(C, 9)),
        origin_right: None,
        content: "x",
    };
    assert_eq!(
        s.apply_insert(&unknown).unwrap_err(),
        SeqError::UnknownOrigin(id(C, 9))
    );
    assert_eq!(
        s.apply_delete(IdRun::new(id(A, 6), 5)).unwrap_err(),
        SeqError::UnknownId(id(A, 8))
    );
    let overflow = InsertOp {
        id: id(B, u64::MAX),
        origin_left: None,
        origin_right: None,
        content: "xy",
    };
    assert!(matches!(
        s.apply_insert(&overflow).unwrap_err(),
        SeqError::CounterOverflow { .. }
    ));
    assert!(s.id_at(3).is_err());
    assert!(s.utf16_to_index(4).is_err());
    assert_eq!(s.text(), "abc");
    s.check_invariants().unwrap();
}

#[test]
fn list_of_values() {
    let mut l = ListSeq::new();
    let vals = [Value::from("a"), Value::from(true), Value::Null];
    let op = l.insert(0, &vals, id(A, 1)).unwrap();
    let mut m = ListSeq::new();
    m.apply_insert(&op).unwrap();
    l.delete(1, 1).unwrap();
    assert_eq!(l.values(), vec![Value::from("a"), Value::Null]);
    assert_eq!(m.values().len(), 3);
}

#[test]
fn many_edits_split_leaves_and_rebuild() {
    let mut s = TextSeq::new();
    let mut expect = String::new();
    let mut c = 1;
    let mut x: u64 = 12345;
    for i in 0..3000u32 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = expect.chars().count();
        if len > 10 && x.is_multiple_of(3) {
            let at = (x >> 33) as usize % (len - 5);
            let n = 1 + (x >> 20) as usize % 4;
            s.delete(at, n).unwrap();
            let b0 = expect.char_indices().nth(at).unwrap().0;
            let b1 = expect
                .char_indices()
                .nth(at + n)
                .map_or(expect.len(), |p| p.0);
            expect.replace_range(b0..b1, "");
        } else {
            let at = if len == 0 {
                0
            } else {
                (x >> 33) as usize % (len + 1)
            };
            let t = if i.is_multiple_of(7) { "ü😀" } else { "ab" };
            s.insert(at, t, id(A, c)).unwrap();
            c += 2;
            let b = expect.char_indices().nth(at).map_or(expect.len(), |p| p.0);
            expect.insert_str(b, t);
        }
    }
    assert_eq!(s.text(), expect);
    s.check_invariants().unwrap();
    let spans: Vec<_> = s.spans().collect();
    let r = TextSeq::from_spans(spans.iter().cloned()).unwrap();
    r.check_invariants().unwrap();
    assert_eq!(r.text(), expect);
    assert_eq!(r.spans().collect::<Vec<_>>(), spans);
    assert_eq!(r.len_utf16(), s.len_utf16());
}

#[test]
fn from_spans_rejects_bad_input() {
    use std::borrow::Cow;
    use weft_core::seq::SpanEntry;
    let span = |c: u64, ol: Option<OpId>, or: Option<OpId>, text: &'static str| SpanEntry {
        id: id(A, c),
        origin_left: ol,
        origin_right: or,
        deleted: false,
        len: text.chars().count(),
        content: Cow::Borrowed(text),
    };
    let bad: Vec<Vec<SpanEntry<'static, str>>> = vec![
        vec![span(1, None, None, "")],
        vec![SpanEntry {
            len: 5,
            ..span(1, None, None, "ab")
        }],
        vec![span(1, None, None, "ab"), span(2, None, None, "cd")],
        vec![span(1, Some(id(B, 1)), None, "ab")],
        vec![span(1, None, Some(id(A, 2)), "ab")],
        vec![
            span(1, Some(id(A, 5)), None, "ab"),
            span(5, None, None, "cd"),
        ],
        vec![span(u64::MAX, None, None, "ab")],
    ];
    for spans in bad {
        assert!(TextSeq::from_spans(spans.clone()).is_err(), "{spans:?}");
    }
    let good = vec![
        span(1, None, Some(id(A, 5)), "ab"),
        span(5, Some(id(A, 2)), None, "cd"),
    ];
    let s = TextSeq::from_spans(good).unwrap();
    assert_eq!(s.text(), "abcd");
    s.check_invariants().unwrap();
}
