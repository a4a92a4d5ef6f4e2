//! Writes seed inputs for the fuzz targets from real documents:
//! `cargo run --no-default-features --example seeds -- <dir>` fills
//! `<dir>/{decode_changes,import}/` with valid payload bodies (the targets seal
//! them) and whole payloads.

use std::fs;
use std::path::Path;

use weft_core::{Doc, ReplicaId, Value, VersionVector};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "corpus".into());
    let mut a = Doc::new(ReplicaId(1));
    a.set("title", Value::from("seed"));
    let t = a.text("body").expect("fresh field");
    a.text_insert(&t, 0, "the quick brown 🦊")
        .expect("in range");
    a.text_delete(&t, 4, 6).expect("in range");
    a.text_mark(&t, 0, 3, "bold", true).expect("in range");
    a.text_mark(&t, 2, 6, "comment", "c1").expect("in range");
    a.text_unmark(&t, 1, 2, "bold").expect("in range");
    let c = a.counter("n").expect("fresh field");
    a.counter_add(&c, -2i64).expect("counter");
    let s = a.or_set("tags").expect("fresh field");
    a.set_add(&s, Value::from("x")).expect("set");
    let mut b = Doc::new(ReplicaId(2));
    b.import(&a.export_snapshot()).expect("own snapshot");
    let tb = b.text("body").expect("text");
    b.text_insert(&tb, 0, ">> ").expect("in range");

    let payloads = [
        ("update", a.export_changes(&VersionVector::default())),
        ("delta", b.export_changes(a.version())),
        ("snapshot", a.export_snapshot()),
        ("state", a.export_state()),
    ];
    for target in ["decode_changes", "import"] {
        let out = Path::new(&dir).join(target);
        fs::create_dir_all(&out).expect("writable corpus directory");
        for (name, bytes) in &payloads {
            // Whole payloads, and bodies prefixed by a kind selector for sealing.
            fs::write(out.join(format!("{name}.bin")), bytes).expect("write");
            let mut body = vec![bytes[5].wrapping_sub(1)];
            body.extend_from_slice(&bytes[10..]);
            fs::write(out.join(format!("{name}-body.bin")), body).expect("write");
        }
    }
}
