//! Errors of document operations.

use thiserror::Error;

use crate::clock::ClockDriftError;
use crate::encoding::DecodeError;
use crate::id::Quoted;
use crate::{ContainerId, ContainerKind, OpId, ReplicaId};

/// A local edit was refused; the document is unchanged.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocError {
    /// The field holds something else than the container asked for.
    #[error(
        "field {} is a {found}, not a {expected}: use it as a {found}, \
         or delete the field before creating a {expected} there",
        Quoted(key)
    )]
    TypeMismatch {
        /// The field.
        key: String,
        /// The kind asked for.
        expected: ContainerKind,
        /// What the field holds ("Counter", "value", ...).
        found: &'static str,
    },
    /// An index past the end of a text or list.
    #[error(
        "index {index} is out of range for a {kind} of length {len}: use an index in 0..={len}"
    )]
    IndexOutOfRange {
        /// The index given.
        index: usize,
        /// The length at the time.
        len: usize,
        /// Text or List.
        kind: ContainerKind,
    },
    /// The sequence engine refused an edit.
    #[error("sequence edit refused: {0}")]
    Sequence(String),
    /// A handle names a container this document does not have.
    #[error("{0} does not exist in this document: get handles from this document, or sync first")]
    UnknownContainer(ContainerId),
    /// A mark was asked for with a value or range it cannot take.
    #[error("mark {} refused: {reason}", Quoted(name))]
    InvalidMark {
        /// The mark's name.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A cursor is anchored to an element this replica has not received yet.
    #[error(
        "the cursor is anchored to element {}@{} of {container}, which this replica has not \
         received yet: sync first, then resolve the cursor again", anchor.counter, anchor.replica
    )]
    UnknownAnchor {
        /// The text or list.
        container: ContainerId,
        /// The element.
        anchor: OpId,
    },
    /// A cursor names a container that is not a text or list.
    #[error("{0} is not a text or list: cursors point into texts and lists only")]
    NotASequence(ContainerId),
}

/// Remote changes could not be applied.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CausalityError {
    /// A change's op targets a container that its causal past never created, or one
    /// of another kind.
    #[error(
        "change {counter}@{replica} targets {target}, which its dependencies do not create: \
         the change is corrupt; re-sync from a trusted peer"
    )]
    BadTarget {
        /// The change's replica.
        replica: ReplicaId,
        /// The op's counter.
        counter: u64,
        /// The container it targets.
        target: ContainerId,
    },
    /// A sequence op refers to an element the target does not hold.
    #[error(
        "op {}@{} refers to element {}@{} that {target} does not hold: \
         the change is corrupt; re-sync from a trusted peer", op.counter, op.replica, element.counter, element.replica
    )]
    UnknownElement {
        /// The op.
        op: OpId,
        /// The element it refers to.
        element: OpId,
        /// The container.
        target: ContainerId,
    },
    /// A sequence insert whose left origin does not come before its right origin:
    /// no replica makes such an op, and no place in the sequence fits it.
    #[error(
        "op {}@{} inserts into {target} between {}@{} and {}@{}, but the first does not \
         come before the second: the change is corrupt or forged; re-sync from a trusted peer",
        op.counter, op.replica, left.counter, left.replica, right.counter, right.replica
    )]
    OriginsOutOfOrder {
        /// The op.
        op: OpId,
        /// Its left origin.
        left: OpId,
        /// Its right origin.
        right: OpId,
        /// The container.
        target: ContainerId,
    },
    /// An insert of nothing or a delete of nothing, which no replica makes.
    #[error(
        "op {}@{} inserts or deletes nothing in {target}: the change is corrupt; re-sync from a trusted peer",
        op.counter, op.replica
    )]
    EmptyOp {
        /// The op.
        op: OpId,
        /// The text or list it targets.
        target: ContainerId,
    },
    /// A change's counters are out of the valid range.
    #[error("change from replica {replica} starts at counter {start}: counters start at 1; the change is corrupt")]
    BadCounter {
        /// The replica.
        replica: ReplicaId,
        /// The claimed start.
        start: u64,
    },
}

/// Why bytes or changes could not be merged into a document.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportError {
    /// The bytes are not valid Weft data; nothing was applied.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A change is stamped too far in the future; nothing was applied.
    #[error(transparent)]
    ClockDrift(#[from] ClockDriftError),
    /// A state-only snapshot was imported into a document that already has content.
    #[error(
        "a state-only snapshot loads only into an empty document: import it into a new Doc, \
         or export a snapshot with history (Doc::export_snapshot) to merge"
    )]
    StateIntoNonEmpty,
    /// A change is inconsistent with its own dependencies.
    #[error(transparent)]
    Causality(#[from] CausalityError),
}

impl ImportError {
    /// A stable code for this kind of failure, for callers that branch on it
    /// (the bindings expose it as `error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Decode(_) => "WEFT_DECODE",
            ImportError::ClockDrift(_) => "WEFT_CLOCK_DRIFT",
            ImportError::Causality(_) => "WEFT_CAUSALITY",
            ImportError::StateIntoNonEmpty => "WEFT_IMPORT",
        }
    }
}

impl DocError {
    /// A stable code for this kind of failure (see [`ImportError::code`]).
    pub fn code(&self) -> &'static str {
        match self {
            DocError::TypeMismatch { .. } => "WEFT_TYPE_MISMATCH",
            DocError::IndexOutOfRange { .. } => "WEFT_INDEX",
            DocError::Sequence(_) => "WEFT_SEQUENCE",
            DocError::UnknownContainer(_) => "WEFT_UNKNOWN_CONTAINER",
            DocError::InvalidMark { .. } => "WEFT_MARK",
            DocError::UnknownAnchor { .. } => "WEFT_UNKNOWN_ANCHOR",
            DocError::NotASequence(_) => "WEFT_NOT_A_SEQUENCE",
        }
    }
}
