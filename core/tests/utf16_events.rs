//! Text events counted in UTF-16 code units, as the JavaScript bindings take them.

use weft_core::{Diff, Doc, ReplicaId, TextDelta};

fn text_deltas(doc: &mut Doc) -> Vec<Vec<TextDelta>> {
    doc.take_events()
        .into_iter()
        .filter_map(|e| match e.diff {
            Diff::Text(d) => Some(d),
            _ => None,
        })
        .collect()
}

#[test]
fn local_and_remote_text_events_count_utf16_units() {
    let mut a = Doc::new(ReplicaId(1));
    let mut b = Doc::new(ReplicaId(2));
    let ta = a.text("t").unwrap();
    a.text_insert(&ta, 0, "a🧵b").unwrap();
    b.import(&a.export_changes(b.version())).unwrap();

    a.record_events(true);
    a.set_utf16_events(true);
    b.record_events(true);
    b.set_utf16_events(true);

    // Character index 2 is after the emoji: UTF-16 offset 3.
    a.text_insert(&ta, 2, "é").unwrap();
    // Deleting the emoji (one character) removes two UTF-16 units at offset 1.
    a.text_delete(&ta, 1, 1).unwrap();
    let expected = vec![
        vec![TextDelta::Retain(3), TextDelta::Insert("é".into())],
        vec![TextDelta::Retain(1), TextDelta::Delete(2)],
    ];
    assert_eq!(text_deltas(&mut a), expected);

    b.import(&a.export_changes(b.version())).unwrap();
    assert_eq!(text_deltas(&mut b), expected);
    assert_eq!(b.text_string(&ta), "aéb");
}

#[test]
fn character_counts_stay_the_default() {
    let mut a = Doc::new(ReplicaId(1));
    let ta = a.text("t").unwrap();
    a.text_insert(&ta, 0, "🧵🧵").unwrap();
    a.record_events(true);
    a.text_delete(&ta, 1, 1).unwrap();
    assert_eq!(
        text_deltas(&mut a),
        vec![vec![TextDelta::Retain(1), TextDelta::Delete(1)]]
    );
}

#[test]
fn the_setting_survives_loading_a_snapshot() {
    let mut a = Doc::new(ReplicaId(1));
    let ta = a.text("t").unwrap();
    a.text_insert(&ta, 0, "🧵").unwrap();
    let mut b = Doc::new(ReplicaId(2));
    b.set_utf16_events(true);
    b.record_events(true);
    b.import(&a.export_snapshot()).unwrap();
    b.text_insert(&ta, 1, "x").unwrap();
    let deltas = text_deltas(&mut b);
    assert_eq!(
        deltas.last().unwrap(),
        &vec![TextDelta::Retain(2), TextDelta::Insert("x".into())]
    );
}

#[test]
fn formatting_events_count_utf16_units() {
    let mut a = Doc::new(ReplicaId(1));
    let ta = a.text("t").unwrap();
    a.text_insert(&ta, 0, "a🧵b🧵").unwrap();
    let mut b = Doc::new(ReplicaId(2));
    b.import(&a.export_changes(b.version())).unwrap();
    for d in [&mut a, &mut b] {
        d.record_events(true);
        d.set_utf16_events(true);
    }
    // The emoji and the "b" after it: characters 1..3, UTF-16 units 1..4.
    a.text_mark(&ta, 1, 3, "bold", true).unwrap();
    let bold: weft_core::Attributes = [("bold".into(), weft_core::Value::Bool(true))].into();
    let expected = vec![vec![
        TextDelta::Retain(1),
        TextDelta::Format(3, bold.clone()),
    ]];
    assert_eq!(text_deltas(&mut a), expected);
    b.import(&a.export_changes(b.version())).unwrap();
    assert_eq!(text_deltas(&mut b), expected);
    // Typing at the end of the bold run: the insert carries the mark, at its
    // UTF-16 position.
    a.text_insert(&ta, 3, "!").unwrap();
    assert_eq!(
        text_deltas(&mut a),
        vec![vec![
            TextDelta::Retain(4),
            TextDelta::InsertFormatted("!".into(), bold)
        ]]
    );
}
