//! The live structures a mutation edits: [`LiveObject`], [`LiveList`], [`LiveMap`], and
//! [`Lson`], the values written into them.
//!
//! Each handle borrows the local tree mutably, so a child handle (`root.get_list("todos")?`)
//! borrows its parent's: one handle is in use at a time, and every read sees the edits made so
//! far.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::StorageError;
use super::tree::{Body, Doc, Ix, New, describe};

/// A value to write into Storage: plain JSON, or a new live structure whose own values may be
/// live structures too.
///
/// Plain JSON written to a [`LiveObject`] key is a plain field; written to a [`LiveList`] or a
/// [`LiveMap`] it is a plain item. A JSON object or array stays plain JSON (other clients edit
/// it as a whole); use [`Lson::object`], [`Lson::list`] or [`Lson::map`] for a structure whose
/// parts clients edit concurrently.
///
/// ```
/// use liveblocks::storage::Lson;
/// use serde_json::json;
/// let todo = Lson::object([("title", json!("Write docs").into()), ("tags", Lson::list([json!("docs")]))]);
/// let plain: Lson = json!({"x": 1}).into();
/// # let _ = (todo, plain);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lson(pub(crate) New);

impl Lson {
    /// A new LiveObject with these fields.
    pub fn object<K: Into<String>, V: Into<Lson>>(
        fields: impl IntoIterator<Item = (K, V)>,
    ) -> Lson {
        Lson(New::Object(
            fields
                .into_iter()
                .map(|(k, v)| (k.into(), v.into().0))
                .collect(),
        ))
    }

    /// A new LiveList with these items, in order.
    pub fn list<V: Into<Lson>>(items: impl IntoIterator<Item = V>) -> Lson {
        Lson(New::List(items.into_iter().map(|v| v.into().0).collect()))
    }

    /// A new LiveMap with these entries.
    pub fn map<K: Into<String>, V: Into<Lson>>(entries: impl IntoIterator<Item = (K, V)>) -> Lson {
        Lson(New::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k.into(), v.into().0))
                .collect(),
        ))
    }
}

impl From<Value> for Lson {
    fn from(value: Value) -> Self {
        Lson(New::Json(value))
    }
}

macro_rules! plain_lson {
    ($($t:ty),*) => {$(
        impl From<$t> for Lson {
            fn from(value: $t) -> Self {
                Lson(New::Json(Value::from(value)))
            }
        }
    )*};
}
plain_lson!(&str, String, bool, i32, i64, u32, u64, f64);

fn wrong(at: String, expected: &'static str, found: Option<&Body>) -> StorageError {
    StorageError::WrongType {
        at,
        expected,
        found: describe(found),
    }
}

fn decode<T: DeserializeOwned>(
    at: impl FnOnce() -> String,
    value: Value,
) -> Result<T, StorageError> {
    serde_json::from_value(value).map_err(|e| StorageError::Decode {
        at: at(),
        message: e.to_string(),
    })
}

macro_rules! child_getters {
    ($at:ty, $what:literal) => {
        fn slot(&self, at: $at) -> (Option<Ix>, Option<&Body>) {
            let child = self.child(at);
            (child, child.and_then(|c| self.doc.body(c)))
        }

        #[doc = concat!("The LiveObject at this ", $what, " (an error when it holds anything else or nothing).")]
        pub fn get_object(&mut self, at: $at) -> Result<LiveObject<'_>, StorageError> {
            match self.slot(at) {
                (Some(ix), Some(Body::Object { .. })) => Ok(LiveObject { doc: self.doc, ix }),
                (_, found) => Err(wrong(Self::at(at), "a LiveObject", found)),
            }
        }

        #[doc = concat!("The LiveList at this ", $what, " (an error when it holds anything else or nothing).")]
        pub fn get_list(&mut self, at: $at) -> Result<LiveList<'_>, StorageError> {
            match self.slot(at) {
                (Some(ix), Some(Body::List { .. })) => Ok(LiveList { doc: self.doc, ix }),
                (_, found) => Err(wrong(Self::at(at), "a LiveList", found)),
            }
        }

        #[doc = concat!("The LiveMap at this ", $what, " (an error when it holds anything else or nothing).")]
        pub fn get_map(&mut self, at: $at) -> Result<LiveMap<'_>, StorageError> {
            match self.slot(at) {
                (Some(ix), Some(Body::Map { .. })) => Ok(LiveMap { doc: self.doc, ix }),
                (_, found) => Err(wrong(Self::at(at), "a LiveMap", found)),
            }
        }

        #[doc = concat!("The value at this ", $what, " decoded as `T` (`None` when nothing is there); a live structure is decoded from its plain JSON.")]
        pub fn get_as<T: DeserializeOwned>(&self, at: $at) -> Result<Option<T>, StorageError> {
            match self.get(at) {
                Some(value) => decode(|| Self::at(at), value).map(Some),
                None => Ok(None),
            }
        }

        /// This structure and everything under it as plain JSON (what
        /// `get_storage_document` with `format=json` shows). Nodes of types this version does
        /// not know are left out.
        pub fn to_json(&self) -> Value {
            self.doc.to_json(self.ix)
        }
    };
}

/// A LiveObject of the room's Storage, inside a [`mutate_storage`](crate::Client::mutate_storage)
/// callback: fields by name, each a plain JSON value or a live structure.
pub struct LiveObject<'a> {
    pub(crate) doc: &'a mut Doc,
    pub(crate) ix: Ix,
}

