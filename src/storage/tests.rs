//! Unit and property tests of the Storage CRDT: reading the ndjson tree, positions, and the
//! op encoding (replayed by an independent interpreter of the wire ops, which must rebuild the
//! very document the local edits produced).

use std::collections::HashMap;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::live::{LiveObject, Lson};
use super::position;
use super::tree::Doc;
use super::{StorageError, ops};

const SAMPLE: &str = r#"{"actor":7}
["root",{"type":0,"data":{"a":1,"plain":{"q":[1,2]}}}]
["si:1",{"type":1,"parentId":"root","parentKey":"todos"}]
["si:3",{"type":0,"parentId":"si:1","parentKey":"!!","data":{"t":1}}]
["si:2",{"type":3,"parentId":"si:1","parentKey":"!","data":"x"}]
["si:4",{"type":2,"parentId":"root","parentKey":"m"}]
["si:5",{"type":3,"parentId":"si:4","parentKey":"k","data":2}]
"#;

fn sample() -> (Doc, usize) {
    Doc::parse(SAMPLE.as_bytes()).unwrap()
}

#[test]
fn reads_the_tree_with_lists_in_position_order() {
    let (doc, root) = sample();
    assert_eq!(doc.actor(), 7);
    assert_eq!(
        doc.to_json(root),
        json!({"a": 1, "plain": {"q": [1, 2]}, "todos": ["x", {"t": 1}], "m": {"k": 2}})
    );
}

#[test]
fn reads_split_chunks_and_crlf() {
    let text = SAMPLE.replace('\n', "\r\n");
    let mut reader = super::tree::Reader::default();
    for chunk in text.as_bytes().chunks(5) {
        reader.feed(chunk).unwrap();
    }
    let (doc, root) = reader.finish().unwrap();
    assert_eq!(doc.to_json(root)["todos"], json!(["x", {"t": 1}]));
}

#[test]
fn bad_answers_are_typed_errors() {
    let err = |text: &str| Doc::parse(text.as_bytes()).unwrap_err();
    assert_eq!(err("{\"actor\":1}\n"), StorageError::NoStorage);
    assert!(matches!(
        err(""),
        StorageError::MalformedLine { line: 1, .. }
    ));
    assert!(matches!(
        err("[\"root\",{\"type\":0}]\n"),
        StorageError::MalformedLine { line: 1, .. }
    ));
    assert!(matches!(
        err("{\"actor\":1}\n[\"root\",{\"type\":0,\"data\":{}}]\nnot json\n"),
        StorageError::MalformedLine { line: 3, .. }
    ));
    assert_eq!(
        err(
            "{\"actor\":1}\n[\"root\",{\"type\":0}]\n[\"a\",{\"type\":3,\"parentId\":\"ghost\",\"parentKey\":\"k\",\"data\":1}]\n"
        ),
        StorageError::MissingParent {
            id: "a".into(),
            parent_id: "ghost".into()
        }
    );
    assert!(matches!(
        err("{\"actor\":1}\n[\"root\",{\"type\":1}]\n"),
        StorageError::InvalidNode { .. }
    ));
    assert!(matches!(
        err("{\"actor\":1}\n[\"root\",{\"type\":0}]\n[\"root\",{\"type\":0}]\n"),
        StorageError::InvalidNode { .. }
    ));
    assert!(matches!(
        err(
            "{\"actor\":1}\n[\"root\",{\"type\":0}]\n[\"r\",{\"type\":3,\"parentId\":\"root\",\"parentKey\":\"k\",\"data\":1}]\n[\"c\",{\"type\":3,\"parentId\":\"r\",\"parentKey\":\"!\",\"data\":1}]\n"
        ),
        StorageError::InvalidNode { .. }
    ));
}

#[test]
fn unknown_node_types_are_kept_untouched() {
    let text = format!(
        "{SAMPLE}[\"f:1\",{{\"type\":5,\"parentId\":\"root\",\"parentKey\":\"file\",\"data\":{{\"id\":\"fl_x\"}}}}]\n[\"f:2\",{{\"type\":9,\"parentId\":\"f:1\",\"parentKey\":\"x\",\"data\":1}}]\n"
    );
    let (mut doc, root) = Doc::parse(text.as_bytes()).unwrap();
    let mut root = LiveObject {
        doc: &mut doc,
        ix: root,
    };
    assert!(root.contains_key("file"));
    assert_eq!(root.get("file"), None);
    let err = root.get_list("file").unwrap_err();
    assert!(
        matches!(
            err,
            StorageError::WrongType {
                expected: "a LiveList",
                ..
            }
        ),
        "{err}"
    );
    root.set("a", 2);
    assert_eq!(doc.len(), 8);
    assert_eq!(doc.ops().len(), 1);
}

