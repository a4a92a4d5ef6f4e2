//! Peritext marks of one text: the mark ops, kept apart from the characters (so
//! plain editing pays nothing for them) and resolved to character ranges when
//! read.
//!
//! Each op covers the characters between its two anchors. An anchor is a side of
//! a character (tombstones included), so it maps to one gap between visible
//! characters: `Before(c)` is the gap just left of `c` (or of the next visible
//! character when `c` is deleted), `After(c)` the gap just right of it. A
//! character inserted later lands between two existing ones and is covered
//! exactly when it lies between the anchors, which every replica agrees on.
//!
//! Per character and mark key (the name; name and value for `comment`), the op
//! with the highest stamp covering it wins, and says whether the mark is set and
//! to what. Stamps are `(HLC, replica, counter)`: an op never loses to one it
//! has seen.

use std::collections::BinaryHeap;
use std::sync::Arc;

use super::event::{Attributes, TextDelta};
use super::order::FullOrder;
use super::stamp::Stamp;
use crate::change::{Anchor, MarkOp};
use crate::encoding::value_key;
use crate::seq::TextSeq;
use crate::vecmap::VecMap;
use crate::{OpId, Value};

/// The one built-in mark that many may hold at once, keyed by its value.
pub(crate) const COMMENT: &str = "comment";

/// Whether marks of `name` are keyed by their value (overlapping comments).
pub(crate) fn keyed_by_value(name: &str) -> bool {
    name == COMMENT
}

/// One applied mark op.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MarkEntry {
    pub(crate) stamp: Stamp,
    pub(crate) start: Anchor,
    pub(crate) end: Anchor,
    pub(crate) name: Arc<str>,
    pub(crate) value: Value,
    pub(crate) remove: bool,
}

impl MarkEntry {
    pub(crate) fn new(stamp: Stamp, m: &MarkOp) -> Self {
        Self {
            stamp,
            start: m.start,
            end: m.end,
            name: m.name.clone(),
            value: m.value.clone(),
            remove: m.remove,
        }
    }
}

/// Every mark op of a text, in stamp order (so that two replicas that applied
/// the same ops hold, and encode, the same list).
#[derive(Clone, Debug, Default)]
pub(crate) struct MarkSet {
    pub(crate) ops: Vec<MarkEntry>,
    /// Built when local typing first needs it after a mark op (applying mark
    /// ops in bulk pays nothing for it).
    bounds: Option<Box<Bounds>>,
}

/// Characters some mark starts or ends just before, and those some mark ends
/// just after: where local typing among deleted characters must stop, and how
/// far it may go (`Doc::insert_origin_past_marks`). Sorted and deduplicated:
/// built in one go, then only searched.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bounds {
    pub(crate) befores: Vec<OpId>,
    pub(crate) after_ends: Vec<OpId>,
}

impl Bounds {
    /// The ids of `ids` in `lo..hi`.
    pub(crate) fn range(ids: &[OpId], lo: OpId, hi: OpId) -> &[OpId] {
        let start = ids.partition_point(|&i| i < lo);
        let end = ids.partition_point(|&i| i < hi);
        &ids[start..end.max(start)]
    }
}

impl PartialEq for MarkSet {
    fn eq(&self, other: &Self) -> bool {
        self.ops == other.ops
    }
}

/// The visible gap an anchor sits in: characters at indices `>= gap` are right
/// of it, the others left.
fn gap(seq: &TextSeq, a: &Anchor) -> usize {
    match a {
        Anchor::Start => 0,
        Anchor::End => seq.len(),
        // Anchors are validated on arrival; an unknown one covers nothing.
        Anchor::Before(id) => seq.index_of(*id).map_or(seq.len(), |p| p.index),
        Anchor::After(id) => seq
            .index_of(*id)
            .map_or(seq.len(), |p| p.index + usize::from(p.visible)),
    }
}

impl MarkSet {
    pub(crate) fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Ops in strictly increasing stamp order, every anchor a character of `seq`.
    pub(crate) fn check(&self, seq: &TextSeq) -> Result<(), String> {
        if !self.ops.windows(2).all(|w| w[0].stamp < w[1].stamp) {
            return Err("mark ops are not in stamp order".into());
        }
        for o in &self.ops {
            for a in [o.start.id(), o.end.id()].into_iter().flatten() {
                if !seq.contains(a) {
                    return Err(format!("mark anchored to unknown character {a:?}"));
                }
            }
        }
        Ok(())
    }

