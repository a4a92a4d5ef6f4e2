//! The engine's shortcuts for common local edits (typing on, backspacing and
//! deleting forwards next to tombstones, leaf splits under long runs) give the
//! same document, the same ids and a sound structure as the general path: every
//! step is checked against a plain string, the invariants, and a replica that
//! receives the same edits as remote ops.

use std::collections::HashMap;

use weft_core::seq::{IdRun, InsertOp, TextSeq};
use weft_core::{OpId, ReplicaId};

const A: ReplicaId = ReplicaId(7);

/// A local sequence, a model string, and a remote copy fed the local ops.
struct Editor {
    seq: TextSeq,
    remote: TextSeq,
    model: Vec<char>,
    counter: u64,
    /// Each element's left and right origin as shipped when it was inserted.
    origins: HashMap<OpId, (Option<OpId>, Option<OpId>)>,
}

impl Editor {
    fn new() -> Self {
        Self {
            seq: TextSeq::new(),
            remote: TextSeq::new(),
            model: Vec::new(),
            counter: 1,
            origins: HashMap::new(),
        }
    }

    fn insert(&mut self, at: usize, s: &str) {
        let op = self.seq.insert(at, s, OpId::new(A, self.counter)).unwrap();
        let (ol, or) = (op.origin_left, op.origin_right);
        let n = s.chars().count();
        for k in 0..n as u64 {
            let id = OpId::new(A, self.counter + k);
            let left = if k == 0 {
                ol
            } else {
                Some(OpId::new(A, id.counter - 1))
            };
            self.origins.insert(id, (left, or));
        }
        self.counter += n as u64;
        self.remote
            .apply_insert(&InsertOp {
                id: op.id,
                origin_left: ol,
                origin_right: or,
                content: s,
            })
            .unwrap();
        self.model.splice(at..at, s.chars());
        self.check();
    }

    fn delete(&mut self, at: usize, n: usize) {
        let runs: Vec<IdRun> = self.seq.delete(at, n).unwrap();
        let mut changes = Vec::new();
        for run in &runs {
            self.remote.apply_delete_into(*run, &mut changes).unwrap();
        }
        // The remote's visible changes, applied in order, delete the same
        // characters, counted in both units.
        let mut text = self.model.clone();
        for c in &changes {
            let before: String = text[..c.index].iter().collect();
            let gone: String = text[c.index..c.index + c.len].iter().collect();
            assert_eq!(c.utf16_index, before.encode_utf16().count());
            assert_eq!(c.utf16_len, gone.encode_utf16().count());
            text.drain(c.index..c.index + c.len);
        }
        let mut want = self.model.clone();
        want.drain(at..at + n);
        assert_eq!(text, want);
        // Deleting consumes counters too, as in a document.
        self.counter += n as u64;
        self.model.drain(at..at + n);
        self.check();
    }

    fn check(&self) {
        let want: String = self.model.iter().collect();
        assert_eq!(self.seq.text(), want);
        assert_eq!(self.remote.text(), want);
        assert_eq!(self.seq.len_utf16(), want.encode_utf16().count());
        self.seq.check_invariants().unwrap();
        self.remote.check_invariants().unwrap();
        for i in 0..self.model.len() {
            assert_eq!(self.seq.id_at(i).unwrap(), self.remote.id_at(i).unwrap());
        }
        // Tombstones included, every element keeps the origins it was inserted
        // with (what a snapshot encodes and later inserts integrate against).
        for seq in [&self.seq, &self.remote] {
            let mut seen = 0;
            for span in seq.spans() {
                for k in 0..span.len as u64 {
                    let id = OpId::new(span.id.replica, span.id.counter + k);
                    let left = if k == 0 {
                        span.origin_left
                    } else {
                        Some(OpId::new(id.replica, id.counter - 1))
                    };
                    assert_eq!(
                        Some(&(left, span.origin_right)),
                        self.origins.get(&id),
                        "{id:?}"
                    );
                    seen += 1;
                }
            }
            assert_eq!(seen, self.origins.len());
        }
    }
}

#[test]
fn backspacing_through_a_run_moves_its_end_into_the_tombstones() {
    let mut e = Editor::new();
    for (i, c) in "hello wörld 😀!".chars().enumerate() {
        e.insert(i, &c.to_string());
    }
    for _ in 0..6 {
        let end = e.model.len();
        e.delete(end - 1, 1);
    }
    // Typing after backspacing, then backspacing into the older tombstones again.
    e.insert(e.model.len(), "ab");
    for _ in 0..4 {
        let end = e.model.len();
        e.delete(end - 1, 1);
    }
    assert_eq!(e.seq.text(), "hello ");
}

