//! The benchmark's own tests (not run by CI: this crate is outside the root
//! workspace; run them with `cargo test --manifest-path
//! bench/native-peers/Cargo.toml`). The quick run replays the smallest trace and
//! merges through every library, so a library whose adapter gives a wrong text
//! fails here; the broken adapters show that the checks do catch one.

#[path = "../../../core/benches/common/merge_ops.rs"]
mod core_merge_ops;

use weft_native_peers::libs::weft::Weft;
use weft_native_peers::measure::{Adapter, BenchError, MergeFigures};
use weft_native_peers::merge_ops;
use weft_native_peers::peer::{LibError, Peer, Txn};
use weft_native_peers::traces::Trace;
use weft_native_peers::{run, Options};

#[test]
fn quick_run_checks_every_library() {
    let mut printed = String::new();
    let options = Options::parse(["--quick".to_owned()]).unwrap();
    let result = run(&options, &mut |s| printed.push_str(s));
    println!("{printed}");
    result.unwrap();
    for lib in ["weft", "loro", "diamond-types", "yrs", "automerge"] {
        assert!(
            printed.contains(&format!("| {lib} |")),
            "no figures for {lib}"
        );
    }
}

#[test]
fn unknown_arguments_and_libraries_are_refused() {
    assert!(Options::parse(["--rep=3".to_owned()]).is_err());
    assert!(Options::parse(["--reps=x".to_owned()]).is_err());
    let o = Options::parse(["--libs=weft,nope".to_owned(), "--no-merge".to_owned()]).unwrap();
    assert!(run(&o, &mut |_| {}).is_err());
}

/// The merge's edits are the core bench's: Weft's own fork (which the criterion
/// merge bench and `merge_profile` use) leaves each side with the same text.
#[test]
fn merge_edits_are_the_core_benchs() {
    let [left, right] = merge_ops::sides(2_000);
    let (mut l, mut r, _) = core_merge_ops::fork(2_000);
    let lt = l.text("t").unwrap();
    let rt = r.text("t").unwrap();
    assert_eq!(l.text_string(&lt), left.expected);
    assert_eq!(r.text_string(&rt), right.expected);
    assert_eq!(left.txns.len(), 20);
}

/// Weft with its last edit lost (`LOSE`) or its imports ignored (`!LOSE`):
/// what a fast wrong adapter would look like.
struct Broken<const LOSE: bool>;

impl<const LOSE: bool> Peer for Broken<LOSE> {
    const NAME: &'static str = "broken";
    type Doc = <Weft as Peer>::Doc;
    type Version = <Weft as Peer>::Version;
    fn create(replica: u64) -> Self::Doc {
        Weft::create(replica)
    }
    fn apply(doc: &mut Self::Doc, txns: &[Txn]) -> Result<(), LibError> {
        let mut txns = txns.to_vec();
        if LOSE {
            if let Some(last) = txns.last_mut() {
                last.pop();
            }
        }
        Weft::apply(doc, &txns)
    }
    fn text(doc: &mut Self::Doc) -> Result<String, LibError> {
        Weft::text(doc)
    }
    fn encode(doc: &mut Self::Doc) -> Result<Vec<u8>, LibError> {
        Weft::encode(doc)
    }
    fn load(bytes: &[u8], replica: u64) -> Result<Self::Doc, LibError> {
        Weft::load(bytes, replica)
    }
    fn insert(doc: &mut Self::Doc, pos: usize, s: &str) -> Result<(), LibError> {
        Weft::insert(doc, pos, s)
    }
    fn version(doc: &mut Self::Doc) -> Self::Version {
        Weft::version(doc)
    }
    fn export_since(doc: &mut Self::Doc, since: &Self::Version) -> Result<Vec<u8>, LibError> {
        Weft::export_since(doc, since)
    }
    fn import(doc: &mut Self::Doc, bytes: &[u8]) -> Result<(), LibError> {
        if LOSE {
            Weft::import(doc, bytes)
        } else {
            Ok(())
        }
    }
}

/// A small trace made of one merge side's edits.
fn small_trace() -> Trace {
    let [side, _] = merge_ops::sides(500);
    Trace {
        name: "generated".to_owned(),
        edits: side.txns.iter().map(Vec::len).sum(),
        txns: side.txns,
        end_content: side.expected,
    }
}

#[test]
fn a_lost_edit_is_a_wrong_result() {
    let trace = small_trace();
    let good = Adapter::<Weft>::boxed();
    let mut figs = good.first_replay(&trace).unwrap();
    good.trace_round(&trace, &mut figs).unwrap();
    assert_eq!(figs.replay.len(), 1);
    assert!(figs.import_edit.len() >= 3);
    let broken = Adapter::<Broken<true>>::boxed();
    match broken.first_replay(&trace) {
        Err(BenchError::WrongText {
            lib: "broken",
            what,
            ..
        }) => assert_eq!(what, "after replay"),
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a lost edit went unnoticed"),
    }
}

#[test]
fn replicas_that_do_not_converge_are_a_wrong_result() {
    let sides = merge_ops::sides(300);
    let mut figs = MergeFigures {
        lib: "weft",
        update_bytes: 0,
        merge: Vec::new(),
    };
    Adapter::<Weft>::boxed()
        .merge_round(&sides, &mut figs)
        .unwrap();
    assert!(figs.update_bytes > 0);
    assert_eq!(figs.merge.len(), 1);
    match Adapter::<Broken<false>>::boxed().merge_round(&sides, &mut figs) {
        Err(BenchError::WrongText {
            lib: "broken",
            what,
            ..
        }) => {
            assert_eq!(what, "after merge (left against right)")
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(()) => panic!("replicas that ignore each other went unnoticed"),
    }
}