#[test]
fn edits_are_seen_by_later_reads() {
    let (mut doc, root) = sample();
    let mut root = LiveObject {
        doc: &mut doc,
        ix: root,
    };
    root.set("b", Lson::object([("n", Lson::list([1, 2]))]));
    root.get_object("b").unwrap().get_list("n").unwrap().push(3);
    assert_eq!(root.get("b"), Some(json!({"n": [1, 2, 3]})));
    let mut todos = root.get_list("todos").unwrap();
    todos.insert(1, "y").unwrap();
    todos.move_item(0, 2).unwrap();
    assert_eq!(todos.to_json(), json!(["y", {"t": 1}, "x"]));
    assert_eq!(todos.get_as::<String>(2).unwrap(), Some("x".into()));
    assert!(matches!(
        todos.get_as::<u8>(0),
        Err(StorageError::Decode { .. })
    ));
    assert_eq!(
        todos.delete(3),
        Err(StorageError::IndexOutOfRange { index: 3, len: 3 })
    );
    assert_eq!(
        todos.insert(4, 1),
        Err(StorageError::IndexOutOfRange { index: 4, len: 3 })
    );
    let mut m = root.get_map("m").unwrap();
    assert!(m.delete("k"));
    assert!(!m.delete("k"));
    assert!(root.delete("a"));
    assert_eq!(root.keys(), ["b", "m", "plain", "todos"]);
    let err = root.get_map("todos").unwrap_err();
    assert_eq!(
        err,
        StorageError::WrongType {
            at: "key \"todos\"".into(),
            expected: "a LiveMap",
            found: "a LiveList"
        }
    );
}

#[test]
fn ops_encode_with_codes_ids_and_intents() {
    let (mut doc, root) = sample();
    let mut root = LiveObject {
        doc: &mut doc,
        ix: root,
    };
    root.set("a", 5);
    root.get_list("todos").unwrap().push(Lson::map([("k", 1)]));
    root.get_list("todos").unwrap().set(0, "z").unwrap();
    root.get_list("todos").unwrap().move_item(0, 1).unwrap();
    root.get_list("todos").unwrap().delete(0).unwrap();
    root.get_map("m").unwrap().delete("k");
    root.delete("plain");
    let message = ops::update_message(doc.actor(), doc.ops());
    assert_eq!(
        Value::Object(message),
        json!({"type": 201, "ops": [
            {"type": 3, "id": "root", "opId": "7:0", "data": {"a": 5}},
            {"type": 7, "id": "7:0", "opId": "7:1", "parentId": "si:1", "parentKey": "!\"", "intent": "push"},
            {"type": 8, "id": "7:1", "opId": "7:2", "parentId": "7:0", "parentKey": "k", "data": 1},
            {"type": 8, "id": "7:2", "opId": "7:3", "parentId": "si:1", "parentKey": "!", "data": "z", "intent": "set", "deletedId": "si:2"},
            {"type": 1, "id": "7:2", "opId": "7:4", "parentKey": "!!O"},
            {"type": 5, "id": "si:3", "opId": "7:5"},
            {"type": 5, "id": "si:5", "opId": "7:6"},
            {"type": 6, "id": "root", "opId": "7:7", "key": "plain"},
        ]})
    );
}

// ----- property tests -----

/// A valid position: printable ASCII, not ending in a space.
fn pos() -> impl Strategy<Value = String> {
    "[ -~]{0,6}[!-~]"
}