#[test]
fn deleting_forwards_from_a_run_start_grows_the_tombstone_before_it() {
    let mut e = Editor::new();
    e.insert(0, "abcdefgh");
    e.insert(8, "𝄞ijk");
    e.delete(2, 1);
    for _ in 0..5 {
        e.delete(2, 1);
    }
    e.delete(2, 2);
    assert_eq!(e.seq.text(), "abjk");
}

#[test]
fn edits_in_the_middle_of_runs_and_across_leaves() {
    let mut e = Editor::new();
    let line: String = (0..40).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
    for k in 0..60 {
        // Long pasted runs at jumping positions split leaves under runs.
        let at = (k * 37) % (e.model.len() + 1);
        e.insert(at, &line);
        let at = (k * 53) % e.model.len();
        let n = 1 + (k % 3);
        if at + n <= e.model.len() {
            e.delete(at, n);
        }
        if k % 7 == 0 && e.model.len() > 2 {
            let end = e.model.len();
            e.delete(end - 2, 1);
            e.delete(end - 3, 1);
        }
    }
}

#[test]
fn typing_and_backspacing_in_the_middle_reuse_the_last_edits_place() {
    let mut e = Editor::new();
    e.insert(0, "the quick brown fox jumps");
    for round in 0..5 {
        let at = 4 + round * 3;
        // Type a few characters mid-text, backspace over some of them and over
        // older text, then type again where the backspacing stopped.
        for (k, c) in "xyz".chars().enumerate() {
            e.insert(at + k, &c.to_string());
        }
        for k in 0..4 {
            e.delete(at + 2 - k, 1);
        }
        e.insert(at - 1, "é");
        e.delete(at - 1, 2);
        e.insert(at - 1, "w");
    }
}

#[test]
fn deletes_find_their_ids_next_to_the_previous_delete_or_anywhere() {
    let mut e = Editor::new();
    // Deleting consumes counters, so every insert after a delete starts a new
    // id run: many runs, in an order unlike the document's.
    for k in 0..40 {
        let at = (k * 29) % (e.model.len() + 1);
        e.insert(at, "abcdef");
        if k % 3 == 0 {
            e.delete(at + 1, 1);
        }
    }
    let mut len = e.model.len();
    for k in 0..60usize {
        match k % 4 {
            // Backspacing, deleting forwards, a far jump, a range over runs.
            0 => e.delete(len / 2 - 1, 1),
            1 => e.delete(len / 3, 1),
            2 => e.delete((k * 71) % len, 1),
            _ => e.delete((k * 13) % (len - 8), 7),
        }
        len = e.model.len();
        if k % 5 == 0 {
            e.insert(len / 2, "xy");
            len = e.model.len();
        }
    }
}

#[test]
fn deletes_across_many_spans_and_tombstones_scan_on_from_the_last_piece() {
    // Short runs typed at jumping places, some partly deleted, leave many
    // spans per leaf with tombstones between them; a block delete then
    // covers several of them, starting and ending inside a run or at a
    // tombstone, within one leaf and across leaves.
    let mut e = Editor::new();
    for k in 0..400usize {
        let at = (k * 97) % (e.model.len() + 1);
        e.insert(at, ["ab", "cde", "f", "ghij"][k % 4]);
        if k % 3 == 0 && e.model.len() > 4 {
            let at = (k * 31) % (e.model.len() - 1);
            e.delete(at, 1);
        }
    }
    for k in 0..60usize {
        let len = e.model.len();
        if len < 2 {
            break;
        }
        let n = 2 + (k * 7) % 40;
        let at = (k * 61) % len;
        e.delete(at, n.min(len - at));
        let at = (k * 13) % (e.model.len() + 1);
        e.insert(at, "xyz");
    }
}

#[test]
fn whole_spans_deleted_in_place_merge_with_the_tombstones_around_them() {
    // A run of multi-unit characters cut into one-character spans by deletes
    // between them; deleting each span left makes the tombstones on both sides
    // one run again. Then block deletes over many whole spans (runs typed at
    // jumping places), some starting and ending on a span boundary, within a
    // leaf and across leaves, with astral characters so that UTF-16 lengths
    // differ from element counts.
    let mut e = Editor::new();
    e.insert(0, "a\u{e9}b\u{1F600}c\u{10400}d\u{e8}e");
    for at in [1, 2, 3, 4] {
        e.delete(at, 1);
    }
    for _ in 0..3 {
        e.delete(1, 1);
    }
    assert_eq!(e.seq.text(), "ae");
    let runs = ["\u{1F600}x", "y\u{e9}z", "\u{10400}", "pq"];
    for k in 0..300usize {
        let at = (k * 89) % (e.model.len() + 1);
        e.insert(at, runs[k % 4]);
    }
    for k in 0..40usize {
        let len = e.model.len();
        if len < 3 {
            break;
        }
        let at = (k * 67) % len;
        let n = 1 + (k * 11) % 30;
        e.delete(at, n.min(len - at));
        // The span now at `at` (if any) deleted whole: after a block delete,
        // the next visible run starts there.
        if at < e.model.len() {
            e.delete(at, 1);
        }
        let at = (k * 23) % (e.model.len() + 1);
        e.insert(at, runs[(k + 1) % 4]);
    }
}

