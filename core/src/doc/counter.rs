//! A PN-counter. Totals are kept per replica and summed in replica order, so that
//! float rounding is the same on every replica whatever order changes arrived in.

use crate::clock::ByReplica;
use crate::{Number, ReplicaId};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Totals {
    pub(crate) int: i64,
    pub(crate) float: f64,
    pub(crate) has_float: bool,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct CounterState {
    /// Per replica, where its totals are in `totals`. The same map type as a
    /// version vector's: each map type costs WebAssembly code of its own.
    index: ByReplica,
    totals: Vec<Totals>,
}

/// Equal when the same replicas hold the same totals, whatever order they came in.
impl PartialEq for CounterState {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl CounterState {
    /// The totals of `replica`, zero ones added first if it has none.
    fn totals_mut(&mut self, replica: ReplicaId) -> &mut Totals {
        let i = match self.index.get(&replica) {
            Some(&i) => i as usize,
            None => {
                let i = self.totals.len();
                self.index.insert(replica, i as u64);
                self.totals.push(Totals::default());
                i
            }
        };
        &mut self.totals[i]
    }

    pub(crate) fn add(&mut self, replica: ReplicaId, delta: Number) {
        let t = self.totals_mut(replica);
        match delta {
            Number::Int(i) => t.int = t.int.wrapping_add(i),
            Number::Float(f) => {
                t.float += f;
                t.has_float = true;
            }
        }
    }

    /// Sets the totals of `replica` (a decoded state).
    pub(crate) fn set(&mut self, replica: ReplicaId, totals: Totals) {
        *self.totals_mut(replica) = totals;
    }

    /// Totals per replica, in replica order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&ReplicaId, &Totals)> {
        self.index
            .iter()
            .map(|(r, &i)| (r, &self.totals[i as usize]))
    }

    pub(crate) fn len(&self) -> usize {
        self.totals.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// The total: an integer while only integers were added.
    pub(crate) fn value(&self) -> Number {
        let mut int = 0i64;
        let mut float = 0f64;
        let mut has_float = false;
        for (_, t) in self.iter() {
            int = int.wrapping_add(t.int);
            float += t.float;
            has_float |= t.has_float;
        }
        if has_float {
            Number::Float(int as f64 + float)
        } else {
            Number::Int(int)
        }
    }
}
