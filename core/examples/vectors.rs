//! Rewrites `core/tests/vectors/expected.json` from `scenarios.json`:
//! `cargo run -p weft-core --example vectors`. The vectors test fails until the
//! committed file matches what the core produces.

#[path = "../tests/vectors/script.rs"]
mod script;

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/expected.json");
    let text = serde_json::to_string_pretty(&script::expected()).expect("json") + "\n";
    std::fs::write(path, text).expect("write expected.json");
    println!("wrote {path}");
}
