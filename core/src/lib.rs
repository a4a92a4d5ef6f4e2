//! # Weft core
//!
//! The engine behind Weft, a local-first sync engine. Every replica of a document
//! holds the whole document, edits it instantly, offline or online, and exchanges
//! bytes with other replicas. Replicas that have seen the same changes hold the same
//! value, whatever order the changes arrived in and however often.
//!
//! ## Documents, fields and containers
//!
//! A [`Doc`] is a root map of named fields. A field holds a JSON-like [`Value`]
//! (last writer wins) or a container: [`Text`](ContainerKind::Text) and
//! [`List`](ContainerKind::List) (Fugue sequences), [`Map`](ContainerKind::Map)
//! (nested LWW map), [`Counter`](ContainerKind::Counter) (PN-counter) and
//! [`Set`](ContainerKind::Set) (add-wins OR-Set). Containers are reached through
//! typed handles ([`TextId`], [`ListId`], [`MapId`], [`CounterId`], [`SetId`]).
//!
//! ```
//! use weft_core::{ContainerKind, Doc, MapId, Number, ReplicaId, Value};
//!
//! let mut doc = Doc::new(ReplicaId(1));
//! doc.set("title", "Groceries");
//! let notes = doc.text("notes")?;              // created on first use
//! doc.text_insert(&notes, 0, "milk, eggs")?;
//! let likes = doc.counter("likes")?;
//! doc.counter_add(&likes, 2)?;
//! let tags = doc.or_set("tags")?;
//! doc.set_add(&tags, "home")?;
//!
//! // Containers nest inside lists and maps.
//! let board = doc.list("board")?;
//! let card = doc.list_insert_container(&board, 0, ContainerKind::Map)?;
//! let card = MapId::from_id(card).expect("a map");
//! doc.map_set(&card, "title", "Write docs")?;
//!
//! assert_eq!(doc.get("title"), Some(&Value::from("Groceries")));
//! assert_eq!(doc.text_string(&notes), "milk, eggs");
//! assert_eq!(doc.counter_value(&likes), Number::Int(2));
//! // A field of one kind cannot be used as another: a typed error says what to do.
//! assert!(doc.list("likes").is_err());
//! # Ok::<(), weft_core::DocError>(())
//! ```
//!
//! ## Changes and sync
//!
//! Local edits apply at once and gather into a pending change, sealed by
//! [`Doc::commit`] or by any export. A [`Change`] is one replica's batch of ops;
//! a [`VersionVector`] says which ops a replica has, so a peer can be sent exactly
//! what it lacks, as [`Change`]s or as bytes.
//!
//! ```
//! use weft_core::{Doc, ReplicaId};
//!
//! let mut alice = Doc::new(ReplicaId(1));
//! let mut bob = Doc::new(ReplicaId(2));
//! let text = alice.text("notes")?;
//! alice.text_insert(&text, 0, "Hello")?;
//!
//! // Bytes over the wire: only what Bob lacks.
//! let update = alice.export_changes(bob.version());
//! bob.import(&update).expect("valid update");
//!
//! // Concurrent edits merge; neither side's text is lost or interleaved.
//! bob.text_insert(&text, 5, " world")?;
//! alice.text_insert(&text, 0, "Oh. ")?;
//! bob.import(&alice.export_changes(bob.version())).unwrap();
//! alice.import(&bob.export_changes(alice.version())).unwrap();
//! assert_eq!(alice.text_string(&text), "Oh. Hello world");
//! assert_eq!(alice.text_string(&text), bob.text_string(&text));
//!
//! // Delivering the same bytes again changes nothing.
//! let again = alice.export_changes(&Default::default());
//! bob.import(&again).unwrap();
//! assert_eq!(alice.text_string(&text), bob.text_string(&text));
//! # Ok::<(), weft_core::DocError>(())
//! ```
//!
//! Changes may arrive in any order: one whose dependencies are missing waits in a
//! causal buffer and is applied as soon as they arrive.
//!
//! ```
//! use weft_core::{Doc, ReplicaId, Value};
//!
//! let mut a = Doc::new(ReplicaId(1));
//! a.set("step", 1);
//! a.commit();
//! a.set("step", 2);
//! let changes = a.changes();
//!
//! let mut b = Doc::new(ReplicaId(2));
//! b.apply_changes(vec![changes[1].clone()]).unwrap(); // too early: buffered
//! assert_eq!(b.buffered_changes(), 1);
//! b.apply_changes(vec![changes[0].clone()]).unwrap(); // both apply now
//! assert_eq!(b.get("step"), Some(&Value::Int(2)));
//! ```
//!
//! ## Time
//!
//! Last-writer-wins fields are ordered by a hybrid logical clock: a write never
//! loses to one it has seen, and otherwise the later wall-clock time wins. Physical
//! time is injected, so tests are deterministic and WebAssembly hosts pass
//! `Date.now()`. A change stamped more than 60 s (configurable) ahead of the local
//! clock is refused whole.
//!
//! ```
//! use std::sync::Arc;
//! use weft_core::clock::FixedClock;
//! use weft_core::{Doc, ImportError, ReplicaId};
//!
//! let future = FixedClock::new(10_000_000);
//! let now = FixedClock::new(1_000);
//! let mut sender = Doc::with_clock(ReplicaId(1), Arc::new(future));
//! let mut receiver = Doc::with_clock(ReplicaId(2), Arc::new(now));
//! sender.set("x", 1);
//! let err = receiver.import(&sender.export_changes(&Default::default())).unwrap_err();
//! assert!(matches!(err, ImportError::ClockDrift(_)));
//! assert!(receiver.is_empty()); // nothing was applied
//! ```
//!
//! ## Events
//!
//! After any local or remote change, callers can take precise diffs instead of
//! re-reading the document.
//!
//! ```
//! use weft_core::{Diff, Doc, ReplicaId, TextDelta};
//!
//! let mut a = Doc::new(ReplicaId(1));
//! let mut b = Doc::new(ReplicaId(2));
//! let text = a.text("t").unwrap();
//! a.text_insert(&text, 0, "hello").unwrap();
//! b.import(&a.export_changes(b.version())).unwrap();
//!
//! b.record_events(true);
//! a.text_delete(&text, 0, 1).unwrap();
//! b.import(&a.export_changes(b.version())).unwrap();
//! let events = b.take_events();
//! assert_eq!(events[0].diff, Diff::Text(vec![TextDelta::Delete(1)]));
//! ```
//!
//! ## Rich text
//!
//! Texts carry Peritext marks: formatting anchored to the characters, so it
//! survives concurrent edits, read back as runs in the shape editors take.
//!
//! ```
//! use weft_core::{Doc, ReplicaId, Value};
//!
//! let mut doc = Doc::new(ReplicaId(1));
//! let t = doc.text("body")?;
//! doc.text_insert(&t, 0, "Hello world")?;
//! doc.text_mark(&t, 0, 5, "bold", true)?;
//! doc.text_mark(&t, 6, 11, "link", "https://example.com")?;
//! doc.text_insert(&t, 5, "!")?; // bold grows at its end; links do not
//! let runs = doc.text_delta(&t);
//! assert_eq!(runs[0].insert, "Hello!");
//! assert_eq!(runs[0].attributes.get("bold"), Some(&Value::Bool(true)));
//! assert_eq!(runs[2].insert, "world");
//! # Ok::<(), weft_core::DocError>(())
//! ```
//!
//! ## Encoding
//!
//! Three payloads, one envelope (layout: `docs/encoding.md`): updates
//! ([`Doc::export_changes`]), whole documents with history
//! ([`Doc::export_snapshot`]) and state-only snapshots ([`Doc::export_state`]). All
//! are versioned, checksummed, columnar and run-length encoded. [`Doc::import`]
//! takes any of them; [`encoding::decode_changes`] decodes changes alone.
//!
//! ```
//! use weft_core::{Doc, ReplicaId};
//!
//! let mut doc = Doc::new(ReplicaId(1));
//! let text = doc.text("essay").unwrap();
//! doc.text_insert(&text, 0, &"All work and no play. ".repeat(100)).unwrap();
//! let snapshot = doc.export_snapshot();
//! assert!(snapshot.len() < 200, "history costs almost nothing: {}", snapshot.len());
//!
//! let mut copy = Doc::new(ReplicaId(2));
//! copy.import(&snapshot).unwrap();
//! assert_eq!(copy.text_string(&text), doc.text_string(&text));
//! ```
//!
//! Decoding treats its input as hostile: it never panics, never allocates more than
//! a bound derived from the input length, and leaves the document unchanged when it
//! fails (see [`DecodeError`]).
#![warn(missing_docs)]
#![forbid(unsafe_code)]
// The WebAssembly module is built for size (opt-level "z"); its hot paths are
// marked `optimize(speed)` so that they alone are built for speed. The attribute
// is unstable: scripts/build-wasm.sh sets `weft_wasm_speed` only for its
// -Zbuild-std build (RUSTC_BOOTSTRAP), so native and stable builds never see it.
#![cfg_attr(weft_wasm_speed, feature(optimize_attribute))]
// A keystroke's byte appended to an op's text without a call (`doc/local.rs`).
#![cfg_attr(weft_wasm_speed, feature(ascii_char, extend_one))]

pub mod change;
pub mod clock;
pub mod cursor;
mod doc;
pub mod encoding;
mod hash;
mod id;
mod id_text;
pub mod seq;
mod start_index;
mod value;
mod vecmap;
pub use vecmap::VecMap;

pub use change::Change;
pub use clock::{Hlc, VersionVector};
pub use cursor::{Anchor, Cursor, Gravity};
pub use doc::{
    Attributes, Caret, CausalityError, DeltaRun, Diff, Doc, DocError, Event, Expand, FieldValue,
    ImportError, ImportReport, ListDelta, TextDelta, UndoOutcome,
};
pub use encoding::DecodeError;
pub use id::{
    ContainerId, ContainerKind, CounterId, ListId, MapId, OpId, ReplicaId, SetId, TextId,
};
pub use value::{Number, Value};

/// The crate's version, as bindings report it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
