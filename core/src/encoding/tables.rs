//! Replica ids, map keys and container ids are written once per payload and
//! referred to by index from the columns.

use std::sync::Arc;

use super::reader::Reader;
use super::writer::Writer;
use super::DecodeError;
use crate::hash::FxHashMap;
use crate::{ContainerId, ContainerKind, OpId, ReplicaId};

/// A key as an entry of `TableWriter::key_idx`.
fn key_id(name: &Arc<str>) -> ContainerId {
    ContainerId::Named {
        name: name.clone(),
        kind: ContainerKind::Map,
    }
}

#[derive(Default)]
pub(crate) struct TableWriter {
    replicas: Vec<ReplicaId>,
    // The replica index of `seq::ids` again, and for containers the map type
    // of the container index of `doc::state` (Fx-hashed, u32 values), so the
    // WASM build compiles no map of its own for them (and no SipHash).
    replica_idx: crate::clock::ReplicaSlots,
    keys: Vec<Arc<str>>,
    /// Keyed by `key_id`: the container index's map type again, where a map
    /// keyed by the name alone was another hash map in the WASM module.
    key_idx: FxHashMap<ContainerId, u32>,
    containers: Vec<ContainerId>,
    container_idx: FxHashMap<ContainerId, u32>,
    /// The last replica and container looked up: consecutive ops nearly always
    /// name the same ones, and a hash lookup per op is most of what writing an
    /// op costs.
    last_replica: Option<(ReplicaId, u64)>,
    last_container: Option<u64>,
}

impl TableWriter {
    #[inline]
    pub(crate) fn replica(&mut self, r: ReplicaId) -> u64 {
        match self.last_replica {
            Some((last, i)) if last == r => i,
            _ => {
                let i = self.replica_slow(r);
                self.last_replica = Some((r, i));
                i
            }
        }
    }

    fn replica_slow(&mut self, r: ReplicaId) -> u64 {
        if let Some(i) = self.replica_idx.get(r) {
            return u64::from(i);
        }
        let i = self.replicas.len() as u32;
        self.replicas.push(r);
        self.replica_idx.insert(r, i);
        u64::from(i)
    }

    pub(crate) fn key(&mut self, k: &Arc<str>) -> u64 {
        let id = key_id(k);
        if let Some(i) = self.key_idx.get(&id) {
            return u64::from(*i);
        }
        let i = self.keys.len() as u32;
        self.keys.push(k.clone());
        self.key_idx.insert(id, i);
        u64::from(i)
    }

    #[inline]
    pub(crate) fn container(&mut self, c: &ContainerId) -> u64 {
        if let Some(i) = self.last_container {
            if self.containers.get(i as usize) == Some(c) {
                return i;
            }
        }
        let i = self.container_slow(c);
        self.last_container = Some(i);
        i
    }

    fn container_slow(&mut self, c: &ContainerId) -> u64 {
        if let Some(i) = self.container_idx.get(c) {
            return u64::from(*i);
        }
        match c {
            ContainerId::Named { name, .. } => {
                self.key(name);
            }
            ContainerId::Created { id, .. } => {
                self.replica(id.replica);
            }
            ContainerId::Root => {}
        }
        let i = self.containers.len() as u32;
        self.containers.push(c.clone());
        self.container_idx.insert(c.clone(), i);
        u64::from(i)
    }

    /// How many replicas the table holds.
    #[cfg(any(target_arch = "wasm32", test))]
    pub(crate) fn replica_count(&self) -> usize {
        self.replicas.len()
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.uvarint(self.replicas.len() as u64);
        for r in &self.replicas {
            w.u64_fixed(r.0);
        }
        w.uvarint(self.keys.len() as u64);
        for k in &self.keys {
            w.str(k);
        }
        w.uvarint(self.containers.len() as u64);
        for c in &self.containers {
            match c {
                ContainerId::Root => w.u8(0),
                ContainerId::Named { name, kind } => {
                    w.u8(1 + kind.tag());
                    w.uvarint(u64::from(self.key_idx[&key_id(name)]));
                }
                ContainerId::Created { id, kind } => {
                    w.u8(8 + kind.tag());
                    // `container_slow` gave its replica a slot first.
                    let r = self.replica_idx.get(id.replica);
                    w.uvarint(u64::from(r.expect("a container's replica has a slot")));
                    w.uvarint(id.counter);
                }
            }
        }
    }
}

#[derive(Default, Debug)]
pub(crate) struct Tables {
    pub(crate) replicas: Vec<ReplicaId>,
    pub(crate) keys: Vec<Arc<str>>,
    pub(crate) containers: Vec<ContainerId>,
}

fn lookup<'t, T>(table: &'t [T], idx: u64, what: &'static str) -> Result<&'t T, DecodeError> {
    table
        .get(usize::try_from(idx).unwrap_or(usize::MAX))
        .ok_or(DecodeError::Corrupt { offset: 0, what })
}

impl Tables {
    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.count(8)?;
        let mut replicas = Vec::with_capacity(n);
        for _ in 0..n {
            replicas.push(ReplicaId(r.u64_fixed()?));
        }
        let n = r.count(1)?;
        let mut keys: Vec<Arc<str>> = Vec::with_capacity(n);
        for _ in 0..n {
            keys.push(Arc::from(r.str()?));
        }
        let n = r.count(1)?;
        let mut containers = Vec::with_capacity(n);
        for _ in 0..n {
            let offset = r.offset();
            let tag = r.u8()?;
            let bad = DecodeError::UnknownTag { tag, offset };
            let c = match tag {
                0 => ContainerId::Root,
                1..=7 => ContainerId::Named {
                    kind: ContainerKind::from_tag(tag - 1).ok_or(bad)?,
                    name: lookup(&keys, r.uvarint()?, "container name out of range")?.clone(),
                },
                8..=15 => {
                    let kind = ContainerKind::from_tag(tag - 8).ok_or(bad)?;
                    let replica = *lookup(&replicas, r.uvarint()?, "replica out of range")?;
                    ContainerId::Created {
                        id: OpId::new(replica, r.uvarint()?),
                        kind,
                    }
                }
                _ => return Err(bad),
            };
            containers.push(c);
        }
        Ok(Self {
            replicas,
            keys,
            containers,
        })
    }

    pub(crate) fn replica(&self, idx: u64) -> Result<ReplicaId, DecodeError> {
        lookup(&self.replicas, idx, "replica index out of range").copied()
    }

    /// An id written as a replica index and an absolute counter (state
    /// sections, state marks): one copy of the read for both.
    pub(crate) fn read_id(&self, r: &mut Reader<'_>) -> Result<OpId, DecodeError> {
        let replica = self.replica(r.uvarint()?)?;
        Ok(OpId::new(replica, r.uvarint()?))
    }

    pub(crate) fn key(&self, idx: u64) -> Result<&Arc<str>, DecodeError> {
        lookup(&self.keys, idx, "key index out of range")
    }

    pub(crate) fn container(&self, idx: u64) -> Result<&ContainerId, DecodeError> {
        lookup(&self.containers, idx, "container index out of range")
    }
}
