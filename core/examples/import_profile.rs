//! Loads a snapshot into a fresh document and reads its text back: the work
//! the import benchmark times, alone in a process, for instruction counting
//! (`valgrind --tool=callgrind`). `write <trace.json.gz> <out>` first writes the
//! snapshot (with history) of a trace; `read <file> [times] [text|none|edit]`
//! loads it, then reads the text back, does nothing more, makes one edit, or
//! decodes the history it left packed.

#[path = "../tests/seq_common/mod.rs"]
mod seq_common;

use weft_core::{Doc, ReplicaId};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("write") => {
            let trace = seq_common::read_trace(std::path::Path::new(&args[2]));
            let mut doc = seq_common::replay_doc(&trace.txns);
            std::fs::write(&args[3], doc.export_snapshot()).unwrap();
            std::fs::write(format!("{}.state", args[3]), doc.export_state()).unwrap();
        }
        Some("read") => {
            let bytes = std::fs::read(&args[2]).unwrap();
            let times: usize = args.get(3).map_or(1, |n| n.parse().unwrap());
            // What follows the import: `text` (the default) reads the text
            // back, `none` nothing, `edit` one insert (which builds the tree),
            // `history` the history's decoding.
            let then = args.get(4).map_or("text", String::as_str);
            let mut total = 0;
            for _ in 0..times {
                let mut doc = Doc::new(ReplicaId(2));
                doc.import(&bytes).unwrap();
                let text = doc.text("text").unwrap();
                match then {
                    "none" => total += doc.unbuilt_texts(),
                    "edit" => {
                        doc.text_insert(&text, 1_000, "x").unwrap();
                        total += doc.unbuilt_texts();
                    }
                    // The history a snapshot's import leaves packed, decoded
                    // as `changes_since` or an export would.
                    "history" => {
                        doc.load_history().unwrap();
                        total += doc.unbuilt_texts();
                    }
                    _ => total += doc.text_string(&text).len(),
                }
            }
            println!("{total}");
        }
        _ => eprintln!("usage: import_profile write <trace.json.gz> <out> | read <file> [times] [text|none|edit|history]"),
    }
}