#[test]
fn pieces_deleted_and_spans_split_inside_a_leaf_with_room() {
    let mut e = Editor::new();
    // One span of one- to four-byte characters, then an insert into it: the
    // split that takes the insert happens in place in the leaf.
    e.insert(0, "aé😀bcdefgh𝄞ij");
    e.insert(3, "XY");
    // A piece from the middle of a span (three pieces), its start (none
    // before it to continue) and its end (a visible span after it).
    e.delete(6, 2);
    e.delete(0, 1);
    e.delete(2, 2);
    // Next to the tombstones just made: the boundary moves, no split.
    e.delete(1, 1);
    // Many one-character deletes far apart fill the leaf with spans, so the
    // later ones find it full and take the general splice with a split.
    let line: String = "klmnopqrstuvwxyz".repeat(12);
    e.insert(e.model.len(), &line);
    for k in 0..60 {
        let at = (k * 29) % (e.model.len() - 1) + 1;
        e.delete(at, 1);
        if k % 4 == 0 {
            e.insert(at, "é");
        }
    }
}

/// Typing and backspacing in one leaf of a tree several levels deep, then in
/// others: natively the leaf's count changes wait to be added to its
/// ancestors until another leaf changes or the leaf splits, so every read of
/// positions between keystrokes (a descent by elements or UTF-16 units, an
/// element's index) must add the waiting change where it belongs. Each step
/// is checked against a model of ids and characters, at every index.
#[test]
fn positions_read_between_keystrokes_while_counts_wait_to_go_up_the_tree() {
    let mut seq = TextSeq::new();
    let mut model: Vec<(char, OpId)> = Vec::new();
    let mut counter = 1;
    let mut insert = |seq: &mut TextSeq, model: &mut Vec<(char, OpId)>, at: usize, s: &str| {
        seq.insert(at, s, OpId::new(A, counter)).unwrap();
        let ids = s
            .chars()
            .enumerate()
            .map(|(k, c)| (c, OpId::new(A, counter + k as u64)));
        model.splice(at..at, ids);
        counter += s.chars().count() as u64;
    };
    let check = |seq: &TextSeq, model: &[(char, OpId)]| {
        seq.check_invariants().unwrap();
        let mut utf16 = 0;
        for (i, &(c, id)) in model.iter().enumerate() {
            assert_eq!(seq.id_at(i).unwrap(), id, "id at {i}");
            assert_eq!(seq.index_to_utf16(i).unwrap(), utf16, "utf16 offset of {i}");
            assert_eq!(
                seq.utf16_to_index(utf16).unwrap(),
                i,
                "index at utf16 {utf16}"
            );
            assert_eq!(seq.index_of(id).unwrap().index, i, "index of {id:?}");
            utf16 += c.len_utf16();
        }
        assert_eq!(seq.index_to_utf16(model.len()).unwrap(), utf16);
        assert_eq!(seq.len_utf16(), utf16);
    };
    // Short runs at scattered places: hundreds of spans, dozens of leaves,
    // nodes two levels above them. Some characters are astral (two units).
    let mut x = 12345u64;
    for k in 0..700 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let at = (x >> 33) as usize % (model.len() + 1);
        let s = if k % 5 == 0 { "x😀y" } else { "abc" };
        insert(&mut seq, &mut model, at, s);
    }
    check(&seq, &model);
    for (start, typed, erased) in [
        (model.len() / 2, 24, 17),
        (37, 9, 12),
        (model.len() - 5, 6, 3),
    ] {
        // Typing on: the first keystroke makes a span, the rest grow it.
        for k in 0..typed {
            let c = if k % 4 == 3 { "😀" } else { "q" };
            insert(&mut seq, &mut model, start + k, c);
            check(&seq, &model);
        }
        // Backspacing over what was typed and the text before it.
        for k in 0..erased {
            let at = start + typed - 1 - k;
            seq.delete(at, 1).unwrap();
            model.remove(at);
            check(&seq, &model);
        }
    }
}
