//! Yrs (crate `yrs`, the Rust port of Yjs): one `transact_mut` per trace
//! transaction (its commit is the transaction's end), `Text::remove_range` then
//! `insert` per patch. Offsets are counted in UTF-16 units (`OffsetKind::Utf16`,
//! as ywasm does): the traces' positions are code points, the same numbers for
//! text without characters beyond the BMP, which is all the traces hold; the
//! final-text check would catch a trace that did not. The encoding is the v1
//! update of the whole state (`encode_state_as_update_v1` from an empty state
//! vector, as ywasm's `encodeStateAsUpdate`): Yjs keeps deleted items' ids but
//! not their content, so "full history" here is what Yjs keeps of it.

use yrs::updates::decoder::Decode;
use yrs::{
    ClientID, Doc, GetString, OffsetKind, Options, ReadTxn, StateVector, Text, TextRef, Transact,
    Update,
};

use crate::peer::{LibError, Peer, Txn};

pub struct Yrs;

fn err(what: &'static str, e: impl ToString) -> LibError {
    LibError::new(Yrs::NAME, what, e)
}

fn open(replica: u64) -> (Doc, TextRef) {
    let options = Options {
        offset_kind: OffsetKind::Utf16,
        ..Options::with_client_id(ClientID::new(replica))
    };
    let doc = Doc::with_options(options);
    let text = doc.get_or_insert_text("text");
    (doc, text)
}

fn to_u32(n: usize) -> Result<u32, LibError> {
    u32::try_from(n).map_err(|_| err("edit", format!("position {n} beyond u32")))
}

impl Peer for Yrs {
    const NAME: &'static str = "yrs";
    type Doc = (Doc, TextRef);
    type Version = StateVector;

    fn create(replica: u64) -> Self::Doc {
        open(replica)
    }

    // Not inlined, so that callgrind can count a replay alone (README).
    #[inline(never)]
    fn apply((doc, text): &mut Self::Doc, txns: &[Txn]) -> Result<(), LibError> {
        for patches in txns {
            let mut txn = doc.transact_mut();
            for (pos, del, ins) in patches {
                if *del > 0 {
                    text.remove_range(&mut txn, to_u32(*pos)?, to_u32(*del)?);
                }
                if !ins.is_empty() {
                    text.insert(&mut txn, to_u32(*pos)?, ins);
                }
            }
        }
        Ok(())
    }

    fn text((doc, text): &mut Self::Doc) -> Result<String, LibError> {
        Ok(text.get_string(&doc.transact()))
    }

    fn encode((doc, _): &mut Self::Doc) -> Result<Vec<u8>, LibError> {
        Ok(doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default()))
    }

    fn load(bytes: &[u8], replica: u64) -> Result<Self::Doc, LibError> {
        let mut d = open(replica);
        Self::import(&mut d, bytes)?;
        Ok(d)
    }

    fn insert((doc, text): &mut Self::Doc, pos: usize, s: &str) -> Result<(), LibError> {
        text.insert(&mut doc.transact_mut(), to_u32(pos)?, s);
        Ok(())
    }

    fn version((doc, _): &mut Self::Doc) -> StateVector {
        doc.transact().state_vector()
    }

    fn export_since((doc, _): &mut Self::Doc, since: &StateVector) -> Result<Vec<u8>, LibError> {
        Ok(doc.transact().encode_state_as_update_v1(since))
    }

    fn import((doc, _): &mut Self::Doc, bytes: &[u8]) -> Result<(), LibError> {
        let update = Update::decode_v1(bytes).map_err(|e| err("decode", e))?;
        let mut txn = doc.transact_mut();
        txn.apply_update(update).map_err(|e| err("apply", e))?;
        // Updates whose dependencies are missing wait inside the store.
        if txn.store().pending_update().is_some() || txn.store().pending_ds().is_some() {
            return Err(err("import", "changes wait for missing dependencies"));
        }
        Ok(())
    }
}
