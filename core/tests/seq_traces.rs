//! Real editing traces: replay as local edits, rebuild from spans, and replay the
//! resulting ops as remote ops into a fresh sequence. Run in release mode
//! (`cargo test -p weft-core --release`); debug builds are slow on the big traces.

mod seq_common;

use weft_core::seq::{IdRun, InsertOp, TextSeq, VisibleChange};
use weft_core::{OpId, ReplicaId};

enum Op {
    Ins {
        id: OpId,
        ol: Option<OpId>,
        or: Option<OpId>,
        text: String,
        at: usize,
    },
    Del {
        runs: Vec<IdRun>,
        at: usize,
        len: usize,
    },
}

#[test]
fn traces_replay_rebuild_and_merge() {
    let Some(traces) = seq_common::load_traces("trace tests") else {
        return;
    };
    assert!(!traces.is_empty(), "no traces in the directory");
    for (name, trace) in &traces {
        let replica = ReplicaId(0x5eed);
        let mut seq = TextSeq::new();
        let mut counter = 1u64;
        let mut ops = Vec::new();
        if !trace.start_content.is_empty() {
            seq.insert(0, &trace.start_content, OpId::new(replica, counter))
                .unwrap();
            counter += trace.start_content.chars().count() as u64;
        }
        let start = seq.clone();
        for (pos, del, ins) in trace.patches() {
            if *del > 0 {
                let runs = seq.delete(*pos, *del).unwrap();
                ops.push(Op::Del {
                    runs,
                    at: *pos,
                    len: *del,
                });
            }
            if !ins.is_empty() {
                let op = seq.insert(*pos, ins, OpId::new(replica, counter)).unwrap();
                ops.push(Op::Ins {
                    id: op.id,
                    ol: op.origin_left,
                    or: op.origin_right,
                    text: ins.clone(),
                    at: *pos,
                });
                counter += ins.chars().count() as u64;
            }
        }
        assert!(seq.text() == trace.end_content, "{name}: replay differs");
        seq.check_invariants().unwrap();

        let spans: Vec<_> = seq.spans().collect();
        let rebuilt = TextSeq::from_spans(spans.iter().cloned()).unwrap();
        assert!(
            rebuilt.text() == trace.end_content,
            "{name}: rebuild differs"
        );
        assert!(
            rebuilt.spans().eq(spans.iter().cloned()),
            "{name}: spans differ"
        );
        rebuilt.check_invariants().unwrap();

        let mut remote = start;
        for op in &ops {
            match op {
                Op::Ins {
                    id,
                    ol,
                    or,
                    text,
                    at,
                } => {
                    let change = remote
                        .apply_insert(&InsertOp {
                            id: *id,
                            origin_left: *ol,
                            origin_right: *or,
                            content: text.as_str(),
                        })
                        .unwrap()
                        .unwrap();
                    assert_eq!(change.index, *at, "{name}: insert event index");
                    assert_eq!(change.len, text.chars().count());
                }
                Op::Del { runs, at, len } => {
                    let mut changes: Vec<VisibleChange> = Vec::new();
                    for run in runs {
                        changes.extend(remote.apply_delete(*run).unwrap());
                    }
                    assert!(
                        changes.iter().all(|c| c.index == *at),
                        "{name}: delete events"
                    );
                    assert_eq!(changes.iter().map(|c| c.len).sum::<usize>(), *len);
                }
            }
        }
        assert!(
            remote.text() == trace.end_content,
            "{name}: remote replay differs"
        );
        assert!(
            remote.spans().eq(spans.iter().cloned()),
            "{name}: remote spans differ"
        );
        remote.check_invariants().unwrap();
        println!(
            "{name}: {} edits, {} chars, {} spans, {} heap bytes",
            trace.patches().count(),
            seq.len(),
            spans.len(),
            seq.heap_bytes()
        );
    }
}
