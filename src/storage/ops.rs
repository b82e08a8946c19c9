//! Storage ops: the edits a mutation sends, and their wire encoding.
//!
//! Codes (from the Liveblocks protocol, `@liveblocks/core`): a client message of type 201 is a
//! Storage update holding `ops`; each op is a JSON object with a numeric `type`, the `id` of
//! the node it acts on and a unique `opId` (`{actor}:{n}`, counted from 0 in one session).

use serde_json::{Map, Value, json};

/// The client message type of a Storage update.
pub(crate) const UPDATE_STORAGE: u64 = 201;

/// Op type codes.
pub(crate) mod code {
    pub const SET_PARENT_KEY: u64 = 1;
    pub const CREATE_LIST: u64 = 2;
    pub const UPDATE_OBJECT: u64 = 3;
    pub const CREATE_OBJECT: u64 = 4;
    pub const DELETE_CRDT: u64 = 5;
    pub const DELETE_OBJECT_KEY: u64 = 6;
    pub const CREATE_MAP: u64 = 7;
    pub const CREATE_REGISTER: u64 = 8;
}

/// Why a node is created in a list, which tells the server how to resolve a position that
/// another client took meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Intent {
    /// Appended: the server puts it at the true end of the list.
    Push,
    /// Put in place of another item (`deleted_id`), or an initial item of a new list.
    Set,
}

/// What a create op makes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Create {
    /// A LiveObject with its plain (non-live) fields.
    Object(Map<String, Value>),
    /// An empty LiveList (its items are created by the ops that follow).
    List,
    /// An empty LiveMap.
    Map,
    /// A plain value held by a list or a map.
    Register(Value),
}

/// One Storage op.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// Creates node `id` under `parent_id` at `parent_key` (a key, or a list position).
    Create {
        id: String,
        parent_id: String,
        parent_key: String,
        what: Create,
        intent: Option<Intent>,
        deleted_id: Option<String>,
    },
    /// Sets plain fields of a LiveObject (replacing any live child at those keys).
    UpdateObject {
        id: String,
        data: Map<String, Value>,
    },
    /// Deletes a node and everything under it.
    DeleteCrdt { id: String },
    /// Deletes one key of a LiveObject (a plain field or a live child).
    DeleteObjectKey { id: String, key: String },
    /// Moves a list item to another position.
    SetParentKey { id: String, parent_key: String },
}

impl Op {
    /// The op as JSON, with its `opId`.
    pub(crate) fn to_json(&self, op_id: String) -> Value {
        match self {
            Op::Create {
                id,
                parent_id,
                parent_key,
                what,
                intent,
                deleted_id,
            } => {
                let (code, data) = match what {
                    Create::Object(data) => {
                        (code::CREATE_OBJECT, Some(Value::Object(data.clone())))
                    }
                    Create::List => (code::CREATE_LIST, None),
                    Create::Map => (code::CREATE_MAP, None),
                    Create::Register(value) => (code::CREATE_REGISTER, Some(value.clone())),
                };
                let mut op = Map::new();
                op.insert("type".into(), code.into());
                op.insert("id".into(), id.clone().into());
                op.insert("opId".into(), op_id.into());
                op.insert("parentId".into(), parent_id.clone().into());
                op.insert("parentKey".into(), parent_key.clone().into());
                if let Some(data) = data {
                    op.insert("data".into(), data);
                }
                if let Some(intent) = intent {
                    let text = match intent {
                        Intent::Push => "push",
                        Intent::Set => "set",
                    };
                    op.insert("intent".into(), text.into());
                }
                if let Some(deleted) = deleted_id {
                    op.insert("deletedId".into(), deleted.clone().into());
                }
                Value::Object(op)
            }
            Op::UpdateObject { id, data } => json!({
                "type": code::UPDATE_OBJECT, "id": id, "opId": op_id, "data": data,
            }),
            Op::DeleteCrdt { id } => json!({"type": code::DELETE_CRDT, "id": id, "opId": op_id}),
            Op::DeleteObjectKey { id, key } => json!({
                "type": code::DELETE_OBJECT_KEY, "id": id, "opId": op_id, "key": key,
            }),
            Op::SetParentKey { id, parent_key } => json!({
                "type": code::SET_PARENT_KEY, "id": id, "opId": op_id, "parentKey": parent_key,
            }),
        }
    }
}

/// The one client message carrying `ops`, each numbered `{actor}:{n}` from 0.
pub(crate) fn update_message(actor: u64, ops: &[Op]) -> Map<String, Value> {
    let ops: Vec<Value> = ops
        .iter()
        .enumerate()
        .map(|(n, op)| op.to_json(format!("{actor}:{n}")))
        .collect();
    let mut message = Map::new();
    message.insert("type".into(), UPDATE_STORAGE.into());
    message.insert("ops".into(), Value::Array(ops));
    message
}
