//! Applying a remote batch finds each op's container by the id the op names,
//! remembering the one found last by that very id (`State::get_mut`): ops
//! alternating between containers, within one change and across imports
//! whose tables hold their own copies of the names, land where they were made.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Doc, ReplicaId};

fn doc(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000)))
}

fn texts(d: &mut Doc) -> Vec<String> {
    ["a", "b", "c"]
        .into_iter()
        .map(|k| {
            let t = d.text(k).unwrap();
            d.text_string(&t)
        })
        .collect()
}

#[test]
fn ops_alternating_between_texts_land_in_their_own() {
    let mut base = doc(1);
    for k in ["a", "b", "c"] {
        base.text(k).unwrap();
    }
    base.commit();
    let snapshot = base.export_snapshot();
    let mut writer = doc(2);
    writer.import(&snapshot).unwrap();
    let mut reader = doc(3);
    reader.import(&snapshot).unwrap();
    let [a, b, c] = ["a", "b", "c"].map(|k| writer.text(k).unwrap());
    for round in 0..3 {
        let since = writer.version().clone();
        // One change whose ops switch container at every op, runs of one
        // between runs of several.
        for i in 0..40usize {
            let (t, s) = match (i + round) % 5 {
                0 => (&a, "a"),
                1 | 2 => (&b, "b"),
                3 => (&c, "c"),
                _ => (&a, "A"),
            };
            let len = writer.text_string(t).chars().count();
            writer.text_insert(t, (i * 7) % (len + 1), s).unwrap();
            if i % 9 == 8 {
                writer.text_delete(&b, 0, 1).unwrap();
            }
        }
        writer.commit();
        // Each update is decoded with its own table, its own copy of each name.
        reader.import(&writer.export_changes(&since)).unwrap();
        assert_eq!(texts(&mut reader), texts(&mut writer), "round {round}");
    }
    // The reader's own edits after the imports still find their texts.
    let rb = reader.text("b").unwrap();
    reader.text_insert(&rb, 0, "!").unwrap();
    let mut want = texts(&mut writer);
    want[1].insert(0, '!');
    assert_eq!(texts(&mut reader), want);
}
