//! Every error's message, word for word. JavaScript callers see these as
//! `Error.message`, and the messages are the documentation of what to do next,
//! so a change to any of them (a template edited, an id or a name written
//! differently) should be a deliberate one that shows up here.

use weft_core::clock::ClockDriftError;
use weft_core::seq::SeqError;
use weft_core::{
    CausalityError, ContainerId, ContainerKind, DecodeError, DocError, ImportError, OpId, ReplicaId,
};

fn op(counter: u64, replica: u64) -> OpId {
    OpId::new(ReplicaId(replica), counter)
}

fn named(name: &str, kind: ContainerKind) -> ContainerId {
    ContainerId::Named {
        name: name.into(),
        kind,
    }
}

fn created(counter: u64, replica: u64, kind: ContainerKind) -> ContainerId {
    ContainerId::Created {
        id: op(counter, replica),
        kind,
    }
}

fn all() -> Vec<String> {
    let a = op(7, 0xab);
    let b = op(u64::MAX, u64::MAX);
    let c = op(0, 0x0123_4567_89ab_cdef);
    let text = named(
        "notes \"q\" \\ \n\r\t\0\u{1}\u{7f}\u{9f} é 😀",
        ContainerKind::Text,
    );
    let list = created(12, 0xff, ContainerKind::List);
    let mut out = vec![
        DocError::TypeMismatch {
            key: "a\"b".into(),
            expected: ContainerKind::Counter,
            found: "value",
        }
        .to_string(),
        DocError::IndexOutOfRange {
            index: 10,
            len: 3,
            kind: ContainerKind::Text,
        }
        .to_string(),
        DocError::Sequence("x".into()).to_string(),
        DocError::UnknownContainer(ContainerId::Root).to_string(),
        DocError::UnknownContainer(text.clone()).to_string(),
        DocError::UnknownContainer(list.clone()).to_string(),
        DocError::InvalidMark {
            name: "bold".into(),
            reason: "why",
        }
        .to_string(),
        DocError::UnknownAnchor {
            container: list.clone(),
            anchor: a,
        }
        .to_string(),
        DocError::NotASequence(named("m", ContainerKind::Map)).to_string(),
        CausalityError::BadTarget {
            replica: ReplicaId(1),
            counter: 0,
            target: list.clone(),
        }
        .to_string(),
        CausalityError::UnknownElement {
            op: a,
            element: b,
            target: text.clone(),
        }
        .to_string(),
        CausalityError::OriginsOutOfOrder {
            op: a,
            left: b,
            right: c,
            target: list.clone(),
        }
        .to_string(),
        CausalityError::EmptyOp {
            op: c,
            target: named("s", ContainerKind::Set),
        }
        .to_string(),
        CausalityError::BadCounter {
            replica: ReplicaId(u64::MAX),
            start: 0,
        }
        .to_string(),
        ImportError::StateIntoNonEmpty.to_string(),
        ImportError::ClockDrift(ClockDriftError {
            replica: ReplicaId(2),
            ahead_ms: 60_001,
            max_drift_ms: 60_000,
        })
        .to_string(),
        ImportError::Causality(CausalityError::BadCounter {
            replica: ReplicaId(3),
            start: 1,
        })
        .to_string(),
        ImportError::Decode(DecodeError::BadMagic).to_string(),
    ];
    let decode = [
        DecodeError::BadMagic,
        DecodeError::UnsupportedVersion(255),
        DecodeError::UnexpectedKind(0),
        DecodeError::UnexpectedEnd { offset: 1234567 },
        DecodeError::BadVarint { offset: 0 },
        DecodeError::BadUtf8 { offset: 9 },
        DecodeError::UnknownTag {
            tag: 200,
            offset: 10,
        },
        DecodeError::LengthTooLarge {
            claimed: u64::MAX,
            offset: usize::MAX,
        },
        DecodeError::TooDeep(64),
        DecodeError::ChecksumMismatch {
            stored: 0xdead_beef,
            computed: 0x1f,
        },
        DecodeError::Corrupt {
            offset: 3,
            what: "what",
        },
        DecodeError::TooLarge { limit: 1 << 30 },
        DecodeError::TrailingBytes(2),
    ];
    out.extend(decode.iter().map(|e| e.to_string()));
    let seq = [
        SeqError::IndexOutOfRange { index: 5, len: 4 },
        SeqError::RangeOutOfRange {
            start: 1,
            end: 9,
            len: 4,
        },
        SeqError::Utf16OutOfRange { index: 8, len: 7 },
        SeqError::UnknownOrigin(a),
        SeqError::UnknownId(b),
        SeqError::EmptyContent,
        SeqError::IdNotFresh {
            id: c,
            used_up_to: 99,
        },
        SeqError::InconsistentOp(a),
        SeqError::OriginsOutOfOrder {
            id: a,
            left: b,
            right: c,
        },
        SeqError::CounterOverflow { id: b, len: 3 },
        SeqError::TooLarge {
            max: u32::MAX as usize,
        },
        SeqError::InvalidSpan {
            id: c,
            reason: "reason",
        },
    ];
    out.extend(seq.iter().map(|e| e.to_string()));
    out.push(
        ClockDriftError {
            replica: ReplicaId(0),
            ahead_ms: 0,
            max_drift_ms: u64::MAX,
        }
        .to_string(),
    );
    out.push(a.to_string());
    out.push(ReplicaId(0x1).to_string());
    out.push(format!("{:?}", ReplicaId(0x1)));
    out.push(list.to_string());
    out.push(text.to_string());
    out.push(list.to_id_string());
    out.push(created(0, u64::MAX, ContainerKind::Counter).to_id_string());
    out
}