    /// The boundary sets, built on first use since the last mark op.
    pub(crate) fn bounds(&mut self) -> &Bounds {
        let ops = &self.ops;
        self.bounds.get_or_insert_with(|| {
            let mut b = Bounds::default();
            for o in ops {
                for a in [o.start, o.end] {
                    if let Anchor::Before(id) = a {
                        b.befores.push(id);
                    }
                }
                if let Anchor::After(id) = o.end {
                    b.after_ends.push(id);
                }
            }
            for ids in [&mut b.befores, &mut b.after_ends] {
                ids.sort_unstable();
                ids.dedup();
            }
            Box::new(b)
        })
    }

    /// Adds an op, keeping stamp order (ops mostly arrive in it).
    pub(crate) fn insert(&mut self, e: MarkEntry) {
        let at = self.ops.partition_point(|o| o.stamp < e.stamp);
        if self.ops.get(at).is_some_and(|o| o.stamp == e.stamp) {
            return;
        }
        self.bounds = None;
        self.ops.insert(at, e);
    }

    /// The visible range each op covers, for those covering anything.
    fn ranges(&self, seq: &TextSeq) -> Vec<(usize, usize, usize)> {
        self.ops
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let (s, e) = (gap(seq, &o.start), gap(seq, &o.end));
                (s < e).then_some((s, e, i))
            })
            .collect()
    }

    /// The visible range op `e` covers.
    pub(crate) fn range_of(seq: &TextSeq, e: &MarkEntry) -> (usize, usize) {
        (gap(seq, &e.start), gap(seq, &e.end))
    }

    /// Formatting runs of the visible characters `from..to`: `(length,
    /// attributes)`, adjacent runs with equal attributes merged.
    ///
    /// A sweep over the ops' boundaries: per mark key, the set of covering ops
    /// (ops are in stamp order, so the highest index wins), and the attributes
    /// kept up to date as winners change, cloned once per run.
    pub(crate) fn runs(&self, seq: &TextSeq, from: usize, to: usize) -> Vec<(usize, Attributes)> {
        let mut out: Vec<(usize, Attributes)> = Vec::new();
        if from >= to {
            return out;
        }
        // Boundary events (position, op, starts?) and each op's key.
        let mut events: Vec<(usize, usize, bool)> = Vec::new();
        let mut key_of: Vec<u32> = vec![u32::MAX; self.ops.len()];
        // A mark's key: its name, and its value's canonical encoding for a
        // mark keyed by value (never empty: it starts with the value's tag).
        let mut keys: VecMap<(&str, Vec<u8>), u32> = VecMap::new();
        for (s, e, i) in self.ranges(seq) {
            let (s, e) = (s.max(from), e.min(to));
            if s >= e {
                continue;
            }
            events.push((s, i, true));
            events.push((e, i, false));
            let o = &self.ops[i];
            let next = keys.len() as u32;
            let value = match keyed_by_value(&o.name) {
                true => value_key(&o.value),
                false => Vec::new(),
            };
            key_of[i] = *keys.get_or_insert_with((&*o.name, value), || next);
        }
        if events.is_empty() {
            return vec![(to - from, Attributes::new())];
        }
        events.sort_unstable();
        let nkeys = keys.len();
        let mut covering: Vec<Covering> = (0..nkeys).map(|_| Covering::default()).collect();
        let mut live = vec![false; self.ops.len()];
        let mut winner: Vec<Option<usize>> = vec![None; nkeys];
        let mut attrs = Attributes::new();
        // Per value-keyed name, the values set now (by canonical encoding).
        let mut sets: VecMap<Arc<str>, VecMap<Vec<u8>, Value>> = VecMap::new();
        let mut at = from;
        let mut k = 0;
        while at < to {
            while k < events.len() && events[k].0 == at {
                let (_, i, starts) = events[k];
                k += 1;
                let key = key_of[i] as usize;
                live[i] = starts;
                if starts {
                    covering[key].0.push(i);
                }
                let now = covering[key].top(&live);
                if now == winner[key] {
                    continue;
                }
                let shown = |w: Option<usize>| w.map(|w| &self.ops[w]).filter(|o| !o.remove);
                let (old, new) = (shown(winner[key]), shown(now));
                winner[key] = now;
                let o = &self.ops[i];
                if keyed_by_value(&o.name) {
                    if old.is_some() == new.is_some() {
                        continue;
                    }
                    let set = sets.get_or_insert_with(o.name.clone(), VecMap::new);
                    if new.is_some() {
                        set.insert(value_key(&o.value), o.value.clone());
                    } else {
                        set.remove(&value_key(&o.value));
                    }
                    if set.is_empty() {
                        attrs.remove(&o.name);
                    } else {
                        attrs.insert(
                            o.name.clone(),
                            Value::Array(set.values().cloned().collect()),
                        );
                    }
                } else {
                    match new {
                        Some(w) => attrs.insert(o.name.clone(), w.value.clone()),
                        None => attrs.remove(&o.name),
                    };
                }
            }
            let next = events.get(k).map_or(to, |e| e.0.min(to));
            match out.last_mut() {
                Some((len, last)) if *last == attrs => *len += next - at,
                _ => out.push((next - at, attrs.clone())),
            }
            at = next;
        }
        out
    }

    /// The formatting of the visible character at `index`.
    pub(crate) fn attributes_at(&self, seq: &TextSeq, index: usize) -> Attributes {
        self.runs(seq, index, index + 1)
            .pop()
            .map(|(_, a)| a)
            .unwrap_or_default()
    }
}

