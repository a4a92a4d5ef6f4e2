//! Where Loro's "import + edit" time goes: its snapshot decode, a first read,
//! the first local insert and a second one, each timed apart on the
//! automerge-paper snapshot (median of 11 runs). Loro decodes lazily, so the
//! import alone leaves work for the first edit.
//!
//! `cargo run --release --manifest-path bench/native-peers/Cargo.toml --example loro_first_edit`

use std::time::{Duration, Instant};

use loro::LoroDoc;
use weft_native_peers::libs::loro::Loro;
use weft_native_peers::peer::Peer;
use weft_native_peers::report::median;
use weft_native_peers::traces;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let trace = traces::load(&traces::traces_dir(), "automerge-paper")?;
    let mut doc = Loro::create(1);
    Loro::apply(&mut doc, &trace.txns)?;
    let bytes = Loro::encode(&mut doc)?;
    let mut steps: [Vec<Duration>; 4] = Default::default();
    for _ in 0..11 {
        let t0 = Instant::now();
        let doc = LoroDoc::from_snapshot(&bytes)?;
        let t1 = Instant::now();
        let text = doc.get_text("text");
        let read = text.to_string();
        let t2 = Instant::now();
        text.insert(1_000, "x")?;
        let t3 = Instant::now();
        text.insert(2_000, "y")?;
        let t4 = Instant::now();
        assert_eq!(read, trace.end_content);
        for (i, d) in [t1 - t0, t2 - t1, t3 - t2, t4 - t3].into_iter().enumerate() {
            steps[i].push(d);
        }
    }
    let names = [
        "from_snapshot",
        "first read",
        "first insert",
        "second insert",
    ];
    for (name, times) in names.iter().zip(&steps) {
        println!("{name}: {:.3} ms", median(times).as_secs_f64() * 1e3);
    }
    Ok(())
}
