//! `cargo run --release --manifest-path bench/native-peers/Cargo.toml --
//! [--traces=a,b] [--libs=a,b] [--reps=N] [--merge-ops=N] [--no-merge] [--quick]`:
//! prints the side-by-side tables; exits 1 on a wrong result (a library's text
//! differs from the trace's end, or merged replicas differ), 2 on bad arguments.

use std::process::ExitCode;

use weft_native_peers::{run, Options, RunError};

fn main() -> ExitCode {
    let result = Options::parse(std::env::args().skip(1)).and_then(|o| {
        run(&o, &mut |s| {
            println!("{s}");
        })
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ RunError::Usage(_)) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("FAILED: {e}");
            ExitCode::from(1)
        }
    }
}
