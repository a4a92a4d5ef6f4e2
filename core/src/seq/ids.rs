//! Mapping between op ids and local indices.
//!
//! Every element gets a dense local index ("lv") in the order this replica learnt of
//! it. The tree stores lvs only (4 bytes instead of 16 per origin), and this table
//! translates at the boundary.

use crate::start_index::StartIndex;
use crate::{OpId, ReplicaId};

/// No lv: a named id [`IdTable::defer_bulk`] has not found.
#[cfg(not(target_arch = "wasm32"))]
const NO_LV: u32 = u32::MAX;

/// A run of lvs whose ids have consecutive counters from one replica. Its length is
/// implied by the next run's `lv`.
#[derive(Clone, Copy, Debug)]
struct LvRun {
    lv: u32,
    replica: u32,
    counter: u64,
}

/// A run of one replica's counters mapped to consecutive lvs.
#[derive(Clone, Copy, Debug)]
struct CounterRun {
    counter: u64,
    lv: u32,
    len: u32,
}

impl CounterRun {
    fn end(&self) -> u64 {
        self.counter + u64::from(self.len)
    }
}

/// Sorts runs by counter. A snapshot's runs arrive in document order, which is
/// far from counter order; counters are dense, so a radix sort on as many
/// 11-bit digits as the largest counter has beats comparing.
fn sort_by_counter(runs: &mut Vec<CounterRun>) {
    const DIGIT: u32 = 11;
    if runs.len() < 256 {
        runs.sort_unstable_by_key(|run| run.counter);
        return;
    }
    if runs.is_sorted_by_key(|run| run.counter) {
        return;
    }
    let max = runs.iter().map(|run| run.counter).max().unwrap_or(0);
    let mut buf = runs.clone();
    let mut shift = 0;
    while shift < 64 && max >> shift != 0 {
        let mut at = [0usize; 1 << DIGIT];
        let digit = |run: &CounterRun| ((run.counter >> shift) as usize) & ((1 << DIGIT) - 1);
        for run in runs.iter() {
            at[digit(run)] += 1;
        }
        let mut sum = 0;
        for slot in at.iter_mut() {
            (*slot, sum) = (sum, sum + *slot);
        }
        for run in runs.iter() {
            let d = digit(run);
            buf[at[d]] = *run;
            at[d] += 1;
        }
        std::mem::swap(runs, &mut buf);
        shift += DIGIT;
    }
}

/// Merges sorted runs into the one kept before them where they continue it;
/// returns the first counter of a run overlapping the one before, if any.
/// Natively with `dedup_by`; the WebAssembly build keeps its own loop, which
/// is smaller there.
fn merge_runs(runs: &mut Vec<CounterRun>) -> Option<u64> {
    let continues = |prev: &CounterRun, run: &CounterRun| {
        prev.end() == run.counter && prev.lv + prev.len == run.lv
    };
    if cfg!(not(target_arch = "wasm32")) {
        let mut twice = None;
        runs.dedup_by(|run, prev| {
            if prev.end() > run.counter {
                twice.get_or_insert(run.counter);
                return false;
            }
            let merge = continues(prev, run);
            if merge {
                prev.len += run.len;
            }
            merge
        });
        return twice;
    }
    // `w` runs are kept.
    let mut w = 0;
    for i in 0..runs.len() {
        let run = runs[i];
        if w > 0 {
            let prev = &mut runs[w - 1];
            if prev.end() > run.counter {
                return Some(run.counter);
            }
            if continues(prev, &run) {
                prev.len += run.len;
                continue;
            }
        }
        runs[w] = run;
        w += 1;
    }
    runs.truncate(w);
    None
}

/// One replica's counter runs from its lv runs `by_lv` (the last ending
/// before lv `end`), sorted by counter ([`IdTable::finish_one_replica`]
/// says how), and the buckets they were sorted through.
#[cfg(not(target_arch = "wasm32"))]
#[inline(never)]
fn sort_one_replica(by_lv: &[LvRun], end: u32) -> (Vec<CounterRun>, Buckets) {
    let n = by_lv.len();
    let (min, max) = by_lv.iter().fold((u64::MAX, 0), |(lo, hi), run| {
        (lo.min(run.counter), hi.max(run.counter))
    });
    let wanted = (n / 2).max(1).next_power_of_two();
    let range_bits = u64::BITS - (max - min).leading_zeros();
    let shift = range_bits.saturating_sub(wanted.trailing_zeros());
    // Bucket `k`'s count goes to `starts[k + 2]`: summed, `starts[k + 1]`
    // is where bucket `k` begins, the cursor the runs are written at, and
    // is left where bucket `k + 1` begins, as `Buckets` wants it.
    let buckets = ((max - min) >> shift) as usize + 1;
    let mut starts = vec![0u32; buckets + 2];
    // By value: a closure borrowing them reloads both per run.
    let bucket = move |counter: u64| ((counter - min) >> shift) as usize;
    for run in by_lv {
        starts[bucket(run.counter) + 2] += 1;
    }
    let mut sum = 0;
    for slot in starts.iter_mut() {
        sum += *slot;
        *slot = sum;
    }
    // Filled with a pattern that is not one repeated byte, so that it is
    // written by a plain loop rather than `memset`.
    let mut runs = vec![
        CounterRun {
            counter: u64::MAX,
            lv: 0,
            len: 1,
        };
        n
    ];
    // Each run ends where the next begins. The cursor is read once and
    // written back before the run is (a closure reloaded it after the
    // store).
    let mut place = |run: &LvRun, end: u32| {
        if let Some(at) = starts.get_mut(bucket(run.counter) + 1) {
            let i = *at;
            *at = i + 1;
            if let Some(slot) = runs.get_mut(i as usize) {
                *slot = CounterRun {
                    counter: run.counter,
                    lv: run.lv,
                    len: end - run.lv,
                };
            }
        }
    };
    for pair in by_lv.windows(2) {
        place(&pair[0], pair[1].lv);
    }
    if let Some(last) = by_lv.last() {
        place(last, end);
    }
    // Every run is in its bucket; in order within it by insertion,
    // bounded: crafted counters (a far outlier widening the buckets) fall
    // back to a comparison sort.
    let mut moves = 0usize;
    for i in 1..n {
        let run = runs[i];
        if runs[i - 1].counter <= run.counter {
            continue;
        }
        let mut j = i;
        while j > 0 && runs[j - 1].counter > run.counter {
            runs[j] = runs[j - 1];
            j -= 1;
        }
        runs[j] = run;
        moves += i - j;
        if moves > 8 * n {
            runs.sort_unstable_by_key(|run| run.counter);
            break;
        }
    }
    (runs, Buckets { min, shift, starts })
}

