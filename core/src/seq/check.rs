//! The invariant checker behind `check_invariants` and the `slow-assertions` feature.

use super::{Content, Seq};

pub(super) fn check<C: Content>(seq: &Seq<C>) -> Result<(), String> {
    seq.tree.check()?;
    seq.ids.check()?;
    // Local inserts leave their lvs out of `leaf_of` until it is brought up
    // to date; with no stale leaf it holds every lv.
    let indexed = seq.tree.leaf_of.len();
    if indexed > seq.ids.len() || (seq.tree.stale.is_empty() && indexed != seq.ids.len()) {
        return Err("leaf_of and the id table disagree on the element count".into());
    }
    for (_, leaf) in seq.tree.leaves_in_order() {
        for s in leaf.spans() {
            if seq.utf16_len(s.lv, s.end()) != s.utf16 {
                return Err(format!("span at lv {} caches a wrong UTF-16 length", s.lv));
            }
        }
    }
    if let Some((leaf, start)) = seq.cursor {
        if seq.tree.leaf_start(leaf).0 != start {
            return Err(format!("cursor cache says leaf {leaf} starts at {start}"));
        }
    }
    Ok(())
}
