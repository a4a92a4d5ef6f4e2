//! A PN-counter. Totals are kept per replica and summed in replica order, so that
//! float rounding is the same on every replica whatever order changes arrived in.

use std::collections::BTreeMap;

use crate::{Number, ReplicaId};

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Totals {
    pub(crate) int: i64,
    pub(crate) float: f64,
    pub(crate) has_float: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct CounterState {
    pub(crate) per_replica: BTreeMap<ReplicaId, Totals>,
}

impl CounterState {
    pub(crate) fn add(&mut self, replica: ReplicaId, delta: Number) {
        let t = self.per_replica.entry(replica).or_default();
        match delta {
            Number::Int(i) => t.int = t.int.wrapping_add(i),
            Number::Float(f) => {
                t.float += f;
                t.has_float = true;
            }
        }
    }

    /// The total: an integer while only integers were added.
    pub(crate) fn value(&self) -> Number {
        let mut int = 0i64;
        let mut float = 0f64;
        let mut has_float = false;
        for t in self.per_replica.values() {
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
