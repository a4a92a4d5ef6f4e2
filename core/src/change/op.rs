//! The ops a change carries. Every op names its target container by id.

use std::sync::Arc;

use crate::{ContainerId, ContainerKind, Number, OpId, Value};

/// What a map field or list element is set to: a scalar, or a new empty container
/// whose id is the op's own id.
#[derive(Clone, Debug, PartialEq)]
pub enum NewValue {
    /// A JSON-like scalar.
    Value(Value),
    /// A new, empty container of this kind.
    Container(ContainerKind),
}

/// What a sequence insert adds.
#[derive(Clone, Debug, PartialEq)]
pub enum SeqContent {
    /// Characters of a text.
    Text(String),
    /// Elements of a list.
    Values(Vec<NewValue>),
}

impl SeqContent {
    /// Number of elements (characters for text).
    pub fn len(&self) -> u64 {
        match self {
            SeqContent::Text(s) => s.chars().count() as u64,
            SeqContent::Values(v) => v.len() as u64,
        }
    }

    /// Whether nothing is inserted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Splits off the elements from `at` on.
    fn split_off(&self, at: u64) -> SeqContent {
        match self {
            SeqContent::Text(s) => {
                let byte = crate::seq::char_end(s, at as usize).unwrap_or(s.len());
                SeqContent::Text(s[byte..].to_owned())
            }
            SeqContent::Values(v) => SeqContent::Values(v[(at as usize).min(v.len())..].to_vec()),
        }
    }
}

/// One side of a character, or an end of the text: where a mark starts or ends
/// (Peritext's anchors). A character inserted later lands in some gap between two
/// existing characters; whether a mark covers it follows from which side of its
/// neighbours the mark's anchors sit, on every replica alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// Before every character.
    Start,
    /// Just before this character (deleted or not).
    Before(OpId),
    /// Just after this character (deleted or not).
    After(OpId),
    /// After every character.
    End,
}

impl Anchor {
    /// The character the anchor refers to, if any.
    pub fn id(&self) -> Option<OpId> {
        match self {
            Anchor::Before(id) | Anchor::After(id) => Some(*id),
            Anchor::Start | Anchor::End => None,
        }
    }
}

/// Formatting of the characters between two anchors: sets mark `name` to `value`,
/// or removes it. Concurrent marks of one name on one character resolve by the
/// ops' stamps (last writer wins); `comment` marks are keyed by name and value, so
/// many overlap and removing one (`remove` with its value) leaves the others.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkOp {
    /// The text.
    pub obj: ContainerId,
    /// Where the formatted range starts.
    pub start: Anchor,
    /// Where it ends.
    pub end: Anchor,
    /// The mark (`bold`, `link`, an application's own...).
    pub name: Arc<str>,
    /// The mark's value (`true` for boolean marks); for a removal, `Null`, or the
    /// value removed for marks keyed by value (`comment`).
    pub value: Value,
    /// Whether the op removes the mark rather than sets it.
    pub remove: bool,
}

/// One operation on one container.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Writes a map field (last writer wins by the change's HLC, then replica).
    MapSet {
        /// The map.
        obj: ContainerId,
        /// The field.
        key: Arc<str>,
        /// The new value.
        value: NewValue,
    },
    /// Deletes a map field: a write of "absent", ordered like any other write.
    MapDelete {
        /// The map.
        obj: ContainerId,
        /// The field.
        key: Arc<str>,
    },
    /// Adds to a counter.
    CounterAdd {
        /// The counter.
        obj: ContainerId,
        /// The amount (negative to subtract).
        delta: Number,
    },
    /// Adds a member to a set, tagged with this op's id.
    SetAdd {
        /// The set.
        obj: ContainerId,
        /// The member.
        member: Value,
    },
    /// Removes the add-tags of a member that the remover had observed; adds it did
    /// not observe survive (add wins).
    SetRemove {
        /// The set.
        obj: ContainerId,
        /// The member.
        member: Value,
        /// The ids of the adds removed.
        tags: Vec<OpId>,
    },
    /// Inserts a run of elements: element `k` gets id `(replica, counter + k)`.
    SeqInsert {
        /// The text or list.
        obj: ContainerId,
        /// The element the run was inserted after (`None`: the start).
        left: Option<OpId>,
        /// The element the run was inserted before (`None`: the end).
        right: Option<OpId>,
        /// The elements.
        content: SeqContent,
    },
    /// Deletes a run of elements with contiguous ids `target..target + len`.
    SeqDelete {
        /// The text or list.
        obj: ContainerId,
        /// The lowest id deleted.
        target: OpId,
        /// How many elements.
        len: u64,
        /// Whether the run was deleted backwards (backspacing): the op's `k`-th
        /// counter deleted `target + len - 1 - k` rather than `target + k`. Only
        /// matters when a peer needs a tail of the op.
        reversed: bool,
    },
    /// Formats (or unformats) a range of a text; boxed, as it is larger than the
    /// ops plain editing makes.
    Mark(Box<MarkOp>),
}

