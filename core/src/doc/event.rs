//! What changed, as precise diffs, so callers never re-read a whole document.

use std::sync::Arc;

use super::FieldValue;
use crate::{ContainerId, Number, Value, VecMap};

/// A change to one container, caused by one local or remote op.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The container that changed.
    pub container: ContainerId,
    /// How it changed.
    pub diff: Diff,
}

/// How a container changed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Diff {
    /// A map field changed: its new value, `None` if it was deleted.
    Map {
        /// The field.
        key: Arc<str>,
        /// The field's new value.
        value: Option<FieldValue>,
    },
    /// A text changed: apply the deltas from index 0, in characters.
    Text(Vec<TextDelta>),
    /// A list changed: apply the deltas from index 0.
    List(Vec<ListDelta>),
    /// A counter's new total.
    Counter(Number),
    /// A set member appeared (`true`) or disappeared (`false`).
    Set {
        /// The member.
        member: Value,
        /// Whether it is now present.
        present: bool,
    },
}

/// Formatting of a run of text: mark name to value. `comment` holds the sorted
/// array of the comment ids on the run. In a [`TextDelta::Format`], `Null` means
/// the mark was removed (Quill's convention).
pub type Attributes = VecMap<Arc<str>, Value>;

/// One step of a text delta (Quill-style).
#[derive(Clone, Debug, PartialEq)]
pub enum TextDelta {
    /// Skip this many characters.
    Retain(usize),
    /// Insert this text here, unformatted.
    Insert(String),
    /// Delete this many characters here.
    Delete(usize),
    /// Skip this many characters, changing their formatting: the marks named are
    /// set to the values given, or removed where the value is `Null` (Quill's
    /// `{retain, attributes}`).
    Format(usize, Attributes),
    /// Insert this text here, carrying these marks (Quill's `{insert, attributes}`).
    InsertFormatted(String, Attributes),
}

/// One step of a list delta.
#[derive(Clone, Debug, PartialEq)]
pub enum ListDelta {
    /// Skip this many elements.
    Retain(usize),
    /// Insert these elements here.
    Insert(Vec<FieldValue>),
    /// Delete this many elements here.
    Delete(usize),
}