/// The deltas that turn the formatting `before` into `after` (both runs over the
/// same `from..` stretch), or nothing if it did not change.
pub(crate) fn format_delta(
    from: usize,
    before: &[(usize, Attributes)],
    after: &[(usize, Attributes)],
) -> Vec<TextDelta> {
    let mut out: Vec<TextDelta> = Vec::new();
    let mut push = |d: TextDelta| match (out.last_mut(), &d) {
        (Some(TextDelta::Retain(n)), TextDelta::Retain(m)) => *n += m,
        (Some(TextDelta::Format(n, a)), TextDelta::Format(m, b)) if a == b => *n += m,
        _ => out.push(d),
    };
    if from > 0 {
        push(TextDelta::Retain(from));
    }
    let (mut i, mut j) = (0, 0);
    let (mut left_b, mut left_a) = (
        before.first().map_or(0, |r| r.0),
        after.first().map_or(0, |r| r.0),
    );
    while i < before.len() && j < after.len() {
        let take = left_b.min(left_a);
        let (b, a) = (&before[i].1, &after[j].1);
        let mut change = Attributes::new();
        for (k, v) in a {
            if b.get(k) != Some(v) {
                change.insert(k.clone(), v.clone());
            }
        }
        for k in b.keys() {
            if !a.contains_key(k) {
                change.insert(k.clone(), Value::Null);
            }
        }
        push(if change.is_empty() {
            TextDelta::Retain(take)
        } else {
            TextDelta::Format(take, change)
        });
        left_b -= take;
        left_a -= take;
        if left_b == 0 {
            i += 1;
            left_b = before.get(i).map_or(0, |r| r.0);
        }
        if left_a == 0 {
            j += 1;
            left_a = after.get(j).map_or(0, |r| r.0);
        }
    }
    while matches!(out.last(), Some(TextDelta::Retain(_))) {
        out.pop();
    }
    out
}

/// A formatting delta (retains only: no text comes or goes) with its lengths in
/// UTF-16 code units instead of characters.
fn format_delta_utf16(seq: &crate::seq::TextSeq, delta: Vec<TextDelta>) -> Vec<TextDelta> {
    let mut chars = 0;
    let mut units = 0;
    let mut advance = |n: usize| {
        chars += n;
        let end = seq.index_to_utf16(chars).unwrap_or(units + n);
        std::mem::replace(&mut units, end).abs_diff(end)
    };
    delta
        .into_iter()
        .map(|d| match d {
            TextDelta::Retain(n) => TextDelta::Retain(advance(n)),
            TextDelta::Format(n, attrs) => TextDelta::Format(advance(n), attrs),
            other => other,
        })
        .collect()
}

impl super::seq::TextState {
    /// Applies a mark op; returns the formatting event if anything visible
    /// changed and `want_event`.
    pub(crate) fn apply_mark(
        &mut self,
        stamp: Stamp,
        m: &MarkOp,
        want_event: bool,
        utf16: bool,
    ) -> Option<super::event::Event> {
        let entry = MarkEntry::new(stamp, m);
        if !want_event {
            self.marks.insert(entry);
            return None;
        }
        let (s, e) = MarkSet::range_of(&self.seq, &entry);
        let before = self.marks.runs(&self.seq, s, e);
        self.marks.insert(entry);
        let after = self.marks.runs(&self.seq, s, e);
        let mut delta = format_delta(s, &before, &after);
        if utf16 {
            delta = format_delta_utf16(&self.seq, delta);
        }
        (!delta.is_empty()).then(|| super::event::Event {
            container: m.obj.clone(),
            diff: super::event::Diff::Text(delta),
        })
    }
}

/// A stretch of characters `start..end` in full order (tombstones included,
/// see [`FullOrder`]) that undoing a mark op gives `value` (`None`: the mark is
/// absent there).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Restore {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) value: Option<Value>,
    /// The boundary anchor of an older op at each end, where one makes the
    /// stretch end there: reusing it keeps the restored boundary where that op
    /// put it for text typed at the edge later.
    pub(crate) start_anchor: Option<Anchor>,
    pub(crate) end_anchor: Option<Anchor>,
}