impl Op {
    /// The container the op acts on.
    pub fn obj(&self) -> &ContainerId {
        match self {
            Op::MapSet { obj, .. }
            | Op::MapDelete { obj, .. }
            | Op::CounterAdd { obj, .. }
            | Op::SetAdd { obj, .. }
            | Op::SetRemove { obj, .. }
            | Op::SeqInsert { obj, .. }
            | Op::SeqDelete { obj, .. } => obj,
            Op::Mark(m) => &m.obj,
        }
    }

    /// How many counters the op takes: one per inserted or deleted element, one
    /// for every other op.
    pub fn len(&self) -> u64 {
        match self {
            Op::SeqInsert { content, .. } => content.len().max(1),
            Op::SeqDelete { len, .. } => (*len).max(1),
            _ => 1,
        }
    }

    /// Never true: every op takes at least one counter.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The op's part from its `at`-th counter on (only runs have more than one).
    pub(crate) fn split_off(&self, at: u64) -> Op {
        match self {
            Op::SeqInsert {
                obj,
                left: _,
                right,
                content,
            } => Op::SeqInsert {
                obj: obj.clone(),
                // Element k of a run was inserted right after element k - 1; the
                // split-off part's left origin is that element, whose id the
                // caller derives from the run's start.
                left: None,
                right: *right,
                content: content.split_off(at),
            },
            Op::SeqDelete {
                obj,
                target,
                len,
                reversed,
            } => Op::SeqDelete {
                obj: obj.clone(),
                // Backwards, the first counters took the highest ids.
                target: if *reversed {
                    *target
                } else {
                    OpId::new(target.replica, target.counter + at)
                },
                len: len - at,
                reversed: *reversed,
            },
            other => other.clone(),
        }
    }

    /// Whether the op's effect depends on its stamp (map writes and marks resolve
    /// by last writer wins): a change holding one must keep the stamp it was
    /// made with, so it is never merged into, or reopened as part of, another.
    pub(crate) fn is_lww(&self) -> bool {
        matches!(self, Op::MapSet { .. } | Op::MapDelete { .. } | Op::Mark(_))
    }

    /// The container kind this op requires of its target.
    pub(crate) fn target_kind(&self) -> Option<ContainerKind> {
        match self {
            Op::MapSet { .. } | Op::MapDelete { .. } => Some(ContainerKind::Map),
            Op::CounterAdd { .. } => Some(ContainerKind::Counter),
            Op::SetAdd { .. } | Op::SetRemove { .. } => Some(ContainerKind::Set),
            Op::SeqInsert { content, .. } => Some(match content {
                SeqContent::Text(_) => ContainerKind::Text,
                SeqContent::Values(_) => ContainerKind::List,
            }),
            Op::SeqDelete { .. } => None,
            Op::Mark(_) => Some(ContainerKind::Text),
        }
    }
}

impl Op {
    /// Appends `next` to `self` when the two form one run: typing and deleting
    /// (forwards or backwards) produce long runs, and storing them as one op keeps
    /// memory and encodings small. The caller guarantees that `next`'s first
    /// counter directly follows `self`'s last (same replica, next counter), and
    /// gives `next_id`, that first id.
    pub(crate) fn try_append(&mut self, next: &Op, next_id: OpId) -> bool {
        match (self, next) {
            (
                Op::SeqInsert {
                    obj,
                    right,
                    content: SeqContent::Text(text),
                    ..
                },
                Op::SeqInsert {
                    obj: obj2,
                    left: left2,
                    right: right2,
                    content: SeqContent::Text(text2),
                },
            ) if obj == obj2
                && right == right2
                && *left2 == Some(OpId::new(next_id.replica, next_id.counter - 1))
                && !text.is_empty() =>
            {
                text.push_str(text2);
                true
            }
            (
                this @ Op::SeqDelete { .. },
                Op::SeqDelete {
                    obj: obj2,
                    target: t2,
                    len: l2,
                    reversed: r2,
                },
            ) => this.try_extend_delete(obj2, *t2, *l2, *r2),
            _ => false,
        }
    }

    /// Extends a delete run by the deletion of `t2 .. t2 + l2` (backwards when
    /// `r2`) when it continues it forwards or backwards. Local deletes call this
    /// directly, so that recording one costs no op of its own (inlined natively: that
    /// is once per backspace).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(weft_wasm_speed, inline)]
    pub(crate) fn try_extend_delete(
        &mut self,
        obj2: &ContainerId,
        t2: OpId,
        l2: u64,
        r2: bool,
    ) -> bool {
        let Op::SeqDelete {
            obj,
            target,
            len,
            reversed,
        } = self
        else {
            return false;
        };
        if target.replica != t2.replica || obj != obj2 {
            return false;
        }
        let forwards_ok = !*reversed || *len == 1;
        let next_forwards = !r2 || l2 == 1;
        let next_backwards = r2 || l2 == 1;
        if forwards_ok && next_forwards && target.counter + *len == t2.counter {
            *len += l2;
            *reversed = false;
            true
        } else if (*reversed || *len == 1) && next_backwards && t2.counter + l2 == target.counter {
            *target = t2;
            *len += l2;
            *reversed = true;
            true
        } else {
            false
        }
    }
}
