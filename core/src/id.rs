//! Identities of replicas and operations.

use std::fmt::{self, Write as _};
use std::sync::Arc;

/// A replica's identity: random 64 bits, chosen once per local replica and persisted
/// with it, so that reloads reuse it and version vectors stay small.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ReplicaId(pub u64);

impl fmt::Debug for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl fmt::Display for ReplicaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// A name in double quotes for messages, as `{:?}` would print it for printable
/// text, with quotes, backslashes and control characters escaped. Written by hand:
/// `str`'s `Debug` brings Unicode tables into the WebAssembly module.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\0' => f.write_str("\\0")?,
                c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
                c => f.write_char(c)?,
            }
        }
        f.write_str("\"")
    }
}

/// The identity of one operation: the replica that made it and that replica's
/// counter, which strictly increases with every op the replica makes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct OpId {
    /// The replica that made the op.
    pub replica: ReplicaId,
    /// The replica's counter for this op.
    pub counter: u64,
}

/// `counter@replica`, as messages name elements.
impl fmt::Display for OpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.counter, self.replica)
    }
}

impl OpId {
    /// An op id from its parts.
    pub const fn new(replica: ReplicaId, counter: u64) -> Self {
        Self { replica, counter }
    }
}

/// What a container holds and how it merges.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ContainerKind {
    /// A map of named fields, each last-writer-wins.
    Map,
    /// A sequence of values (Fugue).
    List,
    /// A sequence of characters (Fugue).
    Text,
    /// A PN-counter.
    Counter,
    /// An add-wins observed-remove set of scalar values.
    Set,
}

impl ContainerKind {
    /// The kind's name as messages spell it.
    pub const fn name(self) -> &'static str {
        match self {
            ContainerKind::Map => "Map",
            ContainerKind::List => "List",
            ContainerKind::Text => "Text",
            ContainerKind::Counter => "Counter",
            ContainerKind::Set => "Set",
        }
    }

    pub(crate) const fn tag(self) -> u8 {
        match self {
            ContainerKind::Map => 0,
            ContainerKind::List => 1,
            ContainerKind::Text => 2,
            ContainerKind::Counter => 3,
            ContainerKind::Set => 4,
        }
    }

    pub(crate) const fn from_tag(tag: u8) -> Option<Self> {
        Some(match tag {
            0 => ContainerKind::Map,
            1 => ContainerKind::List,
            2 => ContainerKind::Text,
            3 => ContainerKind::Counter,
            4 => ContainerKind::Set,
            _ => return None,
        })
    }
}

impl fmt::Display for ContainerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The identity of a container, stable across replicas.
///
/// Containers in root fields are named by field and kind, so two replicas that
/// both call `doc.text("notes")` offline edit one text, not two. Containers nested
/// in maps and lists are named by the op that created them (as Automerge does).
#[derive(Clone, Eq, PartialOrd, Ord, Debug)]
pub enum ContainerId {
    /// The document's root map.
    Root,
    /// A container held by a root field.
    Named {
        /// The root field's name.
        name: Arc<str>,
        /// The container's kind.
        kind: ContainerKind,
    },
    /// A container created inside a map or list by the op `id`.
    Created {
        /// The op that created it.
        id: OpId,
        /// The container's kind.
        kind: ContainerKind,
    },
}

/// Field-wise, like a derived `PartialEq`, but a name shared by both ids is not
/// compared byte by byte: ids are looked up and compared on every keystroke,
/// and they are usually clones of one another.
impl PartialEq for ContainerId {
    #[cfg_attr(weft_wasm_speed, inline)]
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ContainerId::Root, ContainerId::Root) => true,
            (
                ContainerId::Named { name, kind },
                ContainerId::Named {
                    name: name2,
                    kind: kind2,
                },
            ) => kind == kind2 && (Arc::ptr_eq(name, name2) || name == name2),
            (
                ContainerId::Created { id, kind },
                ContainerId::Created {
                    id: id2,
                    kind: kind2,
                },
            ) => id == id2 && kind == kind2,
            _ => false,
        }
    }
}

/// Hashes what `eq` compares (written out because `eq` is).
impl std::hash::Hash for ContainerId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            ContainerId::Root => {}
            ContainerId::Named { name, kind } => {
                name.hash(state);
                kind.hash(state);
            }
            ContainerId::Created { id, kind } => {
                id.hash(state);
                kind.hash(state);
            }
        }
    }
}

impl ContainerId {
    /// The container's kind.
    pub fn kind(&self) -> ContainerKind {
        match self {
            ContainerId::Root => ContainerKind::Map,
            ContainerId::Named { kind, .. } | ContainerId::Created { kind, .. } => *kind,
        }
    }
}

impl fmt::Display for ContainerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContainerId::Root => f.write_str("root"),
            ContainerId::Named { name, kind } => write!(f, "{kind} {}", Quoted(name)),
            ContainerId::Created { id, kind } => {
                write!(f, "{kind} {}@{}", id.counter, id.replica)
            }
        }
    }
}

macro_rules! typed_handle {
    ($(#[$doc:meta])* $name:ident, $kind:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub struct $name(pub(crate) ContainerId);

        impl $name {
            /// The container's id.
            pub fn id(&self) -> &ContainerId {
                &self.0
            }

            /// A handle from an id, if the id names a container of this kind.
            pub fn from_id(id: ContainerId) -> Option<Self> {
                (id.kind() == ContainerKind::$kind).then_some(Self(id))
            }
        }

        impl From<$name> for ContainerId {
            fn from(h: $name) -> ContainerId {
                h.0
            }
        }
    };
}

typed_handle!(
    /// A handle on a [`ContainerKind::Map`] container (the root map included).
    MapId,
    Map
);
typed_handle!(
    /// A handle on a [`ContainerKind::List`] container.
    ListId,
    List
);
typed_handle!(
    /// A handle on a [`ContainerKind::Text`] container.
    TextId,
    Text
);
typed_handle!(
    /// A handle on a [`ContainerKind::Counter`] container.
    CounterId,
    Counter
);
typed_handle!(
    /// A handle on a [`ContainerKind::Set`] container.
    SetId,
    Set
);

impl MapId {
    /// The document's root map.
    pub const ROOT: MapId = MapId(ContainerId::Root);
}

#[cfg(test)]
mod tests {
    use super::{OpId, Quoted, ReplicaId};

    #[test]
    fn messages_quote_names_like_debug_and_name_ops_by_counter_at_replica() {
        for name in [
            "plain",
            "with \"quotes\" and \\",
            "tab\tnew\nline",
            "émoji 🎉",
            "nul\0",
        ] {
            assert_eq!(Quoted(name).to_string(), format!("{name:?}"));
        }
        assert_eq!(
            OpId::new(ReplicaId(0xab), 7).to_string(),
            "7@00000000000000ab"
        );
    }
}