/// Marks the ids of one replica's lv runs `by_lv` (the last ending before
/// lv `end`) in `bits`, a pair of words per 64 counters: `[0]` the ids seen
/// so far, `[1]` the named ids; notes in `hits` the runs holding a named id.
/// `false` if an id was marked already (or is past the bitmap). `bits` has a
/// pair more than the counters need, so that a run of at most 64 ids, which
/// spans at most two words, is marked through one two-pair window; longer
/// runs and the last go through [`mark_long`]. Compiled apart from
/// [`IdTable::defer_bulk`], its one caller, so that its loop keeps its values
/// in registers.
#[cfg(not(target_arch = "wasm32"))]
#[inline(never)]
fn mark_runs(by_lv: &[LvRun], end: u32, bits: &mut [[u64; 2]], hits: &mut Vec<u32>) -> bool {
    let Some(last) = by_lv.last() else {
        return true;
    };
    for (i, pair) in by_lv.windows(2).enumerate() {
        let (run, next) = (&pair[0], &pair[1]);
        let s = run.counter;
        // Not a run's length in a table `IdTable` made (lvs rise), it is
        // taken as long, where the window it needs is checked.
        let len = next.lv.wrapping_sub(run.lv);
        let named = if len.wrapping_sub(1) < 64 {
            // `len` ones from bit `s % 64`: the low word's, and the high
            // word's (shifted by `64 - s % 64` in two steps, so that a shift
            // of 64 is none).
            let ones = u64::MAX >> (64 - len);
            let sh = (s & 63) as u32;
            let (lo, hi) = (ones << sh, (ones >> 1) >> (63 - sh));
            let ws = (s >> 6) as usize;
            let Some([a, b]) = bits.get_mut(ws..ws.wrapping_add(2)) else {
                return false;
            };
            if (a[0] & lo) | (b[0] & hi) != 0 {
                return false;
            }
            a[0] |= lo;
            b[0] |= hi;
            (a[1] & lo) | (b[1] & hi)
        } else {
            match mark_long(bits, s, len) {
                Some(named) => named,
                None => return false,
            }
        };
        if named != 0 {
            hits.push(i as u32);
        }
    }
    match mark_long(bits, last.counter, end.wrapping_sub(last.lv)) {
        Some(0) => true,
        Some(_) => {
            hits.push(by_lv.len() as u32 - 1);
            true
        }
        None => false,
    }
}

/// [`mark_runs`] for one run of `len` ids from counter `s`, word by word:
/// the named ids' bits among them, `None` if one was marked already (or is
/// past the bitmap).
#[cfg(not(target_arch = "wasm32"))]
#[inline(never)]
fn mark_long(bits: &mut [[u64; 2]], s: u64, len: u32) -> Option<u64> {
    if len == 0 {
        return Some(0);
    }
    let e = s.checked_add(u64::from(len))?;
    let (ws, we) = ((s >> 6) as usize, ((e - 1) >> 6) as usize);
    let head = u64::MAX << (s & 63);
    let tail = u64::MAX >> (!(e - 1) & 63);
    let words = bits.get_mut(ws..=we)?;
    let mut any = 0;
    for (k, w) in words.iter_mut().enumerate() {
        let mut m = u64::MAX;
        if k == 0 {
            m &= head;
        }
        if k == we - ws {
            m &= tail;
        }
        if w[0] & m != 0 {
            return None;
        }
        w[0] |= m;
        any |= w[1] & m;
    }
    Some(any)
}

