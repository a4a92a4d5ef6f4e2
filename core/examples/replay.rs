//! Replays editing traces once, for profilers (criterion's many runs drown a
//! callgrind profile): `cargo run --release -p weft-core --example replay --
//! [doc|seq] [trace-name]`. Under callgrind, `--toggle-collect='*replay_doc*'` (or `'*replay_seq*'`)
//! counts only the replay, not the trace loading.

#[path = "../tests/seq_common/mod.rs"]
mod seq_common;

use std::hint::black_box;

use seq_common::{replay_doc, replay_seq};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "doc".into());
    let only = args.next();
    let Some(traces) = seq_common::load_traces("replay example") else {
        return;
    };
    for (name, trace) in &traces {
        if only.as_ref().is_some_and(|o| o != name) {
            continue;
        }
        let t = std::time::Instant::now();
        let text = match mode.as_str() {
            "seq" => black_box(replay_seq(
                black_box(&trace.txns).iter().flat_map(|t| t.patches.iter()),
            ))
            .text(),
            _ => {
                let mut doc = black_box(replay_doc(black_box(&trace.txns)));
                let text = doc.text("text").unwrap();
                doc.text_string(&text)
            }
        };
        let took = t.elapsed();
        assert!(text == trace.end_content, "{name}: wrong final text");
        println!(
            "{name} ({mode}): {} edits in {:.2} ms",
            trace.patches().count(),
            took.as_secs_f64() * 1e3
        );
    }
}
