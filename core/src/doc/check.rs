//! Internal invariants, checked after every op with the `slow-assertions` feature.

use super::state::Container;
use super::Doc;

impl Doc {
    /// Checks the document's internal invariants (slow: linear in its size).
    /// With the `slow-assertions` feature this runs after every local op and every
    /// applied remote change, and a violation panics.
    pub fn check_invariants(&self) -> Result<(), String> {
        if self.next_counter != self.version.get(self.replica) + 1 {
            return Err(format!(
                "next counter {} but version has {} for this replica",
                self.next_counter,
                self.version.get(self.replica)
            ));
        }
        for f in &self.frontier {
            if !self.version.includes(*f) {
                return Err(format!("frontier op {f:?} is not in the version"));
            }
        }
        self.log.check(&self.version)?;
        for (id, c) in self.state.iter() {
            if id.kind() != c.kind() {
                return Err(format!("container {id} holds a {:?}", c.kind()));
            }
            match c {
                Container::Set(s)
                    if s.members
                        .values()
                        .any(|m| m.tags.is_empty() || !m.tags.is_sorted()) =>
                {
                    return Err(format!("set {id} has a member without sorted tags"));
                }
                Container::Text(t) => {
                    t.seq.check_invariants()?;
                    t.marks.check(&t.seq)?;
                }
                Container::List(l) => l.seq.check_invariants()?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Panics on a broken invariant when `slow-assertions` is on; free otherwise.
    #[inline]
    pub(super) fn debug_check(&self) {
        #[cfg(feature = "slow-assertions")]
        if let Err(e) = self.check_invariants() {
            panic!("document invariant broken: {e}");
        }
    }
}
