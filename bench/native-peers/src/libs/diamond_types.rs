//! diamond-types (crate `diamond-types`): `ListCRDT::delete` then `insert`
//! (Unicode code points) per patch. It has no transactions: every edit is
//! recorded as it is made, so there is nothing to commit. The encoding is the
//! oplog with `EncodeOptions::default()` (`ENCODE_FULL`, as the npm package's
//! `toBytes`); a peer's changes are `encode_from(ENCODE_PATCH, version)`, merged
//! with `merge_data_and_ff` (the npm package's `getPatchSince` / `mergeBytes`).

use diamond_types::list::encoding::{EncodeOptions, ENCODE_PATCH};
use diamond_types::list::ListCRDT;
use diamond_types::{AgentId, LocalVersion};

use crate::peer::{LibError, Peer, Txn};

pub struct DiamondTypes;

fn err(what: &'static str, e: impl std::fmt::Debug) -> LibError {
    LibError::new(DiamondTypes::NAME, what, format!("{e:?}"))
}

fn agent(doc: &mut ListCRDT, replica: u64) -> AgentId {
    doc.get_or_create_agent_id(&format!("r{replica}"))
}

impl Peer for DiamondTypes {
    const NAME: &'static str = "diamond-types";
    type Doc = (ListCRDT, AgentId);
    type Version = LocalVersion;

    fn create(replica: u64) -> Self::Doc {
        let mut doc = ListCRDT::new();
        let id = agent(&mut doc, replica);
        (doc, id)
    }

    // Not inlined, so that callgrind can count a replay alone (README).
    #[inline(never)]
    fn apply((doc, agent): &mut Self::Doc, txns: &[Txn]) -> Result<(), LibError> {
        for txn in txns {
            for (pos, del, ins) in txn {
                if *del > 0 {
                    doc.delete(*agent, *pos..*pos + *del);
                }
                if !ins.is_empty() {
                    doc.insert(*agent, *pos, ins);
                }
            }
        }
        Ok(())
    }

    fn text((doc, _): &mut Self::Doc) -> Result<String, LibError> {
        Ok(doc.branch.content().to_string())
    }

    fn encode((doc, _): &mut Self::Doc) -> Result<Vec<u8>, LibError> {
        Ok(doc.oplog.encode(EncodeOptions::default()))
    }

    fn load(bytes: &[u8], replica: u64) -> Result<Self::Doc, LibError> {
        let mut doc = ListCRDT::load_from(bytes).map_err(|e| err("load", e))?;
        let id = agent(&mut doc, replica);
        Ok((doc, id))
    }

    fn insert((doc, agent): &mut Self::Doc, pos: usize, s: &str) -> Result<(), LibError> {
        doc.insert(*agent, pos, s);
        Ok(())
    }

    fn version((doc, _): &mut Self::Doc) -> LocalVersion {
        doc.oplog.local_version()
    }

    fn export_since((doc, _): &mut Self::Doc, since: &LocalVersion) -> Result<Vec<u8>, LibError> {
        Ok(doc.oplog.encode_from(ENCODE_PATCH, since))
    }

    fn import((doc, _): &mut Self::Doc, bytes: &[u8]) -> Result<(), LibError> {
        doc.merge_data_and_ff(bytes).map_err(|e| err("merge", e))?;
        Ok(())
    }
}
