//! Weft's core side by side with its peers' native Rust crates (loro,
//! diamond-types, yrs, automerge) on the editing traces, in one run: replay as
//! local edits, encoded size with full history, import (alone, with a first
//! read, with a first edit), memory, and the concurrent merge of two
//! 10,000-edit histories, with each peer's ratio to Weft. Every figure comes
//! from a run whose result was checked (docs in `main.rs` and the README).

pub mod heap;
pub mod libs;
pub mod measure;
pub mod merge_ops;
pub mod peer;
pub mod report;
pub mod traces;

use thiserror::Error;

use measure::{Adapter, BenchError, Lib, MergeFigures};
use traces::TraceError;

#[global_allocator]
static ALLOC: heap::Counting = heap::Counting;

/// Every library, Weft first (the ratios are to it).
pub fn all_libs() -> Vec<Box<dyn Lib>> {
    vec![
        Adapter::<libs::weft::Weft>::boxed(),
        Adapter::<libs::loro::Loro>::boxed(),
        Adapter::<libs::diamond_types::DiamondTypes>::boxed(),
        Adapter::<libs::yrs::Yrs>::boxed(),
        Adapter::<libs::automerge::Automerge>::boxed(),
    ]
}

pub const USAGE: &str = concat!(
    "usage: weft-native-peers [--traces=a,b] [--libs=a,b] [--reps=N] [--merge-ops=N] [--no-merge] [--quick]\n",
    "  --quick: the smallest trace and one run of everything (a correctness check)"
);

#[derive(Debug, Clone)]
pub struct Options {
    /// Trace names; all in the directory when empty.
    pub traces: Vec<String>,
    /// Library names; all when empty.
    pub libs: Vec<String>,
    /// Timed runs of each replay and merge (imports repeat more, see `measure`).
    pub reps: usize,
    /// Edits per side in the merge; 0 for no merge.
    pub merge_ops: usize,
    /// The smallest trace only.
    pub quick: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            traces: Vec::new(),
            libs: Vec::new(),
            reps: 5,
            merge_ops: 10_000,
            quick: false,
        }
    }
}

#[derive(Debug, Error)]
pub enum RunError {
    #[error("{0}\n{USAGE}")]
    Usage(String),
    #[error(transparent)]
    Trace(#[from] TraceError),
    #[error(transparent)]
    Bench(#[from] BenchError),
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn number(flag: &str, value: &str) -> Result<usize, RunError> {
    value
        .parse()
        .map_err(|_| RunError::Usage(format!("{flag} takes a number, not {value:?}")))
}

impl Options {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, RunError> {
        let mut o = Options::default();
        for arg in args {
            let (flag, value) = arg.split_once('=').unwrap_or((arg.as_str(), ""));
            match flag {
                "--traces" => o.traces = list(value),
                "--libs" => o.libs = list(value),
                "--reps" => o.reps = number(flag, value)?.max(1),
                "--merge-ops" => o.merge_ops = number(flag, value)?,
                "--no-merge" => o.merge_ops = 0,
                "--quick" => o.quick = true,
                _ => return Err(RunError::Usage(format!("unknown argument {arg:?}"))),
            }
        }
        if o.quick {
            o.reps = 1;
        }
        Ok(o)
    }
}

/// Runs the benchmark, printing each table as it is done; the first wrong
/// result ends the run with its error.
pub fn run(o: &Options, out: &mut dyn FnMut(&str)) -> Result<(), RunError> {
    let libs: Vec<Box<dyn Lib>> = all_libs()
        .into_iter()
        .filter(|l| o.libs.is_empty() || o.libs.iter().any(|n| n == l.name()))
        .collect();
    if let Some(unknown) = o.libs.iter().find(|n| !libs.iter().any(|l| l.name() == *n)) {
        let names: Vec<_> = all_libs().iter().map(|l| l.name()).collect();
        return Err(RunError::Usage(format!(
            "no library named {unknown:?} (known: {})",
            names.join(", ")
        )));
    }
    let dir = traces::traces_dir();
    let trace_names: Vec<String> = if o.quick {
        // The smallest file: the quickest correctness check on a real trace.
        // Without the directory (a fresh clone) the check says so and goes
        // on with the merge, which needs no trace.
        match traces::list(&dir) {
            Ok(found) => {
                let smallest = found.into_iter().min_by_key(|(_, size)| *size);
                smallest.map(|(name, _)| name).into_iter().collect()
            }
            Err(e @ TraceError::NoDirectory(_)) => {
                out(&format!("trace checks NOT run: {e}\n"));
                Vec::new()
            }
            Err(e) => return Err(e.into()),
        }
    } else if o.traces.is_empty() {
        traces::list(&dir)?.into_iter().map(|(n, _)| n).collect()
    } else {
        o.traces.clone()
    };
    out(&format!(
        "weft-native-peers: {} run(s) each; traces from {}; load average at start {}\n",
        o.reps,
        dir.display(),
        report::load_average()
    ));
    for name in &trace_names {
        let trace = traces::load(&dir, name)?;
        let mut figs = Vec::new();
        for lib in &libs {
            figs.push(lib.first_replay(&trace)?);
        }
        for round in 0..o.reps {
            // A different library starts each round.
            for k in 0..libs.len() {
                let i = (k + round) % libs.len();
                libs[i].trace_round(&trace, &mut figs[i])?;
            }
        }
        out(&report::trace_table(&trace, &figs));
        out(&format!("(load average {})\n", report::load_average()));
    }
    if o.merge_ops > 0 {
        let sides = merge_ops::sides(o.merge_ops);
        let mut figs: Vec<MergeFigures> = libs
            .iter()
            .map(|l| MergeFigures {
                lib: l.name(),
                update_bytes: 0,
                merge: Vec::new(),
            })
            .collect();
        for round in 0..o.reps {
            for k in 0..libs.len() {
                let i = (k + round) % libs.len();
                libs[i].merge_round(&sides, &mut figs[i])?;
            }
        }
        out(&report::merge_table(o.merge_ops, &figs));
        out(&format!("(load average {})\n", report::load_average()));
    }
    Ok(())
}
