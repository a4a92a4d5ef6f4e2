//! The workloads, the same for every library, with their correctness checks: a
//! wrong text or replicas that do not converge is an error, so a fast wrong
//! answer cannot win. `Lib` hides each adapter's types so that the run can take
//! the libraries in turn, round by round (on a shared machine, a disturbance
//! then falls on every library rather than on one).

use std::hint::black_box;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::heap;
use crate::merge_ops::Side;
use crate::peer::{LibError, Peer, Txn};
use crate::traces::Trace;

#[derive(Debug, Error)]
pub enum BenchError {
    #[error(transparent)]
    Lib(#[from] LibError),
    #[error("{lib}: wrong text {what}: {detail}")]
    WrongText {
        lib: &'static str,
        what: String,
        detail: String,
    },
}

/// Where a text first differs from the expected one, for the error message.
fn difference(got: &str, want: &str) -> Option<String> {
    if got == want {
        return None;
    }
    let at = got
        .chars()
        .zip(want.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let show = |s: &str| s.chars().skip(at).take(20).collect::<String>();
    Some(format!(
        "differs at character {at} (got {} characters, want {}): got {:?}, want {:?}",
        got.chars().count(),
        want.chars().count(),
        show(got),
        show(want)
    ))
}

fn check(lib: &'static str, what: &str, got: &str, want: &str) -> Result<(), BenchError> {
    match difference(got, want) {
        None => Ok(()),
        Some(detail) => Err(BenchError::WrongText {
            lib,
            what: what.to_owned(),
            detail,
        }),
    }
}

/// Where the single edit after an import goes: the core's bench's position.
pub fn edit_position(len: usize) -> usize {
    len.min(1_000)
}

/// `text` with "x" inserted at character `pos`.
fn with_x(text: &str, pos: usize) -> String {
    let at = text.char_indices().nth(pos).map_or(text.len(), |(i, _)| i);
    let mut s = String::with_capacity(text.len() + 1);
    s.push_str(&text[..at]);
    s.push('x');
    s.push_str(&text[at..]);
    s
}

/// One library's figures on one trace.
pub struct TraceFigures {
    pub lib: &'static str,
    pub encoded: Vec<u8>,
    /// Heap bytes the document held after the (first) replay, and at most during it.
    pub held: usize,
    pub peak: usize,
    pub replay: Vec<Duration>,
    pub import: Vec<Duration>,
    pub import_read: Vec<Duration>,
    pub import_edit: Vec<Duration>,
}

/// One library's figures on the concurrent merge.
pub struct MergeFigures {
    pub lib: &'static str,
    /// Bytes of the left side's changes, which the right side imports.
    pub update_bytes: usize,
    pub merge: Vec<Duration>,
}

/// Imports are short: each round repeats them until this much time or this
/// many runs, at least `IMPORT_MIN` runs.
const IMPORT_BUDGET: Duration = Duration::from_millis(60);
const IMPORT_MIN: usize = 3;
const IMPORT_MAX: usize = 20;

/// A library, its types hidden.
pub trait Lib {
    fn name(&self) -> &'static str;
    /// The first replay: checks the text, measures memory, encodes, and checks
    /// that the encoding loads to the same text and takes an edit. Untimed.
    fn first_replay(&self, trace: &Trace) -> Result<TraceFigures, BenchError>;
    /// One timed replay and a few timed imports of each kind.
    fn trace_round(&self, trace: &Trace, figs: &mut TraceFigures) -> Result<(), BenchError>;
    /// One concurrent merge, timed, with its checks.
    fn merge_round(&self, sides: &[Side; 2], figs: &mut MergeFigures) -> Result<(), BenchError>;
}

/// The `Lib` of a `Peer`.
pub struct Adapter<P>(PhantomData<fn() -> P>);

impl<P: Peer + 'static> Adapter<P> {
    pub fn boxed() -> Box<dyn Lib> {
        Box::new(Adapter::<P>(PhantomData))
    }
}

fn replay<P: Peer>(txns: &[Txn]) -> Result<P::Doc, LibError> {
    let mut doc = P::create(1);
    P::apply(&mut doc, txns)?;
    Ok(doc)
}

/// Times `f`, whose result is dropped after the clock stops: freeing a
/// document is not part of any figure.
fn timed<T>(f: impl FnOnce() -> Result<T, BenchError>) -> Result<Duration, BenchError> {
    let start = Instant::now();
    let out = black_box(f()?);
    let elapsed = start.elapsed();
    drop(out);
    Ok(elapsed)
}

fn repeat_imports(
    out: &mut Vec<Duration>,
    mut run: impl FnMut() -> Result<Duration, BenchError>,
) -> Result<(), BenchError> {
    let mut spent = Duration::ZERO;
    let mut runs = 0;
    while runs < IMPORT_MIN || (runs < IMPORT_MAX && spent < IMPORT_BUDGET) {
        let t = run()?;
        out.push(t);
        spent += t;
        runs += 1;
    }
    Ok(())
}

impl<P: Peer> Lib for Adapter<P> {
    fn name(&self) -> &'static str {
        P::NAME
    }

