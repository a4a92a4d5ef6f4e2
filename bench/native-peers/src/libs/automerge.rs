//! Automerge (crate `automerge`, the core of @automerge/automerge): an
//! `AutoCommit` document with a text object at the root; one `splice_text` per
//! patch (Automerge's own edit call deletes and inserts at once; positions in
//! Unicode code points, the crate's native default), one `commit` per
//! transaction. The encoding is `save` (the compressed full history).

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, ROOT};

use crate::peer::{LibError, Peer, Txn};

pub struct Automerge;

fn err(what: &'static str, e: impl ToString) -> LibError {
    LibError::new(Automerge::NAME, what, e)
}

fn actor(replica: u64) -> ActorId {
    ActorId::from(replica.to_be_bytes().as_slice())
}

impl Peer for Automerge {
    const NAME: &'static str = "automerge";
    type Doc = (AutoCommit, ObjId);
    type Version = Vec<ChangeHash>;

    fn create(replica: u64) -> Self::Doc {
        let mut doc = AutoCommit::new().with_actor(actor(replica));
        let text = doc
            .put_object(ROOT, "text", ObjType::Text)
            .expect("a fresh document's root takes a field");
        doc.commit();
        (doc, text)
    }

    // Not inlined, so that callgrind can count a replay alone (README).
    #[inline(never)]
    fn apply((doc, text): &mut Self::Doc, txns: &[Txn]) -> Result<(), LibError> {
        for txn in txns {
            for (pos, del, ins) in txn {
                let del = isize::try_from(*del).map_err(|e| err("splice", e))?;
                doc.splice_text(&*text, *pos, del, ins)
                    .map_err(|e| err("splice", e))?;
            }
            doc.commit();
        }
        Ok(())
    }

    fn text((doc, text): &mut Self::Doc) -> Result<String, LibError> {
        doc.text(&*text).map_err(|e| err("text", e))
    }

    fn encode((doc, _): &mut Self::Doc) -> Result<Vec<u8>, LibError> {
        Ok(doc.save())
    }

    fn load(bytes: &[u8], replica: u64) -> Result<Self::Doc, LibError> {
        let doc = AutoCommit::load(bytes).map_err(|e| err("load", e))?;
        let doc = doc.with_actor(actor(replica));
        let text = match doc.get(ROOT, "text").map_err(|e| err("get", e))? {
            Some((_, id)) => id,
            None => return Err(err("load", "no text at the root")),
        };
        Ok((doc, text))
    }

    fn insert((doc, text): &mut Self::Doc, pos: usize, s: &str) -> Result<(), LibError> {
        doc.splice_text(&*text, pos, 0, s)
            .map_err(|e| err("splice", e))
    }

    fn version((doc, _): &mut Self::Doc) -> Vec<ChangeHash> {
        doc.get_heads()
    }

    fn export_since(
        (doc, _): &mut Self::Doc,
        since: &Vec<ChangeHash>,
    ) -> Result<Vec<u8>, LibError> {
        Ok(doc.save_after(since))
    }

    fn import((doc, _): &mut Self::Doc, bytes: &[u8]) -> Result<(), LibError> {
        doc.load_incremental(bytes)
            .map_err(|e| err("load_incremental", e))?;
        // Changes whose dependencies are missing wait in a queue.
        let missing = doc.get_missing_deps(&[]);
        if !missing.is_empty() {
            return Err(err(
                "load_incremental",
                format!("{} dependencies missing", missing.len()),
            ));
        }
        Ok(())
    }
}
