//! Sealed changes, packed: nothing merges into a sealed change any more, so it is
//! kept as a byte block (`encoding/rows.rs`: a typing session of 2,048 ops costs
//! a few kilobytes beyond its text instead of a few hundred) and decoded when a
//! peer or an export needs it, which is rare next to editing.

use super::Change;
#[cfg(not(target_arch = "wasm32"))]
use crate::encoding::decode;
// WebAssembly: the payload's columns, so that the module has one op format.
#[cfg(not(target_arch = "wasm32"))]
use crate::encoding::{decode_block, encode_block};
#[cfg(target_arch = "wasm32")]
use crate::encoding::{decode_log_block as decode_block, encode_log_block as encode_block};

#[derive(Clone, Debug, Default)]
pub(crate) struct Packed {
    blocks: Vec<Block>,
    /// How many changes the blocks hold.
    len: usize,
}

/// A run of consecutive changes of the log.
#[derive(Clone, Debug)]
struct Block {
    /// The log position of its first change.
    first: usize,
    body: Body,
}

#[derive(Clone, Debug)]
enum Body {
    /// Encoded.
    Bytes(Box<[u8]>),
    /// An update payload, as received (`encoding::decode_changes` reads it):
    /// its changes were decoded from it and applied, so it needs no encoding
    /// again. Native only: in WebAssembly the code cost 0.46 KB gzipped.
    #[cfg(not(target_arch = "wasm32"))]
    Update(Box<[u8]>),
    /// As they are: a change the payload decoder would refuse (only one applied
    /// through the API can be) is never encoded, so nothing packed is lost.
    Loose(Vec<Change>),
}

impl Packed {
    /// How many changes are packed (the log's first ones).
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Packs `chunk`, the log's next changes, into one block. Hands the
    /// changes back when they were encoded (their buffers may be reused).
    pub(crate) fn push(&mut self, chunk: Vec<Change>) -> Option<Vec<Change>> {
        if chunk.is_empty() {
            return None;
        }
        let n = chunk.len();
        let (body, back) = match encode_block(&chunk) {
            Some(bytes) => {
                #[cfg(feature = "slow-assertions")]
                verify(&bytes, &chunk);
                (Body::Bytes(bytes.into_boxed_slice()), Some(chunk))
            }
            None => (Body::Loose(chunk), None),
        };
        self.blocks.push(Block {
            first: self.len,
            body,
        });
        self.len += n;
        back
    }

    /// Packs `chunk`, the log's next changes, as the update payload they were
    /// all decoded from, in order. In WebAssembly `payload` is the update's
    /// opened body: the tables and columns of a block of the module's log
    /// (`encoding::encode_log_block`), read back as the update's decoder read
    /// them, so it is kept as one.
    pub(crate) fn push_encoded(&mut self, chunk: Vec<Change>, payload: &[u8]) {
        #[cfg(feature = "slow-assertions")]
        verify_update(payload, &chunk);
        #[cfg(not(target_arch = "wasm32"))]
        let body = Body::Update(payload.into());
        #[cfg(target_arch = "wasm32")]
        let body = Body::Bytes(payload.into());
        self.blocks.push(Block {
            first: self.len,
            body,
        });
        self.len += chunk.len();
    }

    /// Hands `f` the changes at `positions` (ascending, all below `len`), each
    /// block decoded once.
    pub(crate) fn each_at(&self, positions: &[usize], mut f: impl FnMut(Change)) {
        let mut i = 0;
        while i < positions.len() {
            let b = self
                .blocks
                .partition_point(|b| b.first <= positions[i])
                .saturating_sub(1);
            let Some(block) = self.blocks.get(b) else {
                return;
            };
            let end = self.blocks.get(b + 1).map_or(self.len, |next| next.first);
            let here = positions[i..].partition_point(|&p| p < end);
            let mut changes: Vec<Option<Change>> = block.changes().into_iter().map(Some).collect();
            for &p in &positions[i..i + here] {
                if let Some(c) = changes.get_mut(p - block.first).and_then(Option::take) {
                    f(c);
                }
            }
            i += here.max(1);
        }
    }

    /// Every packed change, in order.
    pub(crate) fn all(&self, out: &mut Vec<Change>) {
        for block in &self.blocks {
            out.extend(block.changes());
        }
    }
}

impl Block {
    fn changes(&self) -> Vec<Change> {
        match &self.body {
            // Only `push` writes blocks, and `encode_block` refuses (keeping the
            // changes loose) whatever `decode_block` would: a block that fails
            // to decode is a bug here, never hostile input. Failing loudly beats
            // handing peers and exports a history with acknowledged ops missing.
            Body::Bytes(bytes) => {
                decode_block(bytes).expect("the change log reads back its own block")
            }
            // Decoded once already (before it was applied), and kept unchanged.
            #[cfg(not(target_arch = "wasm32"))]
            Body::Update(bytes) => {
                decode(bytes, false)
                    .expect("the change log reads back an update it applied")
                    .changes
            }
            Body::Loose(changes) => changes.clone(),
        }
    }
}

/// With slow assertions, a block must read back as the changes it was made of
/// (or, where a float is NaN and so unequal to itself, encode the same again).
#[cfg(feature = "slow-assertions")]
fn verify(bytes: &[u8], chunk: &[Change]) {
    match decode_block(bytes) {
        Ok(back) if back == chunk || encode_block(&back).as_deref() == Some(bytes) => {}
        Ok(_) => panic!("a change block reads back different changes"),
        Err(e) => panic!("a change block does not decode: {e}"),
    }
}

/// With slow assertions, an update kept as a block must read back as the
/// changes the log took from it.
#[cfg(feature = "slow-assertions")]
fn verify_update(payload: &[u8], chunk: &[Change]) {
    #[cfg(not(target_arch = "wasm32"))]
    let back = decode(payload, false).map(|d| d.changes);
    #[cfg(target_arch = "wasm32")]
    let back = decode_block(payload);
    match back {
        Ok(back)
            if back == chunk
                || encode_block(&back).is_some_and(|b| Some(b) == encode_block(chunk)) => {}
        Ok(_) => panic!("an update kept in the log reads back different changes"),
        Err(e) => panic!("an update kept in the log does not decode: {e}"),
    }
}
