//! What every library adapter provides: the few document operations the
//! benchmark drives, each through the library's own API, one call per edit as an
//! editor would make it.

use thiserror::Error;

/// One edit of a trace: at this position (Unicode code points), delete this many
/// characters, then insert this text.
pub type Patch = (usize, usize, String);

/// A trace transaction: the edits one commit (or transaction) groups.
pub type Txn = Vec<Patch>;

/// A library call that failed: the library's own message, kept as text because
/// every library has its own error type.
#[derive(Debug, Error)]
#[error("{lib}: {what} failed: {message}")]
pub struct LibError {
    pub lib: &'static str,
    pub what: &'static str,
    pub message: String,
}

impl LibError {
    pub fn new(lib: &'static str, what: &'static str, message: impl ToString) -> Self {
        LibError {
            lib,
            what,
            message: message.to_string(),
        }
    }
}

/// A text CRDT library as the benchmark drives it. Every document holds one text
/// (each adapter names it itself); replicas are numbered 1, 2, 3, … and each
/// adapter maps the number to its library's replica/peer/agent id.
pub trait Peer {
    /// The library's name in the report and on the command line.
    const NAME: &'static str;
    /// A document with a handle on its text.
    type Doc;
    /// What `export_since` takes: the document's version at some point.
    type Version;

    /// A fresh document holding an empty text, owned by `replica`.
    fn create(replica: u64) -> Self::Doc;
    /// Applies transactions as local edits: every patch a delete then an insert
    /// (calls for zero-length parts skipped), one commit per transaction where
    /// the library has commits.
    fn apply(doc: &mut Self::Doc, txns: &[Txn]) -> Result<(), LibError>;
    /// The text's current content.
    fn text(doc: &mut Self::Doc) -> Result<String, LibError>;
    /// The whole document with its full history, as the library saves it.
    fn encode(doc: &mut Self::Doc) -> Result<Vec<u8>, LibError>;
    /// A fresh document for `replica` loaded from `encode`'s bytes.
    fn load(bytes: &[u8], replica: u64) -> Result<Self::Doc, LibError>;
    /// One local insert, as the first keystroke into a loaded document: left
    /// uncommitted where the library has explicit commits (Weft, Loro,
    /// Automerge); yrs commits when its transaction ends.
    fn insert(doc: &mut Self::Doc, pos: usize, s: &str) -> Result<(), LibError>;
    /// The document's current version.
    fn version(doc: &mut Self::Doc) -> Self::Version;
    /// The changes made since `since`, as the library sends them to a peer.
    fn export_since(doc: &mut Self::Doc, since: &Self::Version) -> Result<Vec<u8>, LibError>;
    /// Merges a peer's `export_since` bytes into the document.
    fn import(doc: &mut Self::Doc, bytes: &[u8]) -> Result<(), LibError>;
}