impl MarkSet {
    /// The op with this id, if applied.
    pub(crate) fn find(&self, id: crate::OpId) -> Option<usize> {
        self.ops
            .iter()
            .rposition(|o| o.stamp.replica == id.replica && o.stamp.counter == id.counter)
    }

    /// What undoing op `idx` sets, over the characters it covers now, deleted
    /// ones included: decided per character, so a character deleted at undo time
    /// gets what it would get visible, and brought back later it has it.
    ///
    /// `ours` tells the ops whose effect the undo takes back: the op itself and
    /// this replica's later mark ops (undo is last-in first-out, so by the time a
    /// step is undone every later local step is undone too, and their ops stand
    /// for nothing). A character changes only where one of those wins its key now;
    /// where a collaborator's op wins, their formatting stays. It gets what the
    /// highest covering op not in `ours` says, which is the formatting it had
    /// before, or for text typed inside the range since, what it would have had
    /// without the op. Stretches whose shown value would not change are left out.
    pub(crate) fn undo_runs(
        &self,
        order: &FullOrder,
        idx: usize,
        ours: impl Fn(&MarkEntry) -> bool,
    ) -> Vec<Restore> {
        let m = &self.ops[idx];
        let (s, e) = (order.gap(&m.start), order.gap(&m.end));
        let mut out: Vec<Restore> = Vec::new();
        if s >= e {
            return out;
        }
        let key = keyed_by_value(&m.name).then(|| value_key(&m.value));
        let same_key = |o: &MarkEntry| {
            o.name == m.name && key.as_ref().is_none_or(|k| *k == value_key(&o.value))
        };
        let mut events: Vec<(usize, bool, usize)> = Vec::new();
        for (i, o) in self.ops.iter().enumerate() {
            if !same_key(o) {
                continue;
            }
            let (os, oe) = (order.gap(&o.start), order.gap(&o.end));
            let (os, oe) = (os.max(s), oe.min(e));
            if os < oe {
                // Ends sort before starts at one position.
                events.push((os, true, i));
                events.push((oe, false, i));
            }
        }
        events.sort_unstable();
        let shown = |i: Option<&usize>| {
            i.map(|&i| &self.ops[i])
                .filter(|o| !o.remove)
                .map(|o| o.value.clone())
        };
        // The anchor an older op has at position `p`, preferring op `prefer`'s.
        let anchor_at = |p: usize, prefer: Option<usize>| {
            let here = events
                .iter()
                .filter(|ev| ev.0 == p && !ours(&self.ops[ev.2]));
            let anchor = |&(_, starts, i): &(usize, bool, usize)| match starts {
                true => self.ops[i].start,
                false => self.ops[i].end,
            };
            here.clone()
                .find(|ev| Some(ev.2) == prefer)
                .or_else(|| here.clone().next())
                .map(anchor)
        };
        // Every covering op, and those not in `ours` apart: the source is the
        // highest of the latter.
        let (mut covering, mut theirs) = (Covering::default(), Covering::default());
        let mut live = vec![false; self.ops.len()];
        let mut k = 0;
        let mut at = s;
        while at < e {
            while k < events.len() && events[k].0 == at {
                let (_, starts, i) = events[k];
                live[i] = starts;
                if starts {
                    covering.0.push(i);
                    if !ours(&self.ops[i]) {
                        theirs.0.push(i);
                    }
                }
                k += 1;
            }
            let next = events.get(k).map_or(e, |ev| ev.0.min(e));
            if let Some(w) = covering.top(&live).filter(|&w| ours(&self.ops[w])) {
                let source = theirs.top(&live);
                let before = shown(source.as_ref());
                if before != shown(Some(&w)) {
                    let end_anchor = anchor_at(next, source);
                    match out.last_mut() {
                        Some(r) if r.end == at && r.value == before => {
                            r.end = next;
                            r.end_anchor = end_anchor;
                        }
                        _ => out.push(Restore {
                            start: at,
                            end: next,
                            value: before,
                            start_anchor: anchor_at(at, source),
                            end_anchor,
                        }),
                    }
                }
            }
            at = next;
        }
        out
    }
}

/// The ops covering a position in a sweep, the highest index on top. Each op
/// enters once and leaves once, so a leaving op is only flagged (`live` false)
/// and dropped when it surfaces: O(log n) per event like a B-tree (many ops of
/// one mark ending together must not cost quadratic time, as a sorted `Vec`
/// would), in a fraction of the WASM (a `BTreeSet<usize>` took about 6 KB).
#[derive(Default)]
struct Covering(BinaryHeap<usize>);

impl Covering {
    /// The highest live op, dropping those that left.
    fn top(&mut self, live: &[bool]) -> Option<usize> {
        while let Some(&i) = self.0.peek() {
            if live[i] {
                return Some(i);
            }
            self.0.pop();
        }
        None
    }
}
