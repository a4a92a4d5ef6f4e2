//! Replays a trace as `replay`'s `doc` mode does, but sends each edit through
//! a non-inlined function per edit kind, so that callgrind's inclusive counts
//! (`--toggle-collect='*replay_kinds*'`, `callgrind_annotate --inclusive=yes`)
//! give the instructions each kind costs on the real document state:
//! `cargo run --release -p weft-core --example replay_kinds -- <trace>`.
//! Kinds: a one-character insert right after the previous insert (typing), a
//! one-character insert elsewhere (a cursor jump), a longer insert (paste); a
//! one-character delete next to the previous delete (backspace or forward
//! delete held), one elsewhere, a longer delete; a delete and an insert in one
//! patch (replace). The commit of each transaction is a kind of its own.
//! With a second argument `PREFIX`, writes the replayed document's snapshot,
//! state and changes to `PREFIX.<trace>.snapshot|state|changes`, to compare
//! two builds' bytes.

#[path = "../tests/seq_common/mod.rs"]
mod seq_common;

use std::hint::black_box;
use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId, TextId as Text};

const KINDS: [&str; 8] = [
    "ins1_cont",
    "ins1_jump",
    "ins_paste",
    "del1_cont",
    "del1_jump",
    "del_multi",
    "replace",
    "commit",
];

#[inline(never)]
fn k_ins1_cont(doc: &mut Doc, t: &Text, pos: usize, ins: &str) {
    doc.text_insert(t, pos, ins).unwrap();
}
#[inline(never)]
fn k_ins1_jump(doc: &mut Doc, t: &Text, pos: usize, ins: &str) {
    doc.text_insert(t, pos, ins).unwrap();
}
#[inline(never)]
fn k_ins_paste(doc: &mut Doc, t: &Text, pos: usize, ins: &str) {
    doc.text_insert(t, pos, ins).unwrap();
}
#[inline(never)]
fn k_del1_cont(doc: &mut Doc, t: &Text, pos: usize, del: usize) {
    doc.text_delete(t, pos, del).unwrap();
}
#[inline(never)]
fn k_del1_jump(doc: &mut Doc, t: &Text, pos: usize, del: usize) {
    doc.text_delete(t, pos, del).unwrap();
}
#[inline(never)]
fn k_del_multi(doc: &mut Doc, t: &Text, pos: usize, del: usize) {
    doc.text_delete(t, pos, del).unwrap();
}
#[inline(never)]
fn k_replace(doc: &mut Doc, t: &Text, pos: usize, del: usize, ins: &str) {
    doc.text_delete(t, pos, del).unwrap();
    doc.text_insert(t, pos, ins).unwrap();
}
#[inline(never)]
fn k_commit(doc: &mut Doc) {
    doc.commit();
}

#[inline(never)]
fn replay_kinds(txns: &[seq_common::Txn], counts: &mut [u64; 8]) -> Doc {
    let mut doc = Doc::with_clock(
        ReplicaId(0x5eed),
        Arc::new(FixedClock::new(1_700_000_000_000)),
    );
    let t = doc.text("text").unwrap();
    // The previous edit: an insert's end, or a delete's position.
    let mut last_ins_end: Option<usize> = None;
    let mut last_del: Option<usize> = None;
    for txn in txns {
        for (pos, del, ins) in &txn.patches {
            let (pos, del) = (*pos, *del);
            let n = ins.chars().count();
            if del > 0 && n > 0 {
                counts[6] += 1;
                k_replace(&mut doc, &t, pos, del, ins);
                last_ins_end = Some(pos + n);
                last_del = None;
            } else if n > 0 {
                if n > 1 {
                    counts[2] += 1;
                    k_ins_paste(&mut doc, &t, pos, ins);
                } else if last_ins_end == Some(pos) {
                    counts[0] += 1;
                    k_ins1_cont(&mut doc, &t, pos, ins);
                } else {
                    counts[1] += 1;
                    k_ins1_jump(&mut doc, &t, pos, ins);
                }
                last_ins_end = Some(pos + n);
                last_del = None;
            } else if del > 0 {
                if del > 1 {
                    counts[5] += 1;
                    k_del_multi(&mut doc, &t, pos, del);
                } else if last_del.is_some_and(|d| d == pos || d == pos + 1) {
                    counts[3] += 1;
                    k_del1_cont(&mut doc, &t, pos, del);
                } else {
                    counts[4] += 1;
                    k_del1_jump(&mut doc, &t, pos, del);
                }
                last_del = Some(pos);
                last_ins_end = None;
            }
        }
        counts[7] += 1;
        k_commit(&mut doc);
    }
    doc
}

fn main() {
    let only = std::env::args().nth(1);
    let out = std::env::args().nth(2);
    let Some(traces) = seq_common::load_traces("replay_kinds example") else {
        return;
    };
    for (name, trace) in &traces {
        if only.as_ref().is_some_and(|o| o != name) {
            continue;
        }
        let mut counts = [0u64; 8];
        let mut doc = black_box(replay_kinds(black_box(&trace.txns), &mut counts));
        let text = doc.text("text").unwrap();
        assert!(
            doc.text_string(&text) == trace.end_content,
            "{name}: wrong final text"
        );
        if let Some(prefix) = &out {
            let changes = doc.export_changes(&weft_core::VersionVector::default());
            for (what, bytes) in [
                ("snapshot", doc.export_snapshot()),
                ("state", doc.export_state()),
                ("changes", changes),
            ] {
                std::fs::write(format!("{prefix}.{name}.{what}"), bytes).unwrap();
            }
        }
        print!("{name}:");
        for (k, c) in KINDS.iter().zip(counts) {
            print!(" {k}={c}");
        }
        println!();
    }
}
