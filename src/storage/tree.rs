//! The local copy of a room's Storage: nodes read from the server's ndjson answer, held in an
//! arena, edited in place while the edits are recorded as ops.
//!
//! Each line after the first is `[id, {type, parentId?, parentKey?, data?}]`. The arena holds
//! one slot per node (its ID, its key under its parent, what it holds), so the local tree is
//! linear in the node count; a node's children are indexes into the arena.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::StorageError;
use super::ops::{Create, Intent, Op};
use super::position;

/// The ID of the root LiveObject.
pub(crate) const ROOT_ID: &str = "root";
/// The deepest nesting [`Doc::to_json`] reads; deeper subtrees read as `null` (no recursion
/// without bound on data from the network).
const MAX_DEPTH: usize = 512;

/// Node type codes of the wire format.
mod kind {
    pub const OBJECT: u64 = 0;
    pub const LIST: u64 = 1;
    pub const MAP: u64 = 2;
    pub const REGISTER: u64 = 3;
}

/// An index into the arena.
pub(crate) type Ix = usize;

/// What a node holds.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// A LiveObject: plain fields, and live children by key.
    Object {
        data: Map<String, Value>,
        children: BTreeMap<String, Ix>,
    },
    /// A LiveList: items in position order.
    List { items: Vec<Ix> },
    /// A LiveMap: children by key.
    Map { children: BTreeMap<String, Ix> },
    /// A plain value inside a list or a map.
    Register { data: Value },
    /// A node type this version does not know: kept, never edited.
    Unknown { children: Vec<Ix> },
}

/// One node of the arena.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: String,
    /// The key under the parent (a field name, a map key or a list position).
    pub key: String,
    pub body: Body,
}

/// The local tree and the ops recorded by the edits made to it.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// `None`: a node removed by an edit.
    nodes: Vec<Option<Node>>,
    actor: u64,
    clock: u64,
    ops: Vec<Op>,
}

/// A value to write: plain JSON, or a new live structure (see `live::Lson`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum New {
    Json(Value),
    Object(Vec<(String, New)>),
    List(Vec<New>),
    Map(Vec<(String, New)>),
}

#[derive(Deserialize)]
struct ActorLine {
    actor: u64,
}

#[derive(Deserialize)]
struct WireBody {
    #[serde(rename = "type")]
    kind: u64,
    #[serde(rename = "parentId", default)]
    parent_id: Option<String>,
    #[serde(rename = "parentKey", default)]
    parent_key: Option<String>,
    #[serde(default)]
    data: Option<Value>,
}

/// Reads the ndjson answer line by line into a [`Doc`].
#[derive(Default)]
pub(crate) struct Reader {
    line: usize,
    actor: Option<u64>,
    nodes: Vec<Option<Node>>,
    /// `(child, parent ID)` links to resolve once every node is known.
    links: Vec<(Ix, String)>,
    by_id: HashMap<String, Ix>,
    partial: Vec<u8>,
}

fn malformed(line: usize, message: impl Into<String>) -> StorageError {
    StorageError::MalformedLine {
        line,
        message: message.into(),
    }
}