/// Printed by `all()` under the `thiserror` templates (on 6d25985), then pasted.
const EXPECTED: &[&str] = &[
    "field \"a\\\"b\" is a value, not a Counter: use it as a value, or delete the field before creating a Counter there",
    "index 10 is out of range for a Text of length 3: use an index in 0..=3",
    "sequence edit refused: x",
    "root does not exist in this document: get handles from this document, or sync first",
    "Text \"notes \\\"q\\\" \\\\ \\n\\r\\t\\0\\u{1}\\u{7f}\\u{9f} é 😀\" does not exist in this document: get handles from this document, or sync first",
    "List 12@00000000000000ff does not exist in this document: get handles from this document, or sync first",
    "mark \"bold\" refused: why",
    "the cursor is anchored to element 7@00000000000000ab of List 12@00000000000000ff, which this replica has not received yet: sync first, then resolve the cursor again",
    "Map \"m\" is not a text or list: cursors point into texts and lists only",
    "change 0@0000000000000001 targets List 12@00000000000000ff, which its dependencies do not create: the change is corrupt; re-sync from a trusted peer",
    "op 7@00000000000000ab refers to element 18446744073709551615@ffffffffffffffff that Text \"notes \\\"q\\\" \\\\ \\n\\r\\t\\0\\u{1}\\u{7f}\\u{9f} é 😀\" does not hold: the change is corrupt; re-sync from a trusted peer",
    "op 7@00000000000000ab inserts into List 12@00000000000000ff between 18446744073709551615@ffffffffffffffff and 0@0123456789abcdef, but the first does not come before the second: the change is corrupt or forged; re-sync from a trusted peer",
    "op 0@0123456789abcdef inserts or deletes nothing in Set \"s\": the change is corrupt; re-sync from a trusted peer",
    "change from replica ffffffffffffffff starts at counter 0: counters start at 1; the change is corrupt",
    "a state-only snapshot loads only into an empty document: import it into a new Doc, or export a snapshot with history (Doc::export_snapshot) to merge",
    "change from replica 0000000000000002 is stamped 60001 ms ahead of this replica's clock (at most 60000 ms allowed): nothing was applied; fix the sender's clock and re-sync",
    "change from replica 0000000000000003 starts at counter 1: counters start at 1; the change is corrupt",
    "not Weft data: the bytes do not start with the magic number \"WEFT\"",
    "not Weft data: the bytes do not start with the magic number \"WEFT\"",
    "unsupported encoding version 255: upgrade Weft to read these bytes",
    "unexpected payload kind 0: pass these bytes to the matching import call",
    "input ended early at byte 1234567: the data was truncated",
    "malformed varint at byte 0: the data is corrupt",
    "invalid UTF-8 in a string at byte 9: the data is corrupt",
    "unknown tag 200 at byte 10: the data is corrupt or from a newer Weft",
    "a length of 18446744073709551615 at byte 18446744073709551615 exceeds the input: the data is corrupt",
    "values nested deeper than 64 levels: refusing to decode",
    "checksum mismatch (stored deadbeef, computed 0000001f): the data was corrupted in transit or storage",
    "corrupt data at byte 3: what",
    "compressed section expands beyond 1073741824 bytes: refusing to decode",
    "2 unexpected bytes after the end of the payload: the data is corrupt",
    "index 5 is out of range: the sequence has 4 visible elements (valid: 0..=4)",
    "range 1..9 is out of range: the sequence has 4 visible elements",
    "UTF-16 offset 8 is out of range: the text has 7 UTF-16 code units",
    "origin 7@00000000000000ab is unknown here: apply the op that inserted it first (ops must arrive in causal order)",
    "op id 18446744073709551615@ffffffffffffffff is unknown here: apply the insert that created it first",
    "nothing to insert: the content is empty",
    "op id 0@0123456789abcdef is not fresh: replica's counters already reach 99; local ops need a counter above every one this replica has used",
    "insert op starting at 7@00000000000000ab contradicts what this replica has seen: some of its ids are already used by other elements",
    "insert op starting at 7@00000000000000ab cannot be placed: its left origin 18446744073709551615@ffffffffffffffff does not come before its right origin 0@0123456789abcdef; the op is corrupt or forged",
    "counter overflow: a run of 3 ids starting at 18446744073709551615@ffffffffffffffff does not fit in 64 bits",
    "sequence too large: at most 4294967295 elements (tombstones included) are supported",
    "invalid span starting at 0@0123456789abcdef: reason",
    "change from replica 0000000000000000 is stamped 0 ms ahead of this replica's clock (at most 18446744073709551615 ms allowed): nothing was applied; fix the sender's clock and re-sync",
    "7@00000000000000ab",
    "0000000000000001",
    "0000000000000001",
    "List 12@00000000000000ff",
    "Text \"notes \\\"q\\\" \\\\ \\n\\r\\t\\0\\u{1}\\u{7f}\\u{9f} é 😀\"",
    "list#12@00000000000000ff",
    "counter#0@ffffffffffffffff",
];

#[test]
fn every_message_is_unchanged() {
    let got = all();
    assert_eq!(got.len(), EXPECTED.len());
    for (g, e) in got.iter().zip(EXPECTED) {
        assert_eq!(g, e);
    }
}
