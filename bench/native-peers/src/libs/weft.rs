//! Weft's core (the crate in this repository), driven as `core/tests/seq_common`'s
//! `replay_doc` drives it for the criterion benches: `text_delete` then
//! `text_insert` for every patch (each returns at once for a zero length), one
//! `commit` per transaction, a fixed clock. The encoding is `export_snapshot`
//! (state and full history).

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId, TextId, VersionVector};

use crate::peer::{LibError, Peer, Txn};

pub struct Weft;

/// The clock the criterion benches use: no system clock read per commit.
fn clocked(replica: u64) -> Doc {
    Doc::with_clock(
        ReplicaId(replica),
        Arc::new(FixedClock::new(1_700_000_000_000)),
    )
}

fn err(what: &'static str, e: impl ToString) -> LibError {
    LibError::new(Weft::NAME, what, e)
}

impl Peer for Weft {
    const NAME: &'static str = "weft";
    type Doc = (Doc, TextId);
    type Version = VersionVector;

    fn create(replica: u64) -> Self::Doc {
        let mut doc = clocked(replica);
        let text = doc
            .text("text")
            .expect("a fresh document has no field named text");
        (doc, text)
    }

    // Not inlined, so that callgrind can count a replay alone (README).
    #[inline(never)]
    fn apply((doc, text): &mut Self::Doc, txns: &[Txn]) -> Result<(), LibError> {
        for txn in txns {
            for (pos, del, ins) in txn {
                doc.text_delete(text, *pos, *del)
                    .map_err(|e| err("delete", e))?;
                doc.text_insert(text, *pos, ins)
                    .map_err(|e| err("insert", e))?;
            }
            doc.commit();
        }
        Ok(())
    }

    fn text((doc, text): &mut Self::Doc) -> Result<String, LibError> {
        Ok(doc.text_string(text))
    }

    fn encode((doc, _): &mut Self::Doc) -> Result<Vec<u8>, LibError> {
        Ok(doc.export_snapshot())
    }

    fn load(bytes: &[u8], replica: u64) -> Result<Self::Doc, LibError> {
        let mut doc = clocked(replica);
        doc.import(bytes).map_err(|e| err("import", e))?;
        let text = doc.text("text").map_err(|e| err("text", e))?;
        Ok((doc, text))
    }

    fn insert((doc, text): &mut Self::Doc, pos: usize, s: &str) -> Result<(), LibError> {
        doc.text_insert(text, pos, s).map_err(|e| err("insert", e))
    }

    fn version((doc, _): &mut Self::Doc) -> VersionVector {
        doc.version().clone()
    }

    fn export_since((doc, _): &mut Self::Doc, since: &VersionVector) -> Result<Vec<u8>, LibError> {
        Ok(doc.export_changes(since))
    }

    fn import((doc, _): &mut Self::Doc, bytes: &[u8]) -> Result<(), LibError> {
        let report = doc.import(bytes).map_err(|e| err("import", e))?;
        if report.buffered > 0 {
            return Err(err(
                "import",
                format!("{} changes wait for missing dependencies", report.buffered),
            ));
        }
        Ok(())
    }
}
