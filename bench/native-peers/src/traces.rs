//! The editing traces (josephg/editing-traces format, see shared/data/README.md):
//! gzipped JSON `{ startContent, endContent, txns: [{ patches: [[pos, del, ins]] }] }`,
//! positions in Unicode code points. Read from `$WEFT_TRACES_DIR`, else
//! `shared/data/traces` beside the repository, as the core's tests do
//! (core/tests/seq_common/mod.rs).

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use crate::peer::Txn;

#[derive(Debug, Error)]
pub enum TraceError {
    #[error("trace directory {0} is missing (set WEFT_TRACES_DIR)")]
    NoDirectory(PathBuf),
    #[error("no trace named {name} in {dir}")]
    NoTrace { name: String, dir: PathBuf },
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("parsing {path}: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("{0}: a trace with start content is not supported")]
    StartContent(String),
}

/// One trace, ready to replay.
pub struct Trace {
    pub name: String,
    pub txns: Vec<Txn>,
    pub end_content: String,
    /// Patches over all transactions: what "edits" counts, as in the core's benches.
    pub edits: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTrace {
    start_content: String,
    end_content: String,
    txns: Vec<RawTxn>,
}

#[derive(Deserialize)]
struct RawTxn {
    patches: Txn,
}

/// `$WEFT_TRACES_DIR`, else `shared/data/traces` next to the repository.
pub fn traces_dir() -> PathBuf {
    match std::env::var_os("WEFT_TRACES_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/traces"),
    }
}

/// The names of the directory's `*.json.gz` traces, sorted, with their file sizes.
pub fn list(dir: &Path) -> Result<Vec<(String, u64)>, TraceError> {
    let entries = std::fs::read_dir(dir).map_err(|_| TraceError::NoDirectory(dir.to_owned()))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if let Some(name) = file.strip_suffix(".json.gz") {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            out.push((name.to_owned(), size));
        }
    }
    out.sort();
    Ok(out)
}

/// Reads one trace by name from `dir`.
pub fn load(dir: &Path, name: &str) -> Result<Trace, TraceError> {
    let path = dir.join(format!("{name}.json.gz"));
    let file = std::fs::File::open(&path).map_err(|_| TraceError::NoTrace {
        name: name.to_owned(),
        dir: dir.to_owned(),
    })?;
    let mut json = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut json)
        .map_err(|source| TraceError::Read {
            path: path.clone(),
            source,
        })?;
    let raw: RawTrace =
        serde_json::from_str(&json).map_err(|source| TraceError::Parse { path, source })?;
    if !raw.start_content.is_empty() {
        return Err(TraceError::StartContent(name.to_owned()));
    }
    let txns: Vec<Txn> = raw.txns.into_iter().map(|t| t.patches).collect();
    let edits = txns.iter().map(Vec::len).sum();
    Ok(Trace {
        name: name.to_owned(),
        txns,
        end_content: raw.end_content,
        edits,
    })
}
