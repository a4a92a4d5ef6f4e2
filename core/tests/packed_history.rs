//! A snapshot keeps its history in a byte block of its own, after the state's:
//! loading leaves it packed (only its framing is checked, the checksum covers
//! its bytes) and inflates it when the history is first needed.

#[allow(dead_code)]
mod common;

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::encoding::{decode_changes, DecodeError};
use weft_core::{Doc, ImportError, ReplicaId};

fn clocked(replica: u64) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(FixedClock::new(1_000_000)))
}

/// A document with enough history that its block is deflated.
fn sample() -> Doc {
    let mut a = clocked(1);
    let t = a.text("t").unwrap();
    for i in 0..200 {
        a.text_insert(&t, i * 3 % (i + 1), "abc").unwrap();
        a.commit();
    }
    a.text_delete(&t, 10, 40).unwrap();
    a.commit();
    a
}

use common::{put_uvarint, read_uvarint as uvarint};

/// Steps over a byte block (raw, deflated or split).
fn skip_block(bytes: &[u8], at: &mut usize) {
    let tag = bytes[*at];
    *at += 1;
    if tag != 0 {
        // The (head's) inflated length.
        uvarint(bytes, at);
    }
    let len = uvarint(bytes, at) as usize;
    *at += len;
    if tag == 2 {
        let rest = uvarint(bytes, at) as usize;
        *at += rest;
    }
}

/// Splits a snapshot's body into the state's byte and text blocks, the
/// history's change count and the history's byte block.
fn parts(snapshot: &[u8]) -> (Vec<u8>, u64, Vec<u8>) {
    let body = &snapshot[10..];
    let mut at = 0;
    skip_block(body, &mut at);
    skip_block(body, &mut at);
    let state = body[..at].to_vec();
    let count = uvarint(body, &mut at);
    (state, count, body[at..].to_vec())
}

/// A snapshot with these parts and a valid checksum.
fn sealed(snapshot: &[u8], state: &[u8], count: u64, history: &[u8]) -> Vec<u8> {
    let mut body = state.to_vec();
    put_uvarint(&mut body, count);
    body.extend_from_slice(history);
    let mut out = snapshot[..6].to_vec();
    out.extend_from_slice(&common::crc(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

#[test]
fn the_history_block_is_deflated_apart_and_round_trips() {
    let mut a = sample();
    let snapshot = a.export_snapshot();
    let (_, count, history) = parts(&snapshot);
    assert_eq!(count, a.changes().len() as u64);
    assert_eq!(history[0], 1, "the history block is deflated on its own");
    assert_eq!(
        sealed(&snapshot, &parts(&snapshot).0, count, &history),
        snapshot
    );
    let mut b = clocked(2);
    assert_eq!(b.import(&snapshot).unwrap().applied, a.changes().len());
    assert_eq!(b.load_history(), Ok(()));
    assert_eq!(b.changes(), decode_changes(&snapshot).unwrap());
}

#[test]
fn loading_leaves_the_history_packed() {
    let mut a = sample();
    let snapshot = a.export_snapshot();
    let (state, count, history) = parts(&snapshot);
    // A history block whose stream is garbage, framed correctly and checksummed:
    // only decoding the history can tell.
    let mut broken = vec![1u8];
    let inflated = uvarint(&history, &mut 1);
    put_uvarint(&mut broken, inflated);
    put_uvarint(&mut broken, 8);
    broken.extend_from_slice(&[0xff; 8]);
    let forged = sealed(&snapshot, &state, count, &broken);
    let mut b = clocked(2);
    b.import(&forged).unwrap();
    assert_eq!(b.to_value(), a.to_value());
    assert!(matches!(b.load_history(), Err(ImportError::Decode(_))));
    // Dropped once reported: the state stays, and editing goes on.
    assert_eq!(b.load_history(), Ok(()));
    assert_eq!(b.to_value(), a.to_value());
    let t = b.text("t").unwrap();
    b.text_insert(&t, 0, "x").unwrap();
    // Decoding the whole payload at once reports it too.
    assert!(decode_changes(&forged).is_err());
}

#[test]
fn a_forged_change_count_is_refused_when_the_history_is_read() {
    let mut a = sample();
    let snapshot = a.export_snapshot();
    let (state, count, history) = parts(&snapshot);
    let forged = sealed(&snapshot, &state, count + 1, &history);
    let mut b = clocked(2);
    assert_eq!(b.import(&forged).unwrap().applied, a.changes().len() + 1);
    assert!(matches!(
        b.load_history(),
        Err(ImportError::Decode(DecodeError::Corrupt { .. }))
    ));
    assert!(decode_changes(&forged).is_err());
    // A count beyond what the block could hold is refused at once.
    let forged = sealed(&snapshot, &state, u64::MAX >> 1, &history);
    assert!(matches!(
        clocked(2).import(&forged),
        Err(ImportError::Decode(DecodeError::LengthTooLarge { .. }))
    ));
    // Bytes after the history block are refused.
    let mut longer = history.clone();
    longer.push(0);
    assert!(matches!(
        clocked(2).import(&sealed(&snapshot, &state, count, &longer)),
        Err(ImportError::Decode(DecodeError::TrailingBytes(1)))
    ));
}
