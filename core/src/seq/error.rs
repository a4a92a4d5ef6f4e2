//! What can go wrong when editing or merging a sequence.

use crate::OpId;

/// An error from a [`Seq`](super::Seq) operation. The sequence is left unchanged
/// whenever one of these is returned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SeqError {
    /// A visible index beyond the end of the sequence.
    #[error(
        "index {index} is out of range: the sequence has {len} visible elements (valid: 0..={len})"
    )]
    IndexOutOfRange {
        /// The index asked for.
        index: usize,
        /// The sequence's visible length at the time.
        len: usize,
    },
    /// A range that does not fit inside the visible sequence.
    #[error("range {start}..{end} is out of range: the sequence has {len} visible elements")]
    RangeOutOfRange {
        /// First index of the range.
        start: usize,
        /// One past the last index of the range.
        end: usize,
        /// The sequence's visible length at the time.
        len: usize,
    },
    /// A UTF-16 offset beyond the end of the text.
    #[error("UTF-16 offset {index} is out of range: the text has {len} UTF-16 code units")]
    Utf16OutOfRange {
        /// The offset asked for.
        index: usize,
        /// The text's length in UTF-16 code units.
        len: usize,
    },
    /// A remote op names an origin this replica has not seen.
    #[error("origin {0} is unknown here: apply the op that inserted it first (ops must arrive in causal order)")]
    UnknownOrigin(OpId),
    /// An id that this sequence has never seen.
    #[error("op id {0} is unknown here: apply the insert that created it first")]
    UnknownId(OpId),
    /// An insert with no content.
    #[error("nothing to insert: the content is empty")]
    EmptyContent,
    /// A local insert reused a counter this replica has already used.
    #[error("op id {id} is not fresh: replica's counters already reach {used_up_to}; local ops need a counter above every one this replica has used")]
    IdNotFresh {
        /// The id that was offered.
        id: OpId,
        /// One past the highest counter already used by the replica.
        used_up_to: u64,
    },
    /// A remote insert whose ids are partly known in a way causal delivery cannot
    /// produce (a later element known while an earlier one is not).
    #[error("insert op starting at {0} contradicts what this replica has seen: some of its ids are already used by other elements")]
    InconsistentOp(OpId),
    /// A remote insert whose left origin does not come before its right origin.
    /// No replica can make such an op (a new element always goes between its
    /// origins, which are neighbours when it is made), and no place satisfies both.
    #[error("insert op starting at {id} cannot be placed: its left origin {left} does not come before its right origin {right}; the op is corrupt or forged")]
    OriginsOutOfOrder {
        /// First id of the op.
        id: OpId,
        /// Its left origin (for a run delivered in pieces, the element before the piece).
        left: OpId,
        /// Its right origin.
        right: OpId,
    },
    /// Counters of a run would not fit in 64 bits.
    #[error("counter overflow: a run of {len} ids starting at {id} does not fit in 64 bits")]
    CounterOverflow {
        /// First id of the run.
        id: OpId,
        /// Length of the run.
        len: usize,
    },
    /// The sequence would hold more elements (tombstones included) than it can
    /// address.
    #[error("sequence too large: at most {max} elements (tombstones included) are supported")]
    TooLarge {
        /// The limit.
        max: usize,
    },
    /// A span given to [`Seq::from_spans`](super::Seq::from_spans) is malformed.
    #[error("invalid span starting at {id}: {reason}")]
    InvalidSpan {
        /// First id of the offending span.
        id: OpId,
        /// What is wrong with it.
        reason: &'static str,
    },
}
