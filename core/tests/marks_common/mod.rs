//! Helpers shared by the rich-text tests.
#![allow(dead_code)]

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{DeltaRun, Doc, ReplicaId, TextId, Value};

/// A replica on a fixed clock, so stamps (and so LWW outcomes) are deterministic.
pub fn replica(id: u64) -> Doc {
    Doc::with_clock(ReplicaId(id), Arc::new(FixedClock::new(1_000)))
}

/// Sends `from` everything `to` lacks, as bytes.
pub fn send(from: &mut Doc, to: &mut Doc) {
    let bytes = from.export_changes(to.version());
    to.import(&bytes).expect("valid update");
}

/// Both ways.
pub fn sync(a: &mut Doc, b: &mut Doc) {
    send(a, b);
    send(b, a);
}

fn value(v: &Value) -> String {
    match v {
        Value::Bool(true) => String::new(),
        Value::Str(s) => format!("={s}"),
        Value::Array(ids) => {
            let ids: Vec<String> = ids.iter().map(|i| value(i)[1..].to_owned()).collect();
            format!("={}", ids.join("+"))
        }
        other => format!("={other:?}"),
    }
}

/// The delta as a compact string: plain runs as they are, formatted ones as
/// `[text]{mark,mark=value}`.
pub fn render_runs(runs: &[DeltaRun]) -> String {
    let mut out = String::new();
    for r in runs {
        if r.attributes.is_empty() {
            out.push_str(&r.insert);
        } else {
            let marks: Vec<String> = r
                .attributes
                .iter()
                .map(|(k, v)| format!("{k}{}", value(v)))
                .collect();
            out.push_str(&format!("[{}]{{{}}}", r.insert, marks.join(",")));
        }
    }
    out
}

/// [`render_runs`] of a text.
pub fn render(doc: &Doc, text: &TextId) -> String {
    render_runs(&doc.text_delta(text))
}

/// Two replicas sharing `content` in text "t".
pub fn pair(content: &str) -> (Doc, Doc, TextId) {
    let mut a = replica(1);
    let mut b = replica(2);
    let t = a.text("t").unwrap();
    a.text_insert(&t, 0, content).unwrap();
    sync(&mut a, &mut b);
    (a, b, t)
}