impl Reader {
    /// Feeds a chunk of the answer; complete lines are read at once.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Result<(), StorageError> {
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            if self.partial.is_empty() {
                self.line(&rest[..end])?;
            } else {
                let mut line = std::mem::take(&mut self.partial);
                line.extend_from_slice(&rest[..end]);
                self.line(&line)?;
            }
            rest = &rest[end + 1..];
        }
        self.partial.extend_from_slice(rest);
        Ok(())
    }

    fn line(&mut self, text: &[u8]) -> Result<(), StorageError> {
        self.line += 1;
        let line = self.line;
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if text.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        if self.actor.is_none() {
            let first: ActorLine = serde_json::from_slice(text)
                .map_err(|e| malformed(line, format!("expected {{\"actor\": <number>}}: {e}")))?;
            self.actor = Some(first.actor);
            return Ok(());
        }
        let (id, wire): (String, WireBody) = serde_json::from_slice(text)
            .map_err(|e| malformed(line, format!("expected [id, {{type, ...}}]: {e}")))?;
        let ix = self.nodes.len();
        if self.by_id.insert(id.clone(), ix).is_some() {
            return Err(StorageError::InvalidNode {
                id,
                reason: "a second node has this ID".into(),
            });
        }
        let body = match wire.kind {
            kind::OBJECT => {
                let data = match wire.data {
                    None | Some(Value::Null) => Map::new(),
                    Some(Value::Object(data)) => data,
                    Some(_) => {
                        return Err(malformed(line, "a LiveObject's data must be an object"));
                    }
                };
                Body::Object {
                    data,
                    children: BTreeMap::new(),
                }
            }
            kind::LIST => Body::List { items: Vec::new() },
            kind::MAP => Body::Map {
                children: BTreeMap::new(),
            },
            kind::REGISTER => Body::Register {
                data: wire.data.unwrap_or(Value::Null),
            },
            _ => Body::Unknown {
                children: Vec::new(),
            },
        };
        match (wire.parent_id, id == ROOT_ID) {
            (Some(parent), false) => {
                let Some(key) = wire.parent_key else {
                    return Err(StorageError::InvalidNode {
                        id,
                        reason: "it has a parent but no parentKey".into(),
                    });
                };
                self.links.push((ix, parent));
                self.nodes.push(Some(Node { id, key, body }));
            }
            (None, true) => {
                if !matches!(body, Body::Object { .. }) {
                    return Err(StorageError::InvalidNode {
                        id,
                        reason: "the root must be a LiveObject".into(),
                    });
                }
                self.nodes.push(Some(Node {
                    id,
                    key: String::new(),
                    body,
                }));
            }
            (Some(_), true) => {
                return Err(StorageError::InvalidNode {
                    id,
                    reason: "the root cannot have a parent".into(),
                });
            }
            (None, false) => {
                return Err(StorageError::InvalidNode {
                    id,
                    reason: "only the root may be without a parent".into(),
                });
            }
        }
        Ok(())
    }

    /// Links every node to its parent, orders list items by position, and returns the tree
    /// with the arena index of its root.
    pub(crate) fn finish(mut self) -> Result<(Doc, Ix), StorageError> {
        if !self.partial.is_empty() {
            let last = std::mem::take(&mut self.partial);
            self.line(&last)?;
        }
        let Some(actor) = self.actor else {
            return Err(malformed(1, "the answer is empty (no actor line)"));
        };
        let root = *self.by_id.get(ROOT_ID).ok_or(StorageError::NoStorage)?;
        let nodes = &mut self.nodes;
        for (child, parent_id) in std::mem::take(&mut self.links) {
            let Some(&parent) = self.by_id.get(&parent_id) else {
                let id = nodes[child]
                    .as_ref()
                    .map(|n| n.id.clone())
                    .unwrap_or_default();
                return Err(StorageError::MissingParent { id, parent_id });
            };
            let key = nodes[child]
                .as_ref()
                .map(|n| n.key.clone())
                .unwrap_or_default();
            let Some(parent_node) = nodes[parent].as_mut() else {
                continue;
            };
            match &mut parent_node.body {
                Body::Object { children, .. } | Body::Map { children } => {
                    children.insert(key, child);
                }
                Body::List { items } => items.push(child),
                Body::Unknown { children } => children.push(child),
                Body::Register { .. } => {
                    let id = nodes[child]
                        .as_ref()
                        .map(|n| n.id.clone())
                        .unwrap_or_default();
                    return Err(StorageError::InvalidNode {
                        id,
                        reason: format!("its parent {parent_id:?} is a plain value"),
                    });
                }
            }
        }
        // Items in position order (byte order of the position strings, as the server sorts).
        let mut lists = Vec::new();
        for (ix, node) in nodes.iter().enumerate() {
            if let Some(Node {
                body: Body::List { .. },
                ..
            }) = node
            {
                lists.push(ix);
            }
        }
        for ix in lists {
            let Some(Node {
                body: Body::List { items },
                ..
            }) = &nodes[ix]
            else {
                continue;
            };
            let mut keyed: Vec<(String, Ix)> = items
                .iter()
                .map(|&i| {
                    (
                        nodes[i].as_ref().map(|n| n.key.clone()).unwrap_or_default(),
                        i,
                    )
                })
                .collect();
            keyed.sort();
            if let Some(Node {
                body: Body::List { items },
                ..
            }) = &mut nodes[ix]
            {
                *items = keyed.into_iter().map(|(_, i)| i).collect();
            }
        }
        let doc = Doc {
            nodes: self.nodes,
            actor,
            clock: 0,
            ops: Vec::new(),
        };
        Ok((doc, root))
    }
}

