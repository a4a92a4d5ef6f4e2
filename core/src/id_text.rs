//! Container ids and kinds as strings, for bindings and protocols that carry them
//! as text (JavaScript's `ContainerRef.container`, event targets).
//!
//! Forms: `root`; `<kind>:<field>` for a container in a root field (the field name
//! comes last, so it may hold any character); `<kind>#<counter>@<replica hex>` for
//! one created inside a map or list. Kinds are spelled as [`ContainerKind::as_str`].

use std::fmt::Write;
use std::sync::Arc;

use crate::{ContainerId, ContainerKind, OpId, ReplicaId};

impl ContainerKind {
    /// The kind as JavaScript spells it: `map`, `list`, `text`, `counter`, `set`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ContainerKind::Map => "map",
            ContainerKind::List => "list",
            ContainerKind::Text => "text",
            ContainerKind::Counter => "counter",
            ContainerKind::Set => "set",
        }
    }

    /// The kind spelled as [`ContainerKind::as_str`] does, if `s` names one.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "map" => ContainerKind::Map,
            "list" => ContainerKind::List,
            "text" => ContainerKind::Text,
            "counter" => ContainerKind::Counter,
            "set" => ContainerKind::Set,
            _ => return None,
        })
    }
}

impl ContainerId {
    /// The id as a string that [`ContainerId::parse`] reads back.
    pub fn to_id_string(&self) -> String {
        let mut out = String::new();
        match self {
            ContainerId::Root => out.push_str("root"),
            ContainerId::Named { name, kind } => {
                out.push_str(kind.as_str());
                out.push(':');
                out.push_str(name);
            }
            ContainerId::Created { id, kind } => {
                let _ = write!(
                    out,
                    "{}#{}@{:016x}",
                    kind.as_str(),
                    id.counter,
                    id.replica.0
                );
            }
        }
        out
    }

    /// Reads what [`ContainerId::to_id_string`] wrote; `None` if `s` is not an id.
    pub fn parse(s: &str) -> Option<ContainerId> {
        if s == "root" {
            return Some(ContainerId::Root);
        }
        // The kind is a short word: the first separator after it decides the form.
        let sep = s.find([':', '#'])?;
        let kind = ContainerKind::parse(&s[..sep])?;
        let rest = &s[sep + 1..];
        if s.as_bytes()[sep] == b':' {
            return Some(ContainerId::Named {
                name: Arc::from(rest),
                kind,
            });
        }
        let (counter, replica) = rest.split_once('@')?;
        if replica.len() != 16 {
            return None;
        }
        let counter = number(counter, 10)?;
        let replica = number(replica, 16)?;
        if counter == 0 {
            return None;
        }
        Some(ContainerId::Created {
            id: OpId::new(ReplicaId(replica), counter),
            kind,
        })
    }
}

/// `t` as a number in `radix` (10 or 16, either case of hex digit): digits only,
/// at least one, `None` past `u64::MAX`. Rust's integer parsers would also take a
/// leading `+`; and this loop is a quarter of `u64::from_str_radix`'s code in the
/// WebAssembly module, its only caller there (docs/benchmarks.md, `size14`).
fn number(t: &str, radix: u64) -> Option<u64> {
    if t.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for b in t.bytes() {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        } as u64;
        if d >= radix {
            return None;
        }
        n = n.checked_mul(radix)?.checked_add(d)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_strings() {
        let ids = [
            ContainerId::Root,
            ContainerId::Named {
                name: Arc::from("notes: a#b@c"),
                kind: ContainerKind::Text,
            },
            ContainerId::Named {
                name: Arc::from(""),
                kind: ContainerKind::Set,
            },
            ContainerId::Created {
                id: OpId::new(ReplicaId(u64::MAX), 42),
                kind: ContainerKind::Map,
            },
        ];
        for id in ids {
            let s = id.to_id_string();
            assert_eq!(ContainerId::parse(&s), Some(id), "{s}");
        }
        assert_eq!(
            ContainerId::Created {
                id: OpId::new(ReplicaId(255), 7),
                kind: ContainerKind::List
            }
            .to_id_string(),
            "list#7@00000000000000ff"
        );
        assert_eq!(
            ContainerId::parse("set#18446744073709551615@FFFFFFFFFFFFFFFE"),
            Some(ContainerId::Created {
                id: OpId::new(ReplicaId(u64::MAX - 1), u64::MAX),
                kind: ContainerKind::Set
            })
        );
        assert_eq!(
            ContainerId::parse("text#0012@00000000000000aB"),
            Some(ContainerId::Created {
                id: OpId::new(ReplicaId(0xab), 12),
                kind: ContainerKind::Text
            })
        );
    }

    #[test]
    fn malformed_ids_are_refused() {
        for s in [
            "",
            "Root",
            "text",
            "blob:x",
            "map#0@00000000000000ff",
            "map#1@ff",
            "map#+1@00000000000000ff",
            "map#1@0000000000000g0f",
            "map#1@+00000000000000f",
            "map#@00000000000000ff",
            "map#1",
            "map#99999999999999999999999@00000000000000ff",
            "map#18446744073709551616@00000000000000ff",
            "map#1a@00000000000000ff",
            "map#1 @00000000000000ff",
        ] {
            assert_eq!(ContainerId::parse(s), None, "{s:?}");
        }
    }
}
