//! The document's shortcuts for local editing (the container found last reached
//! without hashing, a typing session extending the log's last change between
//! commits) give the same texts and the same history as a replica that receives
//! every change: checked against plain strings after every commit, with edits
//! moving between containers, LWW writes and remote changes cutting sessions.

use std::sync::Arc;

use weft_core::clock::FixedClock;
use weft_core::{Doc, ListId, ReplicaId, TextId};

fn doc(replica: u64, clock: &FixedClock) -> Doc {
    Doc::with_clock(ReplicaId(replica), Arc::new(clock.clone()))
}

struct Typist {
    doc: Doc,
    texts: Vec<(TextId, String)>,
    list: (ListId, Vec<i64>),
}

impl Typist {
    fn new(replica: u64, clock: &FixedClock) -> Self {
        let mut doc = doc(replica, clock);
        let texts = ["a", "b", "c"]
            .iter()
            .map(|k| (doc.text(k).unwrap(), String::new()))
            .collect();
        let list = (doc.list("l").unwrap(), Vec::new());
        Self { doc, texts, list }
    }

    /// One keystroke into text `t` at character `at` (`None` deletes there).
    fn key(&mut self, t: usize, at: usize, c: Option<char>) {
        let (id, model) = &mut self.texts[t];
        let byte = |m: &String, i: usize| m.char_indices().nth(i).map_or(m.len(), |(b, _)| b);
        match c {
            Some(c) => {
                self.doc.text_insert(id, at, &c.to_string()).unwrap();
                let b = byte(model, at);
                model.insert(b, c);
            }
            None => {
                self.doc.text_delete(id, at, 1).unwrap();
                let b = byte(model, at);
                model.remove(b);
            }
        }
        self.doc.commit();
        self.check();
    }

    fn check(&self) {
        for (id, model) in &self.texts {
            assert_eq!(&self.doc.text_string(id), model);
        }
        let (list, values) = &self.list;
        assert_eq!(self.doc.list_len(list), values.len());
    }

    fn check_copy(&mut self) {
        // A replica rebuilt from the history alone holds the same texts.
        let mut copy = Doc::new(ReplicaId(999));
        copy.apply_changes(self.doc.changes()).unwrap();
        for (id, model) in &self.texts {
            assert_eq!(&copy.text_string(id), model);
        }
        assert_eq!(copy.to_value(), self.doc.to_value());
    }
}

#[test]
fn typing_that_moves_between_containers_and_sessions_keeps_texts_and_history() {
    let clock = FixedClock::new(1_000);
    let mut a = Typist::new(1, &clock);
    let mut b = Typist::new(2, &clock);
    let word: Vec<char> = "typé😀 on".chars().collect();
    for round in 0..30usize {
        let t = round % 3;
        let len = a.texts[t].1.chars().count();
        let at = (round * 7) % (len + 1);
        for (k, c) in word.iter().enumerate() {
            a.key(t, at + k, Some(*c));
        }
        // Backspacing, then typing into another text and back.
        a.key(t, at + word.len() - 1, None);
        a.key(t, at + word.len() - 2, None);
        let other = (t + 1) % 3;
        a.key(other, 0, Some('x'));
        a.key(t, at, Some('y'));
        match round % 5 {
            // An LWW write keeps a change of its own.
            0 => a.doc.set("k", round as i64),
            // A list edit between keystrokes.
            1 => {
                let (list, values) = &mut a.list;
                a.doc.list_insert(list, 0, round as i64).unwrap();
                values.insert(0, round as i64);
                a.doc.commit();
            }
            // A remote change arrives mid-session.
            2 => {
                let changes = a.doc.changes_since(b.doc.version());
                b.doc.apply_changes(changes).unwrap();
                b.texts.clone_from(&a.texts);
                b.list.1.clone_from(&a.list.1);
                b.key(t, 0, Some('r'));
                let changes = b.doc.changes_since(a.doc.version());
                a.doc.apply_changes(changes).unwrap();
                a.texts[t].1.insert(0, 'r');
            }
            _ => {}
        }
        clock.advance(1);
        a.check();
    }
    a.check_copy();
}