/// Where one replica's counter runs (sorted, not overlapping) of each range of
/// counters start: bucket `k` holds the runs whose counter, less the first,
/// shifted right by `shift`, is `k`.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug)]
struct Buckets {
    min: u64,
    shift: u32,
    /// `starts[k]`: how many runs lie in buckets before `k`.
    starts: Vec<u32>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Buckets {
    fn new(runs: &[CounterRun]) -> Self {
        let min = runs.first().map_or(0, |run| run.counter);
        let max = runs.last().map_or(0, |run| run.counter);
        let wanted = (runs.len() / 2).max(1).next_power_of_two();
        let range_bits = u64::BITS - (max - min).leading_zeros();
        let shift = range_bits.saturating_sub(wanted.trailing_zeros());
        let mut starts = vec![0u32; ((max - min) >> shift) as usize + 2];
        for run in runs {
            starts[((run.counter - min) >> shift) as usize + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        Buckets { min, shift, starts }
    }

    /// The lv of `counter` among `runs` (those the buckets were made of).
    fn find(&self, runs: &[CounterRun], counter: u64) -> Option<u32> {
        let k = (counter.checked_sub(self.min)? >> self.shift) as usize;
        let end = |k: usize| self.starts.get(k).map_or(runs.len(), |&i| i as usize);
        // Runs of earlier buckets start before `counter`, of later ones after
        // it: the run holding it is the last one starting at or before it in
        // this bucket, or else the last of the buckets before.
        let (lo, hi) = (end(k), end(k + 1));
        let bucket = runs.get(lo..hi)?;
        // A bucket holds about two runs: a scan is cheaper than a binary
        // search there, but not in one that crafted counters filled.
        let i = lo
            + if bucket.len() <= 8 {
                bucket
                    .iter()
                    .take_while(|run| run.counter <= counter)
                    .count()
            } else {
                bucket.partition_point(|run| run.counter <= counter)
            };
        let run = runs.get(i.checked_sub(1)?)?;
        (counter < run.end()).then(|| run.lv + (counter - run.counter) as u32)
    }
}

/// A bulk load of one replica whose counter runs wait until something first
/// needs them ([`IdTable::defer_bulk`], natively): its ids were checked
/// unique and its named origins found without them.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Debug)]
struct Deferred {
    /// How many of `by_lv`'s runs the load made (the first ones), and the lv
    /// after its last element.
    runs: usize,
    end: u32,
    /// One past the replica's highest counter.
    used_up_to: u64,
    /// The counter runs, when derived through a shared reference; moved to
    /// `by_counter[0]` by the first change to the table that needs them.
    sorted: std::sync::OnceLock<Vec<CounterRun>>,
}

/// Per replica, the index [`IdTable::lv_named`] finds ids with (none at all
/// for a few ids).
#[cfg(not(target_arch = "wasm32"))]
pub(super) struct Named(Vec<Option<Buckets>>);

#[derive(Clone, Debug, Default)]
pub(super) struct IdTable {
    replicas: Vec<ReplicaId>,
    replica_index: crate::clock::ReplicaSlots,
    by_lv: Vec<LvRun>,
    /// Per replica, sorted by counter, non-overlapping.
    by_counter: Vec<Vec<CounterRun>>,
    /// Per replica, where to look for a counter's run: a merge looks up origins
    /// all over a peer's history of small edits (off for runs built in bulk).
    by_counter_index: Vec<StartIndex>,
    /// Number of lvs assigned.
    next_lv: u32,
    /// The `by_lv` run [`IdTable::id_runs`] found last: a local delete is usually
    /// next to the previous one, whose run (or a neighbour) holds it.
    near: usize,
    /// The buckets a bulk load of one replica sorted its runs into, kept
    /// for the one [`IdTable::named`] that follows it (natively).
    #[cfg(not(target_arch = "wasm32"))]
    bulk_index: Option<Buckets>,
    /// Replica 0's counter runs when a bulk load left them to be derived on
    /// first use (`by_counter[0]` is then empty).
    #[cfg(not(target_arch = "wasm32"))]
    deferred: Option<Box<Deferred>>,
}

impl IdTable {
    pub(super) fn len(&self) -> u32 {
        self.next_lv
    }

    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn replica_idx(&self, replica: ReplicaId) -> Option<u32> {
        // Local edits come from one replica: check the newest run before hashing.
        if let Some(last) = self.by_lv.last() {
            if self.replicas[last.replica as usize] == replica {
                return Some(last.replica);
            }
        }
        self.find_replica(replica)
    }

    /// [`IdTable::replica_idx`] past its first check, kept out of line: it is
    /// inlined into every lookup, and one copy of this part is enough.
    #[inline(never)]
    fn find_replica(&self, replica: ReplicaId) -> Option<u32> {
        // A merge alternates between a few replicas: comparing them beats hashing.
        if self.replicas.len() <= 4 {
            return self
                .replicas
                .iter()
                .position(|&r| r == replica)
                .map(|i| i as u32);
        }
        self.replica_index.get(replica)
    }

    #[inline]
    fn replica_idx_or_add(&mut self, replica: ReplicaId) -> u32 {
        match self.replica_idx(replica) {
            Some(i) => i,
            None => self.add_replica(replica),
        }
    }

    #[cold]
    fn add_replica(&mut self, replica: ReplicaId) -> u32 {
        let i = self.replicas.len() as u32;
        self.replicas.push(replica);
        self.replica_index.insert(replica, i);
        self.by_counter.push(Vec::new());
        self.by_counter_index.push(StartIndex::default());
        i
    }

    /// One past the highest counter `replica` has used, if it has any.
    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn used_up_to(&self, replica: ReplicaId) -> Option<u64> {
        let r = self.replica_idx(replica)?;
        match self.by_counter[r as usize].last() {
            Some(run) => Some(run.end()),
            None => self.deferred_used_up_to(r),
        }
    }

    /// [`IdTable::used_up_to`] for a replica with no counter runs: one whose
    /// runs a bulk load deferred, natively.
    #[cold]
    fn deferred_used_up_to(&self, r: u32) -> Option<u64> {
        #[cfg(not(target_arch = "wasm32"))]
        if let (0, Some(d)) = (r, &self.deferred) {
            return Some(d.used_up_to);
        }
        let _ = r;
        None
    }

    /// Records that the next lv holds `id`, extending the last lv run when `id`
    /// continues it; returns the replica's index.
    #[inline]
    fn note_lv_run(&mut self, id: OpId) -> u32 {
        let lv = self.next_lv;
        let r = self.replica_idx_or_add(id.replica);
        let extends_lv_run = self.by_lv.last().is_some_and(|last| {
            last.replica == r && last.counter + u64::from(lv - last.lv) == id.counter
        });
        if !extends_lv_run {
            self.by_lv.push(LvRun {
                lv,
                replica: r,
                counter: id.counter,
            });
        }
        r
    }

    /// Gives ids `id .. id + len` the next `len` lvs. The ids must be unknown.
    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn push(&mut self, id: OpId, len: u32) -> u32 {
        let lv = self.next_lv;
        if self.push_typed(id, len) {
            return lv;
        }
        self.push_slow(id, len)
    }

    /// Gives ids `id .. id + len` the next `len` lvs when they continue both the
    /// newest lv run and the replica's newest counter run (typing), where
    /// nothing but two lengths changes; otherwise changes nothing and returns
    /// false. Continuing the replica's newest counter run, which ends at its
    /// highest counter, they are fresh, and the lv before them has the id
    /// before `id`: a local insert that gets `true` needs neither
    /// [`IdTable::used_up_to`] nor a look-up of its left origin's id.
    #[inline(always)]
    pub(super) fn push_typed(&mut self, id: OpId, len: u32) -> bool {
        let lv = self.next_lv;
        if let Some(last) = self.by_lv.last() {
            let r = last.replica as usize;
            if self.replicas[r] == id.replica
                && last.counter + u64::from(lv - last.lv) == id.counter
            {
                if let Some(run) = self.by_counter[r].last_mut() {
                    if run.end() == id.counter && run.lv + run.len == lv {
                        run.len += len;
                        self.next_lv += len;
                        return true;
                    }
                }
            }
        }
        false
    }

    fn push_slow(&mut self, id: OpId, len: u32) -> u32 {
        let lv = self.next_lv;
        let r = self.note_lv_run(id);
        // A replica's first counter run, or one a bulk load deferred.
        #[cfg(not(target_arch = "wasm32"))]
        if self.by_counter[r as usize].is_empty() {
            self.undefer(r);
        }
        let runs = &mut self.by_counter[r as usize];
        if let Some(last) = runs.last_mut() {
            // Fast path: the replica's newest run continues (local typing).
            if last.end() == id.counter && last.lv + last.len == lv {
                last.len += len;
                self.next_lv += len;
                return lv;
            }
        }
        // A local insert's counter is above all of the replica's runs: it goes
        // last, with no search through runs that grow with every edit
        // (natively: the WebAssembly module minds its size).
        #[cfg(not(target_arch = "wasm32"))]
        let at = match runs.last() {
            Some(last) if last.counter < id.counter => runs.len(),
            _ => runs.partition_point(|run| run.counter < id.counter),
        };
        #[cfg(target_arch = "wasm32")]
        let at = runs.partition_point(|run| run.counter < id.counter);
        let extends_prev = at > 0 && {
            let prev = &runs[at - 1];
            prev.end() == id.counter && prev.lv + prev.len == lv
        };
        if extends_prev {
            runs[at - 1].len += len;
        } else {
            let index = &mut self.by_counter_index[r as usize];
            match runs.first() {
                _ if at < runs.len() => index.give_up(),
                Some(first) => index.appended(first.counter, id.counter, at),
                None => index.appended(id.counter, id.counter, 0),
            }
            // Grown by a quarter in WebAssembly, as the tree's arenas are:
            // doubled, a replica's counter runs (16 B a run) held 128 KB
            // after rustcode's replay, up to half of it idle, and each
            // doubling took a new block from the top of a memory that never
            // shrinks.
            #[cfg(target_arch = "wasm32")]
            super::tree::grow_gently(runs, 1);
            runs.insert(
                at,
                CounterRun {
                    counter: id.counter,
                    lv,
                    len,
                },
            );
        }
        self.next_lv += len;
        lv
    }

    /// Makes room for `runs` lv runs of a bulk load (a hint, bounded by the caller).
    pub(super) fn reserve_bulk(&mut self, runs: usize) {
        self.by_lv.reserve_exact(runs);
    }

    /// Like [`IdTable::push`] for building from a snapshot into an empty table,
    /// where counters arrive in document order rather than counter order: only
    /// lv runs are recorded, and [`IdTable::finish_bulk`] derives the counter
    /// runs from them, sorting once instead of on every push. `r` is the
    /// replica's index ([`IdTable::replica_slot`]).
    #[inline]
    #[cfg(test)]
    pub(super) fn push_bulk(&mut self, r: u32, counter: u64, len: u32) {
        self.push_bulk_after(r, counter, len, self.continues_bulk(r, counter));
    }

    /// Whether ids from `counter` of replica `r` (its index) continue the
    /// last lv run where the next lv is: pushed there, they extend it.
    #[inline(always)]
    pub(super) fn continues_bulk(&self, r: u32, counter: u64) -> bool {
        let lv = self.next_lv;
        self.by_lv.last().is_some_and(|last| {
            last.replica == r && last.counter + u64::from(lv - last.lv) == counter
        })
    }

    /// [`IdTable::push_bulk`] told whether the ids continue the last lv run
    /// ([`IdTable::continues_bulk`]), by a caller that knows it without
    /// looking (the span decoder: the previous span's replica and end).
    #[inline(always)]
    pub(super) fn push_bulk_after(&mut self, r: u32, counter: u64, len: u32, continues: bool) {
        debug_assert_eq!(continues, self.continues_bulk(r, counter));
        let lv = self.next_lv;
        if !continues {
            self.by_lv.push(LvRun {
                lv,
                replica: r,
                counter,
            });
        }
        self.next_lv += len;
    }

    /// How many lv runs the table holds.
    #[inline(always)]
    pub(super) fn runs(&self) -> u32 {
        self.by_lv.len() as u32
    }

    /// [`IdTable::push_bulk_after`] before the counters are known: a new lv
    /// run (counter 0 until [`IdTable::order_bulk`]) unless `continues`.
    #[inline(always)]
    pub(super) fn push_unordered(&mut self, r: u32, len: u32, continues: bool) {
        if !continues {
            self.by_lv.push(LvRun {
                lv: self.next_lv,
                replica: r,
                counter: 0,
            });
        }
        self.next_lv += len;
    }

    /// The counter lv `lv` has in lv run `run` (which must hold it, or end
    /// where it is), once [`IdTable::order_bulk`] gave the runs counters.
    pub(super) fn counter_at(&self, run: u32, lv: u32) -> u64 {
        let run = &self.by_lv[run as usize];
        run.counter + u64::from(lv - run.lv)
    }

    /// Gives the lv runs of [`IdTable::push_unordered`] their counters and
    /// builds the counter runs, from the runs in counter order as `next`
    /// yields them: each one's index as a delta from the previous one's
    /// (from 0), and how many counters were skipped before it (since 1 for
    /// a replica's first). A replica's runs come in a row, replicas in slot
    /// order. Counters are handed out upwards, so ids are unique by
    /// construction: what is checked is that every run is named once, in
    /// replica order, and that no counter overflows. Linear, where deriving
    /// the order ([`IdTable::finish_bulk`]) sorts.
    /// Built for speed in the WebAssembly module too, so that the column
    /// reads `next` makes inline into its loop: called through the size
    /// build's calls, a run cost more here than the radix sort it replaces.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn order_bulk<E>(
        &mut self,
        mut next: impl FnMut() -> Result<(i64, u64), E>,
        bad: &impl Fn(&'static str) -> E,
    ) -> Result<(), E> {
        let n = self.by_lv.len();
        if let [only] = &mut self.by_counter[..] {
            only.reserve_exact(n);
        } else {
            let mut per_replica = vec![0usize; self.replicas.len()];
            for run in &self.by_lv {
                per_replica[run.replica as usize] += 1;
            }
            for (runs, &k) in self.by_counter.iter_mut().zip(&per_replica) {
                runs.reserve_exact(k);
            }
        }
        let (mut at, mut replica, mut end) = (0usize, u32::MAX, 1u64);
        for _ in 0..n {
            let (delta, gap) = next()?;
            let i = (at as u64).wrapping_add(delta as u64);
            if i >= n as u64 {
                return Err(bad("id run out of range"));
            }
            at = i as usize;
            let next_lv = self.by_lv.get(at + 1).map_or(self.next_lv, |next| next.lv);
            let run = &mut self.by_lv[at];
            // Counters start at 1: a run still at 0 has not been named yet.
            if run.counter != 0 {
                return Err(bad("id run named twice"));
            }
            let (lv, len) = (run.lv, next_lv - run.lv);
            if run.replica != replica {
                if run.replica != replica.wrapping_add(1) {
                    return Err(bad("id runs out of replica order"));
                }
                (replica, end) = (run.replica, 1);
            }
            let counter = end
                .checked_add(gap)
                .ok_or_else(|| bad("span counters overflow"))?;
            end = counter
                .checked_add(u64::from(len))
                .ok_or_else(|| bad("span counters overflow"))?;
            run.counter = counter;
            let runs = &mut self.by_counter[replica as usize];
            match runs.last_mut() {
                Some(prev) if prev.end() == counter && prev.lv + prev.len == lv => {
                    prev.len += len;
                }
                _ => runs.push(CounterRun { counter, lv, len }),
            }
        }
        for index in &mut self.by_counter_index {
            index.give_up();
        }
        Ok(())
    }

    /// The index of `replica` in this table, added if new: a bulk load looks
    /// it up once per run of spans from one replica, not once per span.
    pub(super) fn replica_slot(&mut self, replica: ReplicaId) -> u32 {
        self.replica_idx_or_add(replica)
    }

    /// Derives the counter runs of the lv runs added by [`IdTable::push_bulk`],
    /// sorted and merged. Returns an id used twice, if any.
    pub(super) fn finish_bulk(&mut self) -> Result<(), OpId> {
        #[cfg(not(target_arch = "wasm32"))]
        if self.by_counter.len() == 1 && self.by_lv.len() >= 256 {
            return self.finish_one_replica();
        }
        // Each run ends where the next begins.
        let ends = self.by_lv.iter().skip(1).map(|next| next.lv);
        let runs = self
            .by_lv
            .iter()
            .zip(ends.chain(std::iter::once(self.next_lv)))
            .map(|(run, end)| CounterRun {
                counter: run.counter,
                lv: run.lv,
                len: end - run.lv,
            });
        if let ([only], true) = (&mut self.by_counter[..], cfg!(not(target_arch = "wasm32"))) {
            // One replica (a document typed by one writer): one loop of known
            // length, without finding the replica's list per run (natively:
            // the WebAssembly build takes the general loop, for its size).
            only.extend(runs);
        } else {
            let mut per_replica = vec![0usize; self.replicas.len()];
            for run in &self.by_lv {
                per_replica[run.replica as usize] += 1;
            }
            for (runs, &n) in self.by_counter.iter_mut().zip(&per_replica) {
                runs.reserve_exact(n);
            }
            for (i, run) in self.by_lv.iter().enumerate() {
                let end = self.by_lv.get(i + 1).map_or(self.next_lv, |next| next.lv);
                self.by_counter[run.replica as usize].push(CounterRun {
                    counter: run.counter,
                    lv: run.lv,
                    len: end - run.lv,
                });
            }
        }
        if self.by_lv.capacity() > self.by_lv.len() + self.by_lv.len() / 4 {
            self.by_lv.shrink_to_fit();
        }
        for index in &mut self.by_counter_index {
            index.give_up();
        }
        for (r, runs) in self.by_counter.iter_mut().enumerate() {
            sort_by_counter(runs);
            // Runs that continue the one kept before them are merged into it;
            // one overlapping it is an id used twice.
            if let Some(counter) = merge_runs(runs) {
                return Err(OpId::new(self.replicas[r], counter));
            }
        }
        Ok(())
    }

    /// [`IdTable::finish_bulk`] for one replica's runs, natively: one
    /// counting sort into about one bucket per two runs of counters (the
    /// runs' counters are unique, so a bucket holds a few), each bucket put
    /// in order by insertion, and the buckets kept for [`IdTable::named`].
    /// Against two passes of an 11-bit radix sort, a copy of the runs and a
    /// bucket index built again, this reads the lv runs three times and
    /// writes the counter runs twice. Runs are not merged: two runs continuing
    /// each other in both counter and lv would be next to each other in lv
    /// order, where [`IdTable::push_bulk`] made them one already.
    ///
    /// Not inlined into `Builder::check`,
    /// the one caller: compiled apart, its loops keep their values in
    /// registers (-26k instructions of 940k in the automerge-paper import).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)]
    fn finish_one_replica(&mut self) -> Result<(), OpId> {
        let n = self.by_lv.len();
        let (runs, buckets) = sort_one_replica(&self.by_lv, self.next_lv);
        if let Some(w) = runs.windows(2).find(|w| w[0].end() > w[1].counter) {
            return Err(OpId::new(self.replicas[0], w[1].counter));
        }
        self.by_counter[0] = runs;
        self.bulk_index = Some(buckets);
        if self.by_lv.capacity() > n + n / 4 {
            self.by_lv.shrink_to_fit();
        }
        for index in &mut self.by_counter_index {
            index.give_up();
        }
        Ok(())
    }

    /// Natively, for a bulk load that [`IdTable::finish_bulk`] would finish
    /// with [`IdTable::finish_one_replica`] (one replica, many runs): checks
    /// that no id is used twice and finds the lvs of the `count` ids `named`
    /// gives (into `lvs`, in order), without sorting the runs by counter.
    /// That sort is left until something first looks an id up or adds one of
    /// that replica's (a local edit by another replica needs neither), and it
    /// cannot fail then. The ids are marked in a bitmap of the counters'
    /// range, and the named ones are found from the runs in one pass, through
    /// buckets of their counters.
    ///
    /// Returns `false` having changed nothing where it does not apply (more
    /// than one replica, few runs, counters too sparse for the bitmap) and
    /// where the load is invalid (an id used twice, a named id not found):
    /// [`IdTable::finish_bulk`] then finishes it as before, and reports the
    /// same errors.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)]
    pub(super) fn defer_bulk(
        &mut self,
        named: impl Iterator<Item = OpId> + Clone,
        count: usize,
        lvs: &mut Vec<u32>,
    ) -> bool {
        let by_lv = &self.by_lv;
        let n = by_lv.len();
        let end = self.next_lv;
        let [replica] = self.replicas[..] else {
            return false;
        };
        if n < 256 || self.deferred.is_some() || !self.by_counter[0].is_empty() {
            return false;
        }
        // Each run ends where the next begins.
        let len_of = |i: usize| by_lv.get(i + 1).map_or(end, |next| next.lv) - by_lv[i].lv;
        // One past the highest counter: the end of the run starting highest,
        // since a run ending past its start would share an id with it.
        let (mut top, mut at) = (0, 0);
        for (i, run) in by_lv.iter().enumerate() {
            if run.counter > top {
                (top, at) = (run.counter, i);
            }
        }
        let max_end = top + u64::from(len_of(at));
        // Counters from 0 (a snapshot's start at 1): one bit each, at most
        // four bytes of bitmaps per element, else the sort.
        if max_end > 16 * u64::from(end) + 64 {
            return false;
        }
        // The named ids in `order` by bucket of counters (about one id a
        // bucket): bucket `k`'s count goes to `starts[k + 2]`; summed,
        // `starts[k + 1]` is where bucket `k` begins, the cursor its ids are
        // written at, and is left where bucket `k + 1` begins. Then bucket
        // `k`'s ids are `order[starts[k]..starts[k + 1]]`.
        let bucket_bits = count.max(1).next_power_of_two().trailing_zeros();
        let shift = (u64::BITS - max_end.leading_zeros()).saturating_sub(bucket_bits);
        let mut starts = vec![0u32; (max_end >> shift) as usize + 3];
        // Per 64 counters, a word of the ids seen so far and one of the
        // named ids (a pair more for `mark_runs`' two-pair window).
        let words = (max_end / 64) as usize + 2;
        let mut bits = vec![[0u64; 2]; words];
        for id in named.clone() {
            let c = id.counter;
            if id.replica != replica || c >= max_end {
                return false;
            }
            starts[(c >> shift) as usize + 2] += 1;
            bits[(c / 64) as usize][1] |= 1 << (c % 64);
        }
        let mut sum = 0;
        for slot in starts.iter_mut() {
            sum += *slot;
            *slot = sum;
        }
        let mut order = vec![(0u64, 0u32); count];
        for (i, id) in named.enumerate() {
            let c = id.counter;
            let at = &mut starts[(c >> shift) as usize + 1];
            if let Some(slot) = order.get_mut(*at as usize) {
                *slot = (c, i as u32);
            }
            *at += 1;
        }
        lvs.clear();
        lvs.resize(count, NO_LV);
        let mut found = 0;
        let mut hits = Vec::with_capacity(count);
        if !mark_runs(by_lv, end, &mut bits, &mut hits) {
            return false;
        }
        // The named ids in the runs noted (the runs do not overlap: a named
        // id is found once).
        for &i in &hits {
            let Some(run) = by_lv.get(i as usize) else {
                return false;
            };
            let len = by_lv.get(i as usize + 1).map_or(end, |next| next.lv) - run.lv;
            let (s, e) = (run.counter, run.counter + u64::from(len));
            let (first, last) = ((s >> shift) as usize, ((e - 1) >> shift) as usize + 1);
            let last = last.min(starts.len() - 1);
            let (from, to) = (starts[first] as usize, starts[last] as usize);
            for &(q, k) in order.get(from..to).unwrap_or_default() {
                if s <= q && q < e {
                    lvs[k as usize] = run.lv + (q - s) as u32;
                    found += 1;
                }
            }
        }
        if found != count {
            return false;
        }
        self.deferred = Some(Box::new(Deferred {
            runs: n,
            end,
            used_up_to: max_end,
            sorted: std::sync::OnceLock::new(),
        }));
        if self.by_lv.capacity() > n + n / 4 {
            self.by_lv.shrink_to_fit();
        }
        for index in &mut self.by_counter_index {
            index.give_up();
        }
        true
    }

    /// Replica `r`'s counter runs, those a bulk load deferred derived if
    /// they are its.
    #[inline]
    fn runs_of(&self, r: u32) -> &[CounterRun] {
        let runs = &self.by_counter[r as usize];
        #[cfg(not(target_arch = "wasm32"))]
        if runs.is_empty() {
            if let Some(sorted) = self.deferred_runs(r) {
                return sorted;
            }
        }
        runs
    }

    /// The counter runs a bulk load deferred, if they are replica `r`'s,
    /// derived on the first call.
    #[cfg(not(target_arch = "wasm32"))]
    #[cold]
    #[inline(never)]
    fn deferred_runs(&self, r: u32) -> Option<&[CounterRun]> {
        let d = self.deferred.as_deref().filter(|_| r == 0)?;
        let by_lv = self.by_lv.get(..d.runs)?;
        Some(d.sorted.get_or_init(|| sort_one_replica(by_lv, d.end).0))
    }

    /// Puts the counter runs a bulk load deferred in place, if they are
    /// replica `r`'s: before a run of its is added.
    #[cfg(not(target_arch = "wasm32"))]
    #[cold]
    #[inline(never)]
    fn undefer(&mut self, r: u32) {
        if r != 0 {
            return;
        }
        let Some(d) = self.deferred.take() else {
            return;
        };
        let sorted = match d.sorted.into_inner() {
            Some(sorted) => sorted,
            None => match self.by_lv.get(..d.runs) {
                Some(by_lv) => sort_one_replica(by_lv, d.end).0,
                None => Vec::new(),
            },
        };
        self.by_counter[0] = sorted;
    }

    /// [`IdTable::lv_of`] for a replica with no counter runs: one whose
    /// runs a bulk load deferred, natively.
    #[cold]
    #[inline(never)]
    fn deferred_lv_of(&self, r: u32, id: OpId) -> Option<(u32, u32)> {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(runs) = self.deferred_runs(r) {
            let i = runs.partition_point(|run| run.counter <= id.counter);
            let run = runs.get(i.checked_sub(1)?)?;
            if id.counter >= run.end() {
                return None;
            }
            let off = (id.counter - run.counter) as u32;
            return Some((run.lv + off, run.len - off));
        }
        let _ = (r, id);
        None
    }

    /// The id of element `lv` (which must exist) and how many following lvs continue
    /// its id run.
    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn id_of(&self, lv: u32) -> (OpId, u32) {
        let last = self.by_lv.len() - 1;
        // Natively an earlier run is looked for next to the one a delete
        // found last ([`IdTable::run_near`], out of line), before a binary
        // search: in a document's replay every delete takes counters, so
        // each insert after one starts an lv run (seph-blog1: 7,445), and an
        // origin left of a backspaced character sits in the run the
        // backspace found. The binary search inlined here also made the
        // insert that inlines this compile worse (doc replay seph-blog1
        // -0.83 M instructions, of it -0.17 M the searches).
        #[cfg(not(target_arch = "wasm32"))]
        let i = if self.by_lv[last].lv <= lv {
            last
        } else {
            self.run_near(lv)
        };
        #[cfg(target_arch = "wasm32")]
        let i = if self.by_lv[last].lv <= lv {
            last
        } else {
            self.run_before(lv)
        };
        let run = self.by_lv[i];
        let end = self.by_lv.get(i + 1).map_or(self.next_lv, |next| next.lv);
        let id = OpId::new(
            self.replicas[run.replica as usize],
            run.counter + u64::from(lv - run.lv),
        );
        (id, end - lv)
    }

    /// The index of the lv run holding `lv`, by binary search.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    #[cfg_attr(weft_wasm_speed, inline)]
    fn run_before(&self, lv: u32) -> usize {
        self.by_lv.partition_point(|run| run.lv <= lv) - 1
    }

    /// The lv of `id`, if known, and how many following counters map to following lvs.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn lv_of(&self, id: OpId) -> Option<(u32, u32)> {
        let r = self.replica_idx(id.replica)?;
        let runs = &self.by_counter[r as usize];
        let c = id.counter;
        let Some(last) = runs.last() else {
            return self.deferred_lv_of(r, id);
        };
        let i = if c >= last.counter {
            runs.len()
        } else {
            self.by_counter_index[r as usize]
                .count_up_to(runs[0].counter, c, runs.len(), |i| runs[i].counter)
                .unwrap_or_else(|| runs.partition_point(|run| run.counter <= c))
        };
        let run = runs.get(i.checked_sub(1)?)?;
        if id.counter >= run.end() {
            return None;
        }
        let off = (id.counter - run.counter) as u32;
        Some((run.lv + off, run.len - off))
    }

    /// The lvs of `ids` (`None` for an unknown one), in their order, found
    /// as [`IdTable::lv_named`] finds them.
    #[cfg(test)]
    pub(super) fn lvs_of(&mut self, ids: &[OpId]) -> Vec<Option<u32>> {
        let mut named = self.named(ids.len());
        ids.iter()
            .map(|&id| self.lv_named(&mut named, id))
            .collect()
    }

    /// What [`IdTable::lv_named`] looks `count` ids up with: for the
    /// thousands of origins a snapshot names by id, a bucket index of each
    /// replica's runs (about one bucket per two runs: the one a bulk load of
    /// one replica sorted with, else made on first use), found in a few
    /// steps instead of a binary search over every run; for a few ids,
    /// nothing. Native only: the WebAssembly build looks each up, for its size.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn named(&mut self, count: usize) -> Named {
        let bulk = self.bulk_index.take();
        if count < 64 {
            return Named(Vec::new());
        }
        let mut index: Vec<Option<Buckets>> = vec![None; self.replicas.len()];
        if let (Some(first), Some(bulk)) = (index.first_mut(), bulk) {
            *first = Some(bulk);
        }
        Named(index)
    }

    /// The lv of `id`, if known, through `named` ([`IdTable::named`]).
    /// Inlined into the one loop that calls it thousands of times.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    pub(super) fn lv_named(&self, named: &mut Named, id: OpId) -> Option<u32> {
        if named.0.is_empty() {
            return self.lv_of(id).map(|(lv, _)| lv);
        }
        let r = self.replica_idx(id.replica)? as usize;
        let runs = self.by_counter.get(r)?;
        let buckets = named
            .0
            .get_mut(r)?
            .get_or_insert_with(|| Buckets::new(runs));
        buckets.find(runs, id.counter)
    }

