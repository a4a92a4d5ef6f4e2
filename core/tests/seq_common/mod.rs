//! Editing traces (josephg/editing-traces format) for the sequence tests and bench.
#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

use serde::Deserialize;

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
        let file = std::fs::File::open(&path).expect("readable trace");
        let mut json = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut json)
            .expect("gzip");
        let trace: Trace = serde_json::from_str(&json).expect("trace JSON");
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