impl LiveObject<'_> {
    fn child(&self, key: &str) -> Option<Ix> {
        match self.doc.body(self.ix) {
            Some(Body::Object { children, .. }) => children.get(key).copied(),
            _ => None,
        }
    }

    fn at(key: &str) -> String {
        format!("key {key:?}")
    }

    /// The field names, sorted (plain fields and live children alike).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = match self.doc.body(self.ix) {
            Some(Body::Object { data, children }) => {
                data.keys().chain(children.keys()).cloned().collect()
            }
            _ => Vec::new(),
        };
        keys.sort();
        keys.dedup();
        keys
    }

    /// Whether the field exists.
    pub fn contains_key(&self, key: &str) -> bool {
        matches!(self.doc.body(self.ix), Some(Body::Object { data, children })
            if data.contains_key(key) || children.contains_key(key))
    }

    /// The field as plain JSON: a plain field as is, a live structure converted (`None` when
    /// the field does not exist or holds a node of an unknown type).
    pub fn get(&self, key: &str) -> Option<Value> {
        match self.doc.body(self.ix) {
            Some(Body::Object { data, .. }) if data.contains_key(key) => data.get(key).cloned(),
            _ => self.child(key).and_then(|c| self.doc.value(c)),
        }
    }

    child_getters!(&str, "field");

    /// Sets the field (replacing whatever it held).
    pub fn set(&mut self, key: &str, value: impl Into<Lson>) {
        self.doc.object_set(self.ix, key, value.into().0);
    }

    /// Deletes the field; whether it existed.
    pub fn delete(&mut self, key: &str) -> bool {
        self.doc.object_delete(self.ix, key)
    }
}

/// A LiveList of the room's Storage: items in order, each a plain JSON value or a live
/// structure.
pub struct LiveList<'a> {
    pub(crate) doc: &'a mut Doc,
    pub(crate) ix: Ix,
}

impl LiveList<'_> {
    fn child(&self, index: usize) -> Option<Ix> {
        self.doc.items(self.ix).get(index).copied()
    }

    fn at(index: usize) -> String {
        format!("index [{index}]")
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.doc.items(self.ix).len()
    }

    /// Whether the list has no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item as plain JSON (`None` past the end, or for a node of an unknown type).
    pub fn get(&self, index: usize) -> Option<Value> {
        self.child(index).and_then(|c| self.doc.value(c))
    }

    child_getters!(usize, "index");

    /// Appends an item.
    pub fn push(&mut self, value: impl Into<Lson>) {
        let len = self.len();
        // Cannot fail: `len` is always a valid insertion index.
        let _ = self.doc.list_insert(self.ix, len, value.into().0, true);
    }

    /// Inserts an item at `index` (`0..=len`), shifting the following ones.
    ///
    /// # Errors
    ///
    /// [`StorageError::IndexOutOfRange`] when `index > len`.
    pub fn insert(&mut self, index: usize, value: impl Into<Lson>) -> Result<(), StorageError> {
        self.doc.list_insert(self.ix, index, value.into().0, false)
    }

    /// Replaces the item at `index` (`0..len`).
    ///
    /// # Errors
    ///
    /// [`StorageError::IndexOutOfRange`] when `index >= len`.
    pub fn set(&mut self, index: usize, value: impl Into<Lson>) -> Result<(), StorageError> {
        self.doc.list_set(self.ix, index, value.into().0)
    }

    /// Deletes the item at `index` (`0..len`).
    ///
    /// # Errors
    ///
    /// [`StorageError::IndexOutOfRange`] when `index >= len`.
    pub fn delete(&mut self, index: usize) -> Result<(), StorageError> {
        self.doc.list_delete(self.ix, index)
    }

    /// Moves the item at `from` so that it ends up at index `to` (both `0..len`); the
    /// official SDK's `move`.
    ///
    /// # Errors
    ///
    /// [`StorageError::IndexOutOfRange`] when either index is `>= len`.
    pub fn move_item(&mut self, from: usize, to: usize) -> Result<(), StorageError> {
        self.doc.list_move(self.ix, from, to)
    }

    /// Deletes every item.
    pub fn clear(&mut self) {
        self.doc.list_clear(self.ix);
    }
}

/// A LiveMap of the room's Storage: entries by key, each a plain JSON value or a live
/// structure.
pub struct LiveMap<'a> {
    pub(crate) doc: &'a mut Doc,
    pub(crate) ix: Ix,
}

impl LiveMap<'_> {
    fn child(&self, key: &str) -> Option<Ix> {
        match self.doc.body(self.ix) {
            Some(Body::Map { children }) => children.get(key).copied(),
            _ => None,
        }
    }

    fn at(key: &str) -> String {
        format!("key {key:?}")
    }

    /// The keys, sorted.
    pub fn keys(&self) -> Vec<String> {
        match self.doc.body(self.ix) {
            Some(Body::Map { children }) => children.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match self.doc.body(self.ix) {
            Some(Body::Map { children }) => children.len(),
            _ => 0,
        }
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entry as plain JSON (`None` when absent, or for a node of an unknown type).
    pub fn get(&self, key: &str) -> Option<Value> {
        self.child(key).and_then(|c| self.doc.value(c))
    }

    child_getters!(&str, "key");

    /// Sets the entry (replacing whatever it held).
    pub fn set(&mut self, key: &str, value: impl Into<Lson>) {
        self.doc.map_set(self.ix, key, value.into().0);
    }

    /// Deletes the entry; whether it existed.
    pub fn delete(&mut self, key: &str) -> bool {
        self.doc.map_delete(self.ix, key)
    }
}

macro_rules! debug_as_json {
    ($($t:ident),*) => {$(
        impl std::fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($t), self.to_json())
            }
        }
    )*};
}
debug_as_json!(LiveObject, LiveList, LiveMap);
