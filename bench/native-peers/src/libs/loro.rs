//! Loro (crate `loro`): `LoroText::delete` then `insert` (Unicode code points)
//! per patch, one `commit` per transaction. The encoding is
//! `ExportMode::Snapshot` (state and full history), loaded with
//! `LoroDoc::from_snapshot`. Loro decodes a snapshot's
//! state lazily, on first access: the report's "import + read" and "import +
//! edit" columns give the cost of a usable document.

use loro::{ExportMode, LoroDoc, LoroText, VersionVector};

use crate::peer::{LibError, Peer, Txn};

pub struct Loro;

fn err(what: &'static str, e: impl ToString) -> LibError {
    LibError::new(Loro::NAME, what, e)
}

fn open(replica: u64) -> Result<(LoroDoc, LoroText), LibError> {
    let doc = LoroDoc::new();
    doc.set_peer_id(replica)
        .map_err(|e| err("set_peer_id", e))?;
    let text = doc.get_text("text");
    Ok((doc, text))
}

impl Peer for Loro {
    const NAME: &'static str = "loro";
    type Doc = (LoroDoc, LoroText);
    type Version = VersionVector;

    fn create(replica: u64) -> Self::Doc {
        open(replica).expect("a fresh document takes any peer id")
    }

    // Not inlined, so that callgrind can count a replay alone (README).
    #[inline(never)]
    fn apply((doc, text): &mut Self::Doc, txns: &[Txn]) -> Result<(), LibError> {
        for txn in txns {
            for (pos, del, ins) in txn {
                if *del > 0 {
                    text.delete(*pos, *del).map_err(|e| err("delete", e))?;
                }
                if !ins.is_empty() {
                    text.insert(*pos, ins).map_err(|e| err("insert", e))?;
                }
            }
            doc.commit();
        }
        Ok(())
    }

    fn text((_, text): &mut Self::Doc) -> Result<String, LibError> {
        Ok(text.to_string())
    }

    fn encode((doc, _): &mut Self::Doc) -> Result<Vec<u8>, LibError> {
        doc.export(ExportMode::Snapshot)
            .map_err(|e| err("export", e))
    }

    /// `from_snapshot`: Loro's own path for a snapshot into a new document
    /// (what `import` into an empty document comes to, without its checks of
    /// the document's state first).
    fn load(bytes: &[u8], replica: u64) -> Result<Self::Doc, LibError> {
        let doc = LoroDoc::from_snapshot(bytes).map_err(|e| err("from_snapshot", e))?;
        doc.set_peer_id(replica)
            .map_err(|e| err("set_peer_id", e))?;
        let text = doc.get_text("text");
        Ok((doc, text))
    }

    fn insert((_, text): &mut Self::Doc, pos: usize, s: &str) -> Result<(), LibError> {
        text.insert(pos, s).map_err(|e| err("insert", e))
    }

    fn version((doc, _): &mut Self::Doc) -> VersionVector {
        doc.oplog_vv()
    }

    fn export_since((doc, _): &mut Self::Doc, since: &VersionVector) -> Result<Vec<u8>, LibError> {
        doc.export(ExportMode::updates(since))
            .map_err(|e| err("export", e))
    }

    fn import((doc, _): &mut Self::Doc, bytes: &[u8]) -> Result<(), LibError> {
        let status = doc.import(bytes).map_err(|e| err("import", e))?;
        if let Some(pending) = status.pending {
            return Err(err(
                "import",
                format!("changes wait for missing dependencies: {pending:?}"),
            ));
        }
        Ok(())
    }
}