/// What a slot holds, for error messages and typed getters.
pub(crate) fn describe(body: Option<&Body>) -> &'static str {
    match body {
        None => "nothing",
        Some(Body::Object { .. }) => "a LiveObject",
        Some(Body::List { .. }) => "a LiveList",
        Some(Body::Map { .. }) => "a LiveMap",
        Some(Body::Register { .. }) => "a plain value",
        Some(Body::Unknown { .. }) => "a node of a type this version does not know",
    }
}

impl Doc {
    /// Parses a whole answer at once (tests, benchmarks).
    #[cfg(test)]
    pub(crate) fn parse(text: &[u8]) -> Result<(Doc, Ix), StorageError> {
        let mut reader = Reader::default();
        reader.feed(text)?;
        reader.finish()
    }

    /// The actor number of this session.
    pub(crate) fn actor(&self) -> u64 {
        self.actor
    }

    /// The ops recorded so far, in order.
    pub(crate) fn ops(&self) -> &[Op] {
        &self.ops
    }

    /// How many nodes the tree holds now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.nodes.iter().flatten().count()
    }

    pub(crate) fn node(&self, ix: Ix) -> Option<&Node> {
        self.nodes.get(ix).and_then(Option::as_ref)
    }

    pub(crate) fn body(&self, ix: Ix) -> Option<&Body> {
        self.node(ix).map(|n| &n.body)
    }

    fn body_mut(&mut self, ix: Ix) -> Option<&mut Body> {
        self.nodes
            .get_mut(ix)
            .and_then(Option::as_mut)
            .map(|n| &mut n.body)
    }

    fn id(&self, ix: Ix) -> String {
        self.node(ix).map(|n| n.id.clone()).unwrap_or_default()
    }

    fn key(&self, ix: Ix) -> &str {
        self.node(ix).map_or("", |n| n.key.as_str())
    }

    fn next_id(&mut self) -> String {
        let id = format!("{}:{}", self.actor, self.clock);
        self.clock += 1;
        id
    }

    /// The subtree at `ix` as plain JSON (what `get_storage_document` with `format=json` shows);
    /// nodes of unknown types are left out.
    pub(crate) fn to_json(&self, ix: Ix) -> Value {
        self.json_at(ix, 0).unwrap_or(Value::Null)
    }

    /// The node at `ix` as plain JSON; `None` for a missing node or one of an unknown type.
    pub(crate) fn value(&self, ix: Ix) -> Option<Value> {
        self.json_at(ix, 0)
    }

    fn json_at(&self, ix: Ix, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return Some(Value::Null);
        }
        Some(match self.body(ix)? {
            Body::Object { data, children } => {
                let mut out = data.clone();
                for (key, &child) in children {
                    if let Some(value) = self.json_at(child, depth + 1) {
                        out.insert(key.clone(), value);
                    }
                }
                Value::Object(out)
            }
            Body::Map { children } => Value::Object(
                children
                    .iter()
                    .filter_map(|(k, &c)| Some((k.clone(), self.json_at(c, depth + 1)?)))
                    .collect(),
            ),
            Body::List { items } => Value::Array(
                items
                    .iter()
                    .filter_map(|&c| self.json_at(c, depth + 1))
                    .collect(),
            ),
            Body::Register { data } => data.clone(),
            Body::Unknown { .. } => return None,
        })
    }

    /// Frees the subtree at `ix` (its parent no longer refers to it).
    fn drop_subtree(&mut self, ix: Ix) {
        let mut stack = vec![ix];
        while let Some(ix) = stack.pop() {
            let Some(node) = self.nodes.get_mut(ix).and_then(Option::take) else {
                continue;
            };
            match node.body {
                Body::Object { children, .. } | Body::Map { children } => {
                    stack.extend(children.into_values());
                }
                Body::List { items } | Body::Unknown { children: items } => stack.extend(items),
                Body::Register { .. } => {}
            }
        }
    }

    /// Adds the new value `value` as a node under `parent` at `key`, recording its create ops
    /// (the first carrying `intent` and `deleted_id`). Plain JSON becomes a register.
    fn create(
        &mut self,
        parent: Ix,
        key: String,
        value: New,
        intent: Option<Intent>,
        deleted_id: Option<String>,
    ) -> Ix {
        let parent_id = self.id(parent);
        let id = self.next_id();
        let ix = self.nodes.len();
        let (what, body, live): (Create, Body, Vec<(String, New)>) = match value {
            New::Json(data) => (
                Create::Register(data.clone()),
                Body::Register { data },
                Vec::new(),
            ),
            New::Object(fields) => {
                let mut data = Map::new();
                let mut live = Vec::new();
                for (k, v) in fields {
                    match v {
                        New::Json(v) => {
                            data.insert(k, v);
                        }
                        other => live.push((k, other)),
                    }
                }
                (
                    Create::Object(data.clone()),
                    Body::Object {
                        data,
                        children: BTreeMap::new(),
                    },
                    live,
                )
            }
            New::List(items) => {
                let mut keyed = Vec::with_capacity(items.len());
                let mut last: Option<String> = None;
                for item in items {
                    let pos = position::between(last.as_deref(), None);
                    last = Some(pos.clone());
                    keyed.push((pos, item));
                }
                (Create::List, Body::List { items: Vec::new() }, keyed)
            }
            New::Map(entries) => (
                Create::Map,
                Body::Map {
                    children: BTreeMap::new(),
                },
                entries,
            ),
        };
        let is_list = matches!(body, Body::List { .. });
        self.nodes.push(Some(Node {
            id: id.clone(),
            key: key.clone(),
            body,
        }));
        self.ops.push(Op::Create {
            id,
            parent_id,
            parent_key: key,
            what,
            intent,
            deleted_id,
        });
        for (k, v) in live {
            // Initial items of a new list carry the "set" intent, as the official client does.
            let child = self.create(ix, k.clone(), v, is_list.then_some(Intent::Set), None);
            match self.body_mut(ix) {
                Some(Body::Object { children, .. } | Body::Map { children }) => {
                    children.insert(k, child);
                }
                Some(Body::List { items }) => items.push(child),
                _ => {}
            }
        }
        ix
    }

    // ----- LiveObject -----

    /// Sets `key` of the object at `ix` to `value`.
    pub(crate) fn object_set(&mut self, ix: Ix, key: &str, value: New) {
        let id = self.id(ix);
        let old_child = match self.body_mut(ix) {
            Some(Body::Object { data, children }) => {
                data.remove(key);
                children.remove(key)
            }
            _ => return,
        };
        if let Some(old) = old_child {
            self.drop_subtree(old);
        }
        match value {
            New::Json(value) => {
                if let Some(Body::Object { data, .. }) = self.body_mut(ix) {
                    data.insert(key.to_owned(), value.clone());
                }
                let mut data = Map::new();
                data.insert(key.to_owned(), value);
                self.ops.push(Op::UpdateObject { id, data });
            }
            live => {
                let child = self.create(ix, key.to_owned(), live, None, None);
                if let Some(Body::Object { children, .. }) = self.body_mut(ix) {
                    children.insert(key.to_owned(), child);
                }
            }
        }
    }

    /// Deletes `key` of the object at `ix`; whether it was there.
    pub(crate) fn object_delete(&mut self, ix: Ix, key: &str) -> bool {
        let id = self.id(ix);
        let (had_data, old_child) = match self.body_mut(ix) {
            Some(Body::Object { data, children }) => {
                (data.remove(key).is_some(), children.remove(key))
            }
            _ => return false,
        };
        if let Some(old) = old_child {
            self.drop_subtree(old);
        }
        let found = had_data || old_child.is_some();
        if found {
            self.ops.push(Op::DeleteObjectKey {
                id,
                key: key.to_owned(),
            });
        }
        found
    }

    // ----- LiveMap -----

    /// Sets `key` of the map at `ix` to `value`.
    pub(crate) fn map_set(&mut self, ix: Ix, key: &str, value: New) {
        let old = match self.body_mut(ix) {
            Some(Body::Map { children }) => children.remove(key),
            _ => return,
        };
        if let Some(old) = old {
            self.drop_subtree(old);
        }
        let child = self.create(ix, key.to_owned(), value, None, None);
        if let Some(Body::Map { children }) = self.body_mut(ix) {
            children.insert(key.to_owned(), child);
        }
    }

    /// Deletes `key` of the map at `ix`; whether it was there.
    pub(crate) fn map_delete(&mut self, ix: Ix, key: &str) -> bool {
        let old = match self.body_mut(ix) {
            Some(Body::Map { children }) => children.remove(key),
            _ => return false,
        };
        match old {
            Some(old) => {
                let id = self.id(old);
                self.drop_subtree(old);
                self.ops.push(Op::DeleteCrdt { id });
                true
            }
            None => false,
        }
    }

    // ----- LiveList -----

    pub(crate) fn items(&self, ix: Ix) -> &[Ix] {
        match self.body(ix) {
            Some(Body::List { items }) => items,
            _ => &[],
        }
    }

    fn items_mut(&mut self, ix: Ix) -> Option<&mut Vec<Ix>> {
        match self.body_mut(ix) {
            Some(Body::List { items }) => Some(items),
            _ => None,
        }
    }

    fn check_index(&self, ix: Ix, index: usize, allow_end: bool) -> Result<(), StorageError> {
        let len = self.items(ix).len();
        if index < len || (allow_end && index == len) {
            Ok(())
        } else {
            Err(StorageError::IndexOutOfRange { index, len })
        }
    }

    /// Inserts `value` at `index` of the list at `ix` (`index == len` appends; `push` says
    /// whether the server should put it at the true end of the list).
    pub(crate) fn list_insert(
        &mut self,
        ix: Ix,
        index: usize,
        value: New,
        push: bool,
    ) -> Result<(), StorageError> {
        self.check_index(ix, index, true)?;
        let items = self.items(ix);
        let before = index.checked_sub(1).map(|i| self.key(items[i]).to_owned());
        let after = items.get(index).map(|&i| self.key(i).to_owned());
        let pos = position::between(before.as_deref(), after.as_deref());
        let intent = push.then_some(Intent::Push);
        let child = self.create(ix, pos, value, intent, None);
        if let Some(items) = self.items_mut(ix) {
            items.insert(index, child);
        }
        Ok(())
    }

    /// Replaces the item at `index` of the list at `ix`.
    pub(crate) fn list_set(
        &mut self,
        ix: Ix,
        index: usize,
        value: New,
    ) -> Result<(), StorageError> {
        self.check_index(ix, index, false)?;
        let old = self.items(ix)[index];
        let pos = self.key(old).to_owned();
        let old_id = self.id(old);
        self.drop_subtree(old);
        let child = self.create(ix, pos, value, Some(Intent::Set), Some(old_id));
        if let Some(items) = self.items_mut(ix) {
            items[index] = child;
        }
        Ok(())
    }

    /// Deletes the item at `index` of the list at `ix`.
    pub(crate) fn list_delete(&mut self, ix: Ix, index: usize) -> Result<(), StorageError> {
        self.check_index(ix, index, false)?;
        let old = match self.items_mut(ix) {
            Some(items) => items.remove(index),
            None => return Ok(()),
        };
        let id = self.id(old);
        self.drop_subtree(old);
        self.ops.push(Op::DeleteCrdt { id });
        Ok(())
    }

    /// Moves the item at `from` so that it ends up at index `to` of the list at `ix`.
    pub(crate) fn list_move(&mut self, ix: Ix, from: usize, to: usize) -> Result<(), StorageError> {
        self.check_index(ix, from, false)?;
        self.check_index(ix, to, false)?;
        if from == to {
            return Ok(());
        }
        let items = self.items(ix);
        let key = |i: usize| items.get(i).map(|&n| self.key(n).to_owned());
        let (before, after) = if from < to {
            (key(to), key(to + 1))
        } else {
            (to.checked_sub(1).and_then(key), key(to))
        };
        let pos = position::between(before.as_deref(), after.as_deref());
        let moved = items[from];
        let id = self.id(moved);
        if let Some(node) = self.nodes.get_mut(moved).and_then(Option::as_mut) {
            node.key = pos.clone();
        }
        if let Some(items) = self.items_mut(ix) {
            items.remove(from);
            items.insert(to, moved);
        }
        self.ops.push(Op::SetParentKey {
            id,
            parent_key: pos,
        });
        Ok(())
    }

    /// Deletes every item of the list at `ix`.
    pub(crate) fn list_clear(&mut self, ix: Ix) {
        let items = match self.items_mut(ix) {
            Some(items) => std::mem::take(items),
            None => return,
        };
        for old in items {
            let id = self.id(old);
            self.drop_subtree(old);
            self.ops.push(Op::DeleteCrdt { id });
        }
    }
}