proptest! {
    #[test]
    fn a_new_position_is_strictly_between_its_neighbours(a in pos(), b in pos()) {
        prop_assume!(a != b);
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let mid = position::between(Some(&lo), Some(&hi));
        prop_assert!(lo < mid && mid < hi, "{lo:?} < {mid:?} < {hi:?}");
        prop_assert!(position::is_valid(&mid), "{mid:?}");
        let before = position::between(None, Some(&lo));
        prop_assert!(before < lo && position::is_valid(&before), "{before:?} < {lo:?}");
        let after = position::between(Some(&hi), None);
        prop_assert!(after > hi && position::is_valid(&after), "{after:?} > {hi:?}");
    }

    #[test]
    fn repeated_inserts_at_one_place_grow_positions_slowly(lo in pos(), n in 1usize..600) {
        // Always between a fixed neighbour and the last new item: one character per ~6.
        let hi = position::between(Some(&lo), None);
        let mut last = hi.clone();
        for _ in 0..n {
            let next = position::between(Some(&lo), Some(&last));
            prop_assert!(lo < next && next < last);
            last = next;
        }
        prop_assert!(last.len() <= lo.len().max(hi.len()) + n / 5 + 2, "{} after {n}", last.len());
        // Always at the front, or always at the end.
        let (mut front, mut back) = (lo.clone(), lo.clone());
        for _ in 0..n {
            let f = position::between(None, Some(&front));
            let b = position::between(Some(&back), None);
            prop_assert!(f < front && b > back);
            front = f;
            back = b;
        }
        prop_assert!(front.len() <= lo.len() + n / 90 + 2, "front {}", front.len());
        // Appends count up in 2, 5, 8, ... digits: at most one widening within 600.
        prop_assert!(back.len() <= lo.len() + 6, "back {}", back.len());
    }
}

#[test]
fn ten_thousand_appends_stay_short() {
    let mut last: Option<String> = None;
    for _ in 0..10_000 {
        last = Some(position::between(last.as_deref(), None));
    }
    let last = last.unwrap();
    assert!(last.len() <= 5, "{last:?}");
}

/// One edit of a generated script.
#[derive(Debug, Clone)]
enum Edit {
    ObjSet(usize, Value, bool),
    ObjDelete(usize),
    Push(Value, bool),
    Insert(usize, Value),
    Set(usize, Value),
    Delete(usize),
    Move(usize, usize),
    Clear,
    MapSet(usize, Value, bool),
    MapDelete(usize),
}

const KEYS: [&str; 3] = ["a", "b", "todos"];

fn edit() -> impl Strategy<Value = Edit> {
    let v = (0i64..100).prop_map(Value::from);
    prop_oneof![
        (0..3usize, v.clone(), any::<bool>()).prop_map(|(k, v, l)| Edit::ObjSet(k, v, l)),
        (0..3usize).prop_map(Edit::ObjDelete),
        (v.clone(), any::<bool>()).prop_map(|(v, l)| Edit::Push(v, l)),
        (0..8usize, v.clone()).prop_map(|(i, v)| Edit::Insert(i, v)),
        (0..8usize, v.clone()).prop_map(|(i, v)| Edit::Set(i, v)),
        (0..8usize).prop_map(Edit::Delete),
        (0..8usize, 0..8usize).prop_map(|(a, b)| Edit::Move(a, b)),
        Just(Edit::Clear),
        (0..3usize, v, any::<bool>()).prop_map(|(k, v, l)| Edit::MapSet(k, v, l)),
        (0..3usize).prop_map(Edit::MapDelete),
    ]
}

fn new_value(v: Value, live: bool) -> Lson {
    if live {
        Lson::object([("v", Lson::list([v]))])
    } else {
        v.into()
    }
}

fn apply(root: &mut LiveObject<'_>, edit: Edit) {
    match edit {
        Edit::ObjSet(k, v, l) => root.set(KEYS[k], new_value(v, l)),
        Edit::ObjDelete(k) => {
            root.delete(KEYS[k]);
        }
        Edit::MapSet(k, v, l) => root.get_map("m").unwrap().set(KEYS[k], new_value(v, l)),
        Edit::MapDelete(k) => {
            root.get_map("m").unwrap().delete(KEYS[k]);
        }
        list_edit => {
            let Ok(mut list) = root.get_list("todos") else {
                return;
            };
            let len = list.len();
            let _ = match list_edit {
                Edit::Push(v, l) => {
                    list.push(new_value(v, l));
                    Ok(())
                }
                Edit::Insert(i, v) => list.insert(i % (len + 1), v),
                Edit::Set(i, v) if len > 0 => list.set(i % len, v),
                Edit::Delete(i) if len > 0 => list.delete(i % len),
                Edit::Move(a, b) if len > 0 => list.move_item(a % len, b % len),
                Edit::Clear => {
                    list.clear();
                    Ok(())
                }
                _ => Ok(()),
            };
        }
    }
}

/// An interpreter of wire ops over `(type, parentId, parentKey, data)` records, written from
/// the protocol rules and sharing no code with the tree.
#[derive(Default)]
struct Replay {
    nodes: HashMap<String, (u64, Option<String>, String, Value)>,
}

