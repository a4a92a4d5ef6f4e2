//! Loads a snapshot into a fresh document and reads its text back: the work
//! the import benchmark times, alone in a process, for instruction counting
//! (`valgrind --tool=callgrind`). `write <trace.json.gz> <out>` first writes the
//! snapshot (with history) of a trace; `read <file> [times]` loads it.

use std::io::Read;

use weft_core::{Doc, ReplicaId};

#[derive(serde::Deserialize)]
struct Trace {
    txns: Vec<Txn>,
}

#[derive(serde::Deserialize)]
struct Txn {
    patches: Vec<(usize, usize, String)>,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("write") => {
            let mut json = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&args[2]).unwrap())
                .read_to_string(&mut json)
                .unwrap();
            let trace: Trace = serde_json::from_str(&json).unwrap();
            let mut doc = Doc::new(ReplicaId(1));
            let text = doc.text("text").unwrap();
            for txn in &trace.txns {
                for (pos, del, ins) in &txn.patches {
                    doc.text_delete(&text, *pos, *del).unwrap();
                    doc.text_insert(&text, *pos, ins).unwrap();
                }
                doc.commit();
            }
            std::fs::write(&args[3], doc.export_snapshot()).unwrap();
            std::fs::write(format!("{}.state", args[3]), doc.export_state()).unwrap();
        }
        Some("read") => {
            let bytes = std::fs::read(&args[2]).unwrap();
            let times: usize = args.get(3).map_or(1, |n| n.parse().unwrap());
            let mut total = 0;
            for _ in 0..times {
                let mut doc = Doc::new(ReplicaId(2));
                doc.import(&bytes).unwrap();
                let text = doc.text("text").unwrap();
                total += doc.text_string(&text).len();
            }
            println!("{total}");
        }
        _ => eprintln!("usage: import_profile write <trace.json.gz> <out> | read <file> [times]"),
    }
}
