//! An imported update whose changes apply as they are is kept in the change log
//! as received, instead of its changes being encoded again. The log must then
//! serve exactly the history it would have served otherwise: every change once,
//! in an order peers can apply, whole or from any version on; and it must go on
//! taking local and remote changes after that block.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::encoding::decode_changes;
use weft_core::{Change, Doc, ReplicaId, VersionVector};

/// A small PRNG (xorshift), so the edits are the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// `commits` commits of `per` random single-character edits on text "t".
fn edit(d: &mut Doc, rng: &mut Rng, commits: usize, per: usize) {
    let t = d.text("t").unwrap();
    for _ in 0..commits {
        for _ in 0..per {
            let len = d.text_len(&t);
            if len == 0 || rng.below(10) < 7 {
                let ch = char::from(b'a' + rng.below(26) as u8);
                d.text_insert(&t, rng.below(len + 1), ch.encode_utf8(&mut [0; 4]))
                    .unwrap();
            } else {
                d.text_delete(&t, rng.below(len), 1).unwrap();
            }
        }
        d.commit();
    }
}

fn doc(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000)))
}

/// Two replicas forked from one empty text, each with its own edits.
fn fork(seed: u64) -> (Doc, Doc) {
    let mut base = doc(1);
    base.text("t").unwrap();
    let bytes = base.export_snapshot();
    let (mut left, mut right) = (doc(2), doc(3));
    left.import(&bytes).unwrap();
    right.import(&bytes).unwrap();
    let mut rng = Rng(seed);
    edit(&mut left, &mut rng, 12, 30);
    edit(&mut right, &mut rng, 12, 30);
    (left, right)
}

fn text(d: &mut Doc) -> String {
    let t = d.text("t").unwrap();
    d.text_string(&t)
}

/// The changes `d` would send a peer at `since`, as ids: (replica, first, last).
fn served(d: &mut Doc, since: &VersionVector) -> Vec<(ReplicaId, u64, u64)> {
    let changes: Vec<Change> = decode_changes(&d.export_changes(since)).unwrap();
    changes
        .iter()
        .map(|c| (c.replica, c.start, c.last()))
        .collect()
}

/// Every counter of every replica in `changes` once, and each change's
/// dependencies before it.
fn assert_once_in_order(changes: &[(ReplicaId, u64, u64)], since: &VersionVector) {
    let mut version = since.clone();
    for &(r, start, last) in changes {
        assert_eq!(
            start,
            version.get(r) + 1,
            "{r}'s change from {start} does not follow on from {}",
            version.get(r)
        );
        version.advance(r, last);
    }
}

/// The same history, whether the update was kept as received (`import`) or its
/// decoded changes encoded again (`apply_changes`): served whole, and from
/// versions in the middle of it, to peers who then converge.
#[test]
fn a_kept_update_serves_the_same_history() {
    for seed in [0x2545_f491, 0x9e37_79b9, 7] {
        let (mut left, mut right) = fork(seed);
        let mut twin = right.clone();
        let update = left.export_changes(right.version());
        let report = right.import(&update).unwrap();
        assert_eq!(report.duplicates, 0);
        twin.apply_changes(decode_changes(&update).unwrap())
            .unwrap();
        assert_eq!(text(&mut right), text(&mut twin));

        let mut versions = vec![VersionVector::default()];
        // Peers part-way through left's history, and right's.
        let left_changes = decode_changes(&left.export_changes(&Default::default())).unwrap();
        for c in left_changes.iter().step_by(5) {
            let mut v = VersionVector::default();
            v.advance(c.replica, c.last());
            versions.push(v);
        }
        for since in &versions {
            let kept = served(&mut right, since);
            assert_eq!(kept, served(&mut twin, since), "since {since:?}");
            assert_once_in_order(&kept, since);
        }
        // A peer that knew nothing converges through the log alone.
        let mut peer = doc(9);
        peer.import(&right.export_changes(&Default::default()))
            .unwrap();
        assert_eq!(text(&mut peer), text(&mut right));
        right.check_invariants().unwrap();
    }
}

/// After the kept block the log goes on: local typing, then more of the
/// same peer's changes (which would have merged into its last change, had
/// that still been open), then a round trip through a snapshot.
#[test]
fn the_log_goes_on_after_a_kept_update() {
    let (mut left, mut right) = fork(11);
    right.import(&left.export_changes(right.version())).unwrap();
    let mut rng = Rng(99);
    edit(&mut right, &mut rng, 2, 5);
    edit(&mut left, &mut rng, 3, 7);
    right.import(&left.export_changes(right.version())).unwrap();
    left.import(&right.export_changes(left.version())).unwrap();
    assert_eq!(text(&mut left), text(&mut right));
    let whole = served(&mut right, &Default::default());
    assert_once_in_order(&whole, &Default::default());
    let mut loaded = doc(5);
    loaded.import(&right.export_snapshot()).unwrap();
    assert_eq!(text(&mut loaded), text(&mut right));
    let mut peer = doc(6);
    peer.import(&loaded.export_changes(&Default::default()))
        .unwrap();
    assert_eq!(text(&mut peer), text(&mut right));
    right.check_invariants().unwrap();
}

/// Updates that do not apply as they are: one holding changes already here
/// (some whole, one in part), and one that continues the change a previous
/// batch left open in the log. Neither may leave a change twice in the log.
#[test]
fn updates_not_taken_as_they_are_keep_the_log_exact() {
    let (mut left, mut right) = fork(23);
    let all = decode_changes(&left.export_changes(right.version())).unwrap();
    // Half of left's changes first, through `apply_changes` (encoded again,
    // the last left open in the log)...
    let half = all.len() / 2;
    right.apply_changes(all[..half].to_vec()).unwrap();
    // ...then an update of every change from the start: the first half are
    // duplicates.
    let report = right
        .import(&left.export_changes(&Default::default()))
        .unwrap();
    assert_eq!(report.applied, all.len() - half);
    let whole = served(&mut right, &Default::default());
    assert_once_in_order(&whole, &Default::default());

    // The rest of a change known in part: left's two commits of typing
    // become one change in its log, of which right has the first commit.
    let (mut left, mut right) = fork(31);
    let v = right.version().clone();
    right.import(&left.export_changes(&v)).unwrap();
    let t = left.text("t").unwrap();
    left.text_insert(&t, 0, "abc").unwrap();
    left.commit();
    right.import(&left.export_changes(right.version())).unwrap();
    left.text_insert(&t, 1, "def").unwrap();
    left.commit();
    let report = right.import(&left.export_changes(&v)).unwrap();
    assert_eq!(report.applied, 1);
    let mut peer = doc(9);
    peer.import(&right.export_changes(&Default::default()))
        .unwrap();
    assert_eq!(text(&mut peer), text(&mut right));
    let whole = served(&mut right, &Default::default());
    assert_once_in_order(&whole, &Default::default());
    right.check_invariants().unwrap();
}