    /// How many of ids `id .. id + len` are known, counting from the first.
    pub(super) fn known_prefix(&self, id: OpId, len: u64) -> u64 {
        let mut known = 0;
        while known < len {
            match self.lv_of(OpId::new(id.replica, id.counter + known)) {
                Some((_, n)) => known += u64::from(n),
                None => break,
            }
        }
        known.min(len)
    }

    /// Whether any of ids `id .. id + len` is known.
    pub(super) fn any_known(&self, id: OpId, len: u64) -> bool {
        let Some(r) = self.replica_idx(id.replica) else {
            return false;
        };
        let runs = self.runs_of(r);
        let end = id.counter + len;
        let i = runs.partition_point(|run| run.end() <= id.counter);
        runs.get(i).is_some_and(|run| run.counter < end)
    }

    /// Calls `f(lv, len)` for the lv runs of ids `id .. id + len`, or returns the
    /// first unknown id (before calling `f` at all).
    pub(super) fn lv_runs(
        &self,
        id: OpId,
        len: u64,
        mut f: impl FnMut(u32, u32),
    ) -> Result<(), OpId> {
        if self.known_prefix(id, len) < len {
            let k = self.known_prefix(id, len);
            return Err(OpId::new(id.replica, id.counter + k));
        }
        let mut done = 0;
        while done < len {
            let (lv, n) = self
                .lv_of(OpId::new(id.replica, id.counter + done))
                .expect("checked above");
            let n = u64::from(n).min(len - done);
            f(lv, n as u32);
            done += n;
        }
        Ok(())
    }

