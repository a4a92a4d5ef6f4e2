//! Every input under fuzz/regressions/<target>/ — crashers the fuzzer found, and
//! seeds — replayed through the same checks the fuzz targets run.

use std::fs;
use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("regressions")
        .join(target);
    let mut n = 0;
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("readable directory").path();
        if path.is_file() {
            check(&fs::read(&path).expect("readable file"));
            n += 1;
        }
    }
    n
}

#[test]
fn decode_changes_regressions() {
    assert!(replay("decode_changes", weft_fuzz::check_decode) > 0);
}

#[test]
fn import_regressions() {
    assert!(replay("import", weft_fuzz::check_import) > 0);
}

#[test]
fn ops_regressions() {
    assert!(replay("ops", weft_fuzz::check_ops) > 0);
}

#[test]
fn decode_cursor_regressions() {
    assert!(replay("decode_cursor", weft_fuzz::check_cursor) > 0);
}

#[test]
fn undo_regressions() {
    assert!(replay("undo", weft_fuzz::check_undo) > 0);
}