impl Replay {
    fn from_ndjson(text: &str) -> Replay {
        let mut r = Replay::default();
        for line in text.lines().skip(1) {
            let (id, n): (String, Value) = serde_json::from_str(line).unwrap();
            r.nodes.insert(
                id,
                (
                    n["type"].as_u64().unwrap(),
                    n["parentId"].as_str().map(str::to_owned),
                    n["parentKey"].as_str().unwrap_or("").to_owned(),
                    n.get("data").cloned().unwrap_or(Value::Null),
                ),
            );
        }
        r
    }

    fn children(&self, parent: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .nodes
            .iter()
            .filter(|(_, n)| n.1.as_deref() == Some(parent))
            .map(|(id, n)| (n.2.clone(), id.clone()))
            .collect();
        out.sort();
        out
    }

    fn remove_child_at(&mut self, parent: &str, key: &str) {
        let gone: Vec<String> = self
            .children(parent)
            .into_iter()
            .filter(|(k, _)| k == key)
            .map(|(_, id)| id)
            .collect();
        for id in gone {
            self.nodes.remove(&id);
        }
    }

    fn apply(&mut self, op: &Value) {
        let id = op["id"].as_str().unwrap().to_owned();
        let t = op["type"].as_u64().unwrap();
        match t {
            2 | 4 | 7 | 8 => {
                let parent = op["parentId"].as_str().unwrap().to_owned();
                let key = op["parentKey"].as_str().unwrap().to_owned();
                let parent_type = self.nodes[&parent].0;
                if let Some(deleted) = op.get("deletedId").and_then(Value::as_str) {
                    self.nodes.remove(deleted);
                }
                if parent_type != 1 {
                    self.remove_child_at(&parent, &key);
                }
                if parent_type == 0
                    && let Some(d) = self.nodes.get_mut(&parent).unwrap().3.as_object_mut()
                {
                    d.remove(&key);
                }
                let kind = match t {
                    4 => 0,
                    2 => 1,
                    7 => 2,
                    _ => 3,
                };
                let data = op.get("data").cloned().unwrap_or(Value::Null);
                assert!(!self.nodes.contains_key(&id), "{id} is reused");
                self.nodes.insert(id, (kind, Some(parent), key, data));
            }
            3 => {
                for (k, v) in op["data"].as_object().unwrap() {
                    self.remove_child_at(&id, k);
                    let node = self.nodes.get_mut(&id).unwrap();
                    if !node.3.is_object() {
                        node.3 = json!({});
                    }
                    node.3.as_object_mut().unwrap().insert(k.clone(), v.clone());
                }
            }
            5 => {
                self.nodes.remove(&id);
            }
            6 => {
                let key = op["key"].as_str().unwrap();
                self.remove_child_at(&id, key);
                if let Some(d) = self.nodes.get_mut(&id).unwrap().3.as_object_mut() {
                    d.remove(key);
                }
            }
            1 => self.nodes.get_mut(&id).unwrap().2 = op["parentKey"].as_str().unwrap().to_owned(),
            other => panic!("unexpected op type {other}"),
        }
    }

    fn json(&self, id: &str) -> Value {
        let (t, _, _, data) = &self.nodes[id];
        let kids = self.children(id);
        match t {
            0 => {
                let mut out = data.as_object().cloned().unwrap_or_default();
                for (k, c) in kids {
                    out.insert(k, self.json(&c));
                }
                Value::Object(out)
            }
            1 => Value::Array(kids.iter().map(|(_, c)| self.json(c)).collect()),
            2 => Value::Object(kids.into_iter().map(|(k, c)| (k, self.json(&c))).collect()),
            _ => data.clone(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn replaying_the_sent_ops_rebuilds_the_edited_document(edits in proptest::collection::vec(edit(), 0..40)) {
        let (mut doc, root) = sample();
        {
            let mut root = LiveObject { doc: &mut doc, ix: root };
            for e in edits {
                apply(&mut root, e);
            }
        }
        let message = Value::Object(ops::update_message(doc.actor(), doc.ops()));
        prop_assert_eq!(&message["type"], &json!(201));
        let sent = message["ops"].as_array().unwrap();
        let mut replay = Replay::from_ndjson(SAMPLE);
        for (n, op) in sent.iter().enumerate() {
            prop_assert_eq!(&op["opId"], &json!(format!("7:{n}")));
            replay.apply(op);
        }
        prop_assert_eq!(replay.json("root"), doc.to_json(root));
    }
}