    /// Calls `f(id, len)` for the id runs of lvs `lv .. lv + len`.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(super) fn id_runs(&mut self, mut lv: u32, len: u32, mut f: impl FnMut(OpId, u32)) {
        let end = lv + len;
        while lv < end {
            let i = self.run_near(lv);
            self.near = i;
            let run = self.by_lv[i];
            let run_end = self.by_lv.get(i + 1).map_or(self.next_lv, |next| next.lv);
            let id = OpId::new(
                self.replicas[run.replica as usize],
                run.counter + u64::from(lv - run.lv),
            );
            let n = (run_end - lv).min(end - lv);
            f(id, n);
            lv += n;
        }
    }

    /// The index of the lv run holding `lv`: the one found last or a neighbour
    /// (backspacing or deleting forwards), else by binary search.
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    #[cfg_attr(weft_wasm_speed, inline)]
    fn run_near(&self, lv: u32) -> usize {
        let holds = |i: usize| {
            self.by_lv.get(i).is_some_and(|run| run.lv <= lv)
                && self.by_lv.get(i + 1).is_none_or(|next| lv < next.lv)
        };
        let near = self.near;
        if holds(near) {
            near
        } else if near > 0 && holds(near - 1) {
            near - 1
        } else if holds(near + 1) {
            near + 1
        } else {
            self.run_before(lv)
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.replicas.capacity() * 8
            + self.replica_index.heap_bytes()
            + self.by_lv.capacity() * std::mem::size_of::<LvRun>()
            + self
                .by_counter
                .iter()
                .map(|v| v.capacity() * std::mem::size_of::<CounterRun>() + 24)
                .sum::<usize>()
            + self
                .by_counter_index
                .iter()
                .map(|i| i.heap_bytes() + 32)
                .sum::<usize>()
            + self.deferred_heap_bytes()
    }

    fn deferred_heap_bytes(&self) -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(d) = &self.deferred {
            let sorted = d.sorted.get().map_or(0, Vec::capacity);
            return std::mem::size_of::<Deferred>() + sorted * std::mem::size_of::<CounterRun>();
        }
        0
    }

    /// Checks that both directions agree (slow).
    pub(super) fn check(&self) -> Result<(), String> {
        for w in self.by_lv.windows(2) {
            if w[0].lv >= w[1].lv {
                return Err(format!("lv runs out of order: {w:?}"));
            }
            // Every push extends the last run where it can (a bulk load's
            // decoder tells it so from its own locals): a run continuing
            // the one before it means one of them got it wrong.
            if w[0].replica == w[1].replica
                && w[0].counter + u64::from(w[1].lv - w[0].lv) == w[1].counter
            {
                return Err(format!("lv run continues the one before it: {w:?}"));
            }
        }
        let mut total = 0u64;
        for r in 0..self.by_counter.len() {
            let runs = self.runs_of(r as u32);
            for w in runs.windows(2) {
                if w[0].end() > w[1].counter {
                    return Err(format!("counter runs overlap for replica {r}: {w:?}"));
                }
            }
            for run in runs {
                total += u64::from(run.len);
                for off in [0, run.len - 1] {
                    let (id, _) = self.id_of(run.lv + off);
                    let want = OpId::new(self.replicas[r], run.counter + u64::from(off));
                    if id != want {
                        return Err(format!("lv {} maps to {id:?}, want {want:?}", run.lv + off));
                    }
                }
            }
        }
        if total != u64::from(self.next_lv) {
            return Err(format!(
                "counter runs cover {total} ids, lvs {}",
                self.next_lv
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::IdTable;
    use crate::{OpId, ReplicaId};

    #[test]
    fn lvs_found_together_agree_with_lookups_one_by_one() {
        // Two replicas' runs in a shuffled (document) order, with gaps.
        let mut t = IdTable::default();
        let mut x = 0x2545_f491u32;
        let mut counters = [1u64, 1];
        let mut runs = Vec::new();
        for _ in 0..3_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let r = (x % 2) as usize;
            let len = 1 + (x >> 8) % 9;
            runs.push((OpId::new(ReplicaId(r as u64 + 1), counters[r]), len));
            counters[r] += u64::from(len) + u64::from((x >> 16) % 3);
        }
        for i in (1..runs.len()).rev() {
            runs.swap(i, (i * 7919) % (i + 1));
        }
        for &(id, len) in &runs {
            let r = t.replica_slot(id.replica);
            t.push_bulk(r, id.counter, len);
        }
        t.finish_bulk().unwrap();
        let mut ids = Vec::new();
        for r in 1..=3u64 {
            for c in 0..counters[0].max(counters[1]) + 3 {
                ids.push(OpId::new(ReplicaId(r), c));
            }
        }
        let together = t.lvs_of(&ids);
        let mut found = 0;
        for (id, lv) in ids.iter().zip(&together) {
            assert_eq!(*lv, t.lv_of(*id).map(|(lv, _)| lv), "{id:?}");
            found += usize::from(lv.is_some());
        }
        assert_eq!(found as u32, t.len());
    }
    #[test]
    fn ids_of_lvs_agree_with_the_runs_wherever_the_last_delete_looked() {
        // Local inserts whose counters jump (deletes take counters between
        // them), so each starts an lv run; then every lv's id is looked up
        // after `id_runs` (a delete's lookup) left its hint at each run in
        // turn, near the lv and far from it.
        let replica = ReplicaId(7);
        let mut t = IdTable::default();
        let mut expect = Vec::new();
        let mut x = 0x1234_5678u32;
        let mut counter = 1u64;
        for _ in 0..400 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let len = 1 + x % 5;
            t.push(OpId::new(replica, counter), len);
            expect.extend((0..u64::from(len)).map(|k| OpId::new(replica, counter + k)));
            counter += u64::from(len) + 1 + u64::from((x >> 8) % 3);
        }
        let n = expect.len() as u32;
        for hint in (0..n).step_by(3) {
            t.id_runs(hint, 1, |id, _| assert_eq!(id, expect[hint as usize]));
            for lv in (0..n).step_by(1 + (hint % 7) as usize) {
                let (id, run) = t.id_of(lv);
                assert_eq!(id, expect[lv as usize], "lv {lv}, hint at {hint}");
                let end = (lv + run) as usize;
                assert!(end == expect.len() || expect[end].counter != id.counter + u64::from(run));
                assert_eq!(expect[end - 1].counter, id.counter + u64::from(run) - 1);
            }
        }
    }

    /// Runs of one replica in a shuffled order, `(first id, length, lv)`, with
    /// gaps between some counters and runs that continue each other.
    fn shuffled_runs(replicas: u64) -> Vec<(OpId, u32)> {
        let mut x = 0x9e37_79b9u32;
        let mut counters = vec![1u64; replicas as usize];
        let mut runs = Vec::new();
        for _ in 0..2_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let r = (x as u64 % replicas) as usize;
            let len = 1 + (x >> 8) % 7;
            runs.push((OpId::new(ReplicaId(r as u64 + 1), counters[r]), len));
            counters[r] += u64::from(len) + u64::from((x >> 16) % 2);
        }
        for i in (1..runs.len()).rev() {
            runs.swap(i, (i * 7919) % (i + 1));
        }
        runs
    }

    fn bulk(runs: &[(OpId, u32)]) -> (IdTable, Result<(), OpId>) {
        let mut t = IdTable::default();
        for &(id, len) in runs {
            let r = t.replica_slot(id.replica);
            t.push_bulk(r, id.counter, len);
        }
        let done = t.finish_bulk();
        (t, done)
    }

    #[test]
    fn bulk_runs_map_every_id_to_its_lv() {
        // One replica (its runs made in one loop) and three.
        for replicas in [1, 3] {
            let runs = shuffled_runs(replicas);
            let (t, done) = bulk(&runs);
            done.unwrap();
            t.check().unwrap();
            let mut lv = 0;
            for &(id, len) in &runs {
                for k in 0..len {
                    let id = OpId::new(id.replica, id.counter + u64::from(k));
                    assert_eq!(t.lv_of(id).map(|(lv, _)| lv), Some(lv + k), "{id:?}");
                }
                lv += len;
            }
        }
    }

    #[test]
    fn one_replicas_bulk_buckets_find_every_id() {
        // One replica's runs sorted through buckets kept for `lvs_of`; the
        // second time with a far outlier, which puts nearly every run into
        // one bucket (the insertion sort's bound, then a comparison sort).
        for outlier in [None, Some(1u64 << 50)] {
            let mut runs = shuffled_runs(1);
            if let Some(c) = outlier {
                runs.insert(1_000, (OpId::new(ReplicaId(1), c), 3));
            }
            let (mut t, done) = bulk(&runs);
            done.unwrap();
            t.check().unwrap();
            let mut ids = Vec::new();
            let mut want = Vec::new();
            let mut lv = 0;
            for &(id, len) in &runs {
                for k in [0, len - 1, len] {
                    ids.push(OpId::new(id.replica, id.counter + u64::from(k)));
                    want.push((k < len).then_some(lv + k));
                }
                lv += len;
            }
            ids.push(OpId::new(ReplicaId(1), 0));
            want.push(None);
            let found = t.lvs_of(&ids);
            for ((id, lv), want) in ids.iter().zip(&found).zip(&want) {
                // The id after a run may begin the next one (no gap there).
                if want.is_some() || lv.is_none() {
                    assert_eq!(lv, want, "{id:?}");
                }
                assert_eq!(*lv, t.lv_of(*id).map(|(lv, _)| lv), "{id:?}");
            }
        }
    }

    #[test]
    fn bulk_runs_sharing_an_id_are_refused() {
        for replicas in [1, 3] {
            let mut runs = shuffled_runs(replicas);
            // A run overlapping another's last id, and one repeating a whole run.
            let (id, len) = runs[100];
            runs.insert(
                7,
                (OpId::new(id.replica, id.counter + u64::from(len) - 1), 2),
            );
            assert_eq!(
                bulk(&runs).1,
                Err(OpId::new(id.replica, id.counter + u64::from(len) - 1)),
                "{replicas} replicas"
            );
            let mut runs = shuffled_runs(replicas);
            runs.push(runs[0]);
            assert_eq!(bulk(&runs).1, Err(runs[0].0), "{replicas} replicas");
        }
    }
    /// `mark_runs`' two-word window and its word-by-word path: runs of 1 to
    /// 150 ids (past 64 and across word boundaries) are marked and their
    /// first and last ids found; one id of any run's used again (its first,
    /// its last, which may be in the window's high word, or inside a long
    /// run) or a run overlapping the highest one's end is refused.
    #[test]
    fn deferred_bulk_marks_long_runs_and_runs_across_words() {
        let mut x = 0x2545_f491u32;
        let mut c = 1u64;
        let mut runs = Vec::new();
        for _ in 0..600 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let len = 1 + x % 150;
            runs.push((OpId::new(ReplicaId(1), c), len));
            c += u64::from(len) + u64::from((x >> 12) % 3);
        }
        for i in (1..runs.len()).rev() {
            runs.swap(i, (i * 7919) % (i + 1));
        }
        let load = |runs: &[(OpId, u32)]| {
            let mut t = IdTable::default();
            for &(id, len) in runs {
                let r = t.replica_slot(id.replica);
                t.push_bulk(r, id.counter, len);
            }
            t
        };
        let (eager, done) = bulk(&runs);
        done.unwrap();
        let named: Vec<OpId> = runs
            .iter()
            .flat_map(|&(id, len)| [id, OpId::new(id.replica, id.counter + u64::from(len) - 1)])
            .collect();
        let mut lvs = Vec::new();
        let mut t = load(&runs);
        assert!(t.defer_bulk(named.iter().copied(), named.len(), &mut lvs));
        for (id, lv) in named.iter().zip(&lvs) {
            assert_eq!(Some(*lv), eager.lv_of(*id).map(|(lv, _)| lv), "{id:?}");
        }
        for id in (0..c + 2).map(|c| OpId::new(ReplicaId(1), c)) {
            assert_eq!(t.lv_of(id), eager.lv_of(id), "{id:?}");
        }
        for (k, &(id, len)) in runs.iter().enumerate().step_by(5) {
            for again in [0, len - 1, len / 2] {
                let mut twice = runs.clone();
                let dup = (OpId::new(id.replica, id.counter + u64::from(again)), 1);
                twice.insert((k * 31) % runs.len(), dup);
                assert!(
                    !load(&twice).defer_bulk([].into_iter(), 0, &mut lvs),
                    "{dup:?}"
                );
                let last = twice.len() - 1;
                twice.swap(last, (k * 31) % runs.len());
                assert!(
                    !load(&twice).defer_bulk([].into_iter(), 0, &mut lvs),
                    "{dup:?}"
                );
            }
        }
        let (top, top_len) = *runs.iter().max_by_key(|(id, _)| id.counter).unwrap();
        for (from, len) in [
            (top.counter + u64::from(top_len) - 1, 3),
            (top.counter - 70, 100),
        ] {
            let mut over = runs.clone();
            over.insert(300, (OpId::new(ReplicaId(1), from), len));
            assert!(
                !load(&over).defer_bulk([].into_iter(), 0, &mut lvs),
                "{from} {len}"
            );
        }
    }

    /// A bulk load of one replica checked and its named ids found without
    /// the sort (`defer_bulk`) answers every lookup as the finished table
    /// does, before and after a push makes it sort; an id used twice or a
    /// named id not there leaves it to `finish_bulk`.
    #[test]
    fn deferred_bulk_runs_agree_with_finished_ones() {
        let runs = shuffled_runs(1);
        let (eager, done) = bulk(&runs);
        done.unwrap();
        let load = |runs: &[(OpId, u32)]| {
            let mut t = IdTable::default();
            for &(id, len) in runs {
                let r = t.replica_slot(id.replica);
                t.push_bulk(r, id.counter, len);
            }
            t
        };
        let end = runs
            .iter()
            .map(|(id, len)| id.counter + u64::from(*len))
            .max()
            .unwrap();
        let all: Vec<OpId> = (0..end + 3).map(|c| OpId::new(ReplicaId(1), c)).collect();
        // Named ids: some of every run's, each once or twice.
        let named: Vec<OpId> = runs
            .iter()
            .enumerate()
            .map(|(i, &(id, len))| OpId::new(id.replica, id.counter + (i as u64 % u64::from(len))))
            .chain(runs.iter().step_by(7).map(|&(id, _)| id))
            .collect();
        let mut t = load(&runs);
        let mut lvs = Vec::new();
        assert!(t.defer_bulk(named.iter().copied(), named.len(), &mut lvs));
        assert!(t.deferred.is_some());
        for (id, lv) in named.iter().zip(&lvs) {
            assert_eq!(Some(*lv), eager.lv_of(*id).map(|(lv, _)| lv), "{id:?}");
        }
        let same = |t: &IdTable, eager: &IdTable| {
            t.check().unwrap();
            for &id in &all {
                assert_eq!(t.lv_of(id), eager.lv_of(id), "{id:?}");
                assert_eq!(t.any_known(id, 3), eager.any_known(id, 3), "{id:?}");
            }
            for r in [1, 2] {
                assert_eq!(t.used_up_to(ReplicaId(r)), eager.used_up_to(ReplicaId(r)));
            }
        };
        same(&t, &eager);
        // Another replica's push leaves the runs deferred; the loaded
        // replica's puts them in place.
        let mut eager = eager;
        for (id, len) in [
            (OpId::new(ReplicaId(2), 1), 4),
            (OpId::new(ReplicaId(1), end), 2),
        ] {
            t.push(id, len);
            eager.push(id, len);
            assert_eq!(t.deferred.is_some(), id.replica == ReplicaId(2));
            same(&t, &eager);
        }
        // An id used twice, a named id not there, another replica's.
        let mut twice = runs.clone();
        twice.insert(5, (OpId::new(ReplicaId(1), runs[900].0.counter), 1));
        assert!(load(&runs).defer_bulk([].into_iter(), 0, &mut lvs));
        assert!(!load(&twice).defer_bulk([].into_iter(), 0, &mut lvs));
        let bad = [(1, end), (1, 0), (3, 1)].map(|(r, c)| OpId::new(ReplicaId(r), c));
        for bad in bad {
            let n = named.len() + 1;
            let named = named.iter().copied().chain([bad]);
            assert!(!load(&runs).defer_bulk(named, n, &mut lvs), "{bad:?}");
        }
    }
}
