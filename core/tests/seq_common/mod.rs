//! Editing traces (josephg/editing-traces format) for the sequence tests and bench.
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use weft_core::clock::FixedClock;
use weft_core::seq::{IdRun, TextSeq};
use weft_core::{Doc, OpId, ReplicaId};

/// One trace: text edits in code points, and the text they must produce.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Trace {
    pub start_content: String,
    pub end_content: String,
    pub txns: Vec<Txn>,
}

#[derive(Deserialize)]
pub struct Txn {
    pub patches: Vec<(usize, usize, String)>,
}

impl Trace {
    pub fn patches(&self) -> impl Iterator<Item = &(usize, usize, String)> {
        self.txns.iter().flat_map(|t| t.patches.iter())
    }
}

/// `$WEFT_TRACES_DIR`, else `shared/data/traces` next to the repository.
pub fn traces_dir() -> PathBuf {
    match std::env::var_os("WEFT_TRACES_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/traces"),
    }
}

/// Every `*.json.gz` trace in the directory, by name; `None` if the directory is
/// missing, after saying that `what` (the tests or benches asking) did not run.
pub fn load_traces(what: &str) -> Option<Vec<(String, Trace)>> {
    let dir = traces_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "{what} NOT run: trace directory {} is missing (set WEFT_TRACES_DIR)",
            dir.display()
        );
        return None;
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".json.gz"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for path in names {
        let trace = read_trace(&path);
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".json.gz")
            .to_owned();
        out.push((name, trace));
    }
    Some(out)
}

/// One gzipped trace file.
pub fn read_trace(path: &Path) -> Trace {
    let file = std::fs::File::open(path).expect("readable trace");
    let mut json = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut json)
        .expect("gzip");
    serde_json::from_str(&json).expect("trace JSON")
}

/// The named trace from [`traces_dir`], or `None` (after saying that `what` did
/// not run) when it is missing.
pub fn load_trace(name: &str, what: &str) -> Option<Trace> {
    let path = traces_dir().join(format!("{name}.json.gz"));
    if !path.exists() {
        println!(
            "{what} NOT run: trace {} is missing (set WEFT_TRACES_DIR)",
            path.display()
        );
        return None;
    }
    Some(read_trace(&path))
}

/// Replays transactions as local edits through a document's text (root field
/// "text", fixed clock), one commit per transaction, as an editor binding drives
/// it. Not inlined, so a profiler can count it alone.
#[inline(never)]
pub fn replay_doc(txns: &[Txn]) -> Doc {
    let mut doc = Doc::with_clock(
        ReplicaId(0x5eed),
        Arc::new(FixedClock::new(1_700_000_000_000)),
    );
    let text = doc.text("text").unwrap();
    for txn in txns {
        for (pos, del, ins) in &txn.patches {
            doc.text_delete(&text, *pos, *del).unwrap();
            doc.text_insert(&text, *pos, ins).unwrap();
        }
        doc.commit();
    }
    doc
}

/// The same edits through the sequence engine alone, by one replica.
#[inline(never)]
pub fn replay_seq<'a>(patches: impl IntoIterator<Item = &'a (usize, usize, String)>) -> TextSeq {
    let replica = ReplicaId(0x5eed);
    let mut seq = TextSeq::new();
    let mut counter = 1u64;
    let mut deleted: Vec<IdRun> = Vec::new();
    for (pos, del, ins) in patches {
        if *del > 0 {
            deleted.clear();
            seq.delete_into(*pos, *del, &mut deleted).unwrap();
        }
        if !ins.is_empty() {
            let op = seq.insert(*pos, ins, OpId::new(replica, counter)).unwrap();
            counter += op.content.len() as u64;
        }
    }
    seq
}