    fn first_replay(&self, trace: &Trace) -> Result<TraceFigures, BenchError> {
        let (doc, held, peak) = heap::measure(|| replay::<P>(&trace.txns));
        let mut doc = doc?;
        check(
            P::NAME,
            "after replay",
            &P::text(&mut doc)?,
            &trace.end_content,
        )?;
        let encoded = P::encode(&mut doc)?;
        drop(doc);
        let mut loaded = P::load(&encoded, 9)?;
        check(
            P::NAME,
            "after import",
            &P::text(&mut loaded)?,
            &trace.end_content,
        )?;
        let mut edited = P::load(&encoded, 9)?;
        let pos = edit_position(trace.end_content.chars().count());
        P::insert(&mut edited, pos, "x")?;
        let want = with_x(&trace.end_content, pos);
        check(
            P::NAME,
            "after import + edit",
            &P::text(&mut edited)?,
            &want,
        )?;
        Ok(TraceFigures {
            lib: P::NAME,
            encoded,
            held,
            peak,
            replay: Vec::new(),
            import: Vec::new(),
            import_read: Vec::new(),
            import_edit: Vec::new(),
        })
    }

    fn trace_round(&self, trace: &Trace, figs: &mut TraceFigures) -> Result<(), BenchError> {
        let t = timed(|| Ok(replay::<P>(black_box(&trace.txns))?))?;
        figs.replay.push(t);
        let bytes = &figs.encoded;
        let pos = edit_position(trace.end_content.chars().count());
        repeat_imports(&mut figs.import, || {
            timed(|| Ok(P::load(black_box(bytes), 9)?))
        })?;
        repeat_imports(&mut figs.import_read, || {
            timed(|| {
                let mut doc = P::load(black_box(bytes), 9)?;
                let text = P::text(&mut doc)?;
                Ok((doc, text))
            })
        })?;
        repeat_imports(&mut figs.import_edit, || {
            timed(|| {
                let mut doc = P::load(black_box(bytes), 9)?;
                P::insert(&mut doc, pos, "x")?;
                Ok(doc)
            })
        })?;
        Ok(())
    }

    fn merge_round(&self, sides: &[Side; 2], figs: &mut MergeFigures) -> Result<(), BenchError> {
        // The fork: replica 1 makes the empty text; 2 and 3 load it.
        let mut base = P::create(1);
        let bytes = P::encode(&mut base)?;
        drop(base);
        let mut left = P::load(&bytes, 2)?;
        let mut right = P::load(&bytes, 3)?;
        let left_base = P::version(&mut left);
        let right_base = P::version(&mut right);
        P::apply(&mut left, &sides[0].txns)?;
        P::apply(&mut right, &sides[1].txns)?;
        check(
            P::NAME,
            "left before merge",
            &P::text(&mut left)?,
            &sides[0].expected,
        )?;
        check(
            P::NAME,
            "right before merge",
            &P::text(&mut right)?,
            &sides[1].expected,
        )?;
        let update = P::export_since(&mut left, &left_base)?;
        let back = P::export_since(&mut right, &right_base)?;

        let start = Instant::now();
        P::import(&mut right, black_box(&update))?;
        figs.merge.push(start.elapsed());
        figs.update_bytes = update.len();

        P::import(&mut left, &back)?;
        let merged = P::text(&mut right)?;
        check(
            P::NAME,
            "after merge (left against right)",
            &P::text(&mut left)?,
            &merged,
        )?;
        // Each side deletes only characters it inserted into an empty text, so
        // the merge holds exactly both sides' characters.
        let mut got: Vec<char> = merged.chars().collect();
        let mut want: Vec<char> = sides[0]
            .expected
            .chars()
            .chain(sides[1].expected.chars())
            .collect();
        got.sort_unstable();
        want.sort_unstable();
        if got != want {
            return Err(BenchError::WrongText {
                lib: P::NAME,
                what: "after merge".to_owned(),
                detail: format!(
                    "holds {} characters, not the {} both sides hold",
                    got.len(),
                    want.len()
                ),
            });
        }
        Ok(())
    }
}
