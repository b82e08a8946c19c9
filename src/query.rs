//! Typed builders for Liveblocks' filter language, the `query` parameter of
//! [`get_rooms`](crate::Client::get_rooms), [`get_threads`](crate::Client::get_threads) and
//! [`get_inbox_notifications`](crate::Client::get_inbox_notifications).
//!
//! A query is clauses joined by `AND`; a clause is a key, an operator and a value:
//! `roomId^"liveblocks:" AND metadata["status"]:"open"`. `:` is an exact match, `^` a prefix
//! match, `<`, `<=`, `>`, `>=` compare numbers. Strings (values and metadata keys) are written
//! as JSON strings, so quotes, backslashes, control characters and `AND` inside a value stay
//! inside the string; non-ASCII text is kept as is. Raw strings stay accepted everywhere a
//! query is: the builders only produce them.
//!
//! ```
//! use liveblocks::query::{RoomQuery, ThreadQuery};
//! let rooms = RoomQuery::new().room_id_prefix("liveblocks:").metadata("status", "open");
//! assert_eq!(rooms.to_string(), r#"roomId^"liveblocks:" AND metadata["status"]:"open""#);
//! let threads = ThreadQuery::new().resolved(false).metadata("priority", 2);
//! assert_eq!(threads.to_string(), r#"resolved:false AND metadata["priority"]:2"#);
//! ```

use std::fmt;

/// A value a thread-metadata clause compares with: a string, a number or a boolean.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryValue {
    /// A string, written as a JSON string.
    String(String),
    /// A number, written as a JSON number.
    Number(serde_json::Number),
    /// `true` or `false`.
    Bool(bool),
}

impl fmt::Display for QueryValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryValue::String(s) => f.write_str(&quote(s)),
            QueryValue::Number(n) => write!(f, "{n}"),
            QueryValue::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl From<&str> for QueryValue {
    fn from(value: &str) -> Self {
        QueryValue::String(value.to_owned())
    }
}

impl From<String> for QueryValue {
    fn from(value: String) -> Self {
        QueryValue::String(value)
    }
}

impl From<bool> for QueryValue {
    fn from(value: bool) -> Self {
        QueryValue::Bool(value)
    }
}

macro_rules! number_value {
    ($($t:ty),*) => {$(
        impl From<$t> for QueryValue {
            fn from(value: $t) -> Self {
                QueryValue::Number(value.into())
            }
        }
    )*};
}
number_value!(i8, i16, i32, i64, u8, u16, u32, u64);

/// A finite number as a query value; `None` for NaN and infinities, which the language cannot
/// express.
pub fn float(value: f64) -> Option<QueryValue> {
    serde_json::Number::from_f64(value).map(QueryValue::Number)
}

/// A JSON string literal: `"..."` with `"`, `\` and control characters escaped.
fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

fn metadata_key(key: &str) -> String {
    format!("metadata[{}]", quote(key))
}

/// The clauses shared by every builder.
#[derive(Debug, Clone, Default, PartialEq)]
struct Clauses(Vec<String>);

impl Clauses {
    fn push(&mut self, key: &str, operator: &str, value: impl fmt::Display) {
        self.0.push(format!("{key}{operator}{value}"));
    }
}

impl fmt::Display for Clauses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" AND "))
    }
}

macro_rules! query_type {
    ($name:ident) => {
        impl $name {
            /// An empty query (matches everything).
            pub fn new() -> Self {
                Self::default()
            }

            /// Whether no clause was added.
            pub fn is_empty(&self) -> bool {
                self.clauses.0.is_empty()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.clauses.fmt(f)
            }
        }

        impl From<$name> for String {
            fn from(query: $name) -> String {
                query.to_string()
            }
        }

        impl From<&$name> for String {
            fn from(query: &$name) -> String {
                query.to_string()
            }
        }
    };
}

/// A filter for rooms: by room ID (exact or prefix) and metadata (exact match only: the API
/// refuses a prefix operator on room metadata; values are strings).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoomQuery {
    clauses: Clauses,
}
query_type!(RoomQuery);

impl RoomQuery {
    /// `roomId:"id"`: the room with exactly this ID.
    pub fn room_id(mut self, id: &str) -> Self {
        self.clauses.push("roomId", ":", quote(id));
        self
    }

    /// `roomId^"prefix"`: rooms whose ID starts with `prefix`.
    pub fn room_id_prefix(mut self, prefix: &str) -> Self {
        self.clauses.push("roomId", "^", quote(prefix));
        self
    }

    /// `metadata["key"]:"value"`: rooms whose metadata `key` is `value` (or contains it, for a
    /// list value).
    pub fn metadata(mut self, key: &str, value: &str) -> Self {
        self.clauses.push(&metadata_key(key), ":", quote(value));
        self
    }
}

/// A filter for threads, the `query` of [`get_threads`](crate::Client::get_threads): resolved
/// state and metadata (strings, numbers, booleans; prefixes; number ranges).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ThreadQuery {
    clauses: Clauses,
}
query_type!(ThreadQuery);

impl ThreadQuery {
    /// `resolved:true` or `resolved:false`.
    pub fn resolved(mut self, resolved: bool) -> Self {
        self.clauses.push("resolved", ":", resolved);
        self
    }

    /// `metadata["key"]:value`: an exact match on a string, number or boolean.
    pub fn metadata(mut self, key: &str, value: impl Into<QueryValue>) -> Self {
        self.clauses.push(&metadata_key(key), ":", value.into());
        self
    }

    /// `metadata["key"]^"prefix"`.
    pub fn metadata_prefix(mut self, key: &str, prefix: &str) -> Self {
        self.clauses.push(&metadata_key(key), "^", quote(prefix));
        self
    }

    /// `metadata["key"]>n`.
    pub fn metadata_gt(mut self, key: &str, n: impl Into<serde_json::Number>) -> Self {
        self.clauses.push(&metadata_key(key), ">", n.into());
        self
    }

    /// `metadata["key"]>=n`.
    pub fn metadata_gte(mut self, key: &str, n: impl Into<serde_json::Number>) -> Self {
        self.clauses.push(&metadata_key(key), ">=", n.into());
        self
    }

    /// `metadata["key"]<n`.
    pub fn metadata_lt(mut self, key: &str, n: impl Into<serde_json::Number>) -> Self {
        self.clauses.push(&metadata_key(key), "<", n.into());
        self
    }

    /// `metadata["key"]<=n`.
    pub fn metadata_lte(mut self, key: &str, n: impl Into<serde_json::Number>) -> Self {
        self.clauses.push(&metadata_key(key), "<=", n.into());
        self
    }
}

/// A filter for inbox notifications, the `query` of
/// [`get_inbox_notifications`](crate::Client::get_inbox_notifications).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InboxNotificationQuery {
    clauses: Clauses,
}
query_type!(InboxNotificationQuery);

impl InboxNotificationQuery {
    /// `unread:true` (only unread) or `unread:false` (only read).
    pub fn unread(mut self, unread: bool) -> Self {
        self.clauses.push("unread", ":", unread);
        self
    }
}

/// Joins IDs for list parameters that take a comma-separated string, such as `groupIds` of
/// [`get_rooms`](crate::Client::get_rooms): `join_ids(["a", "b"])` is `"a,b"`.
pub fn join_ids<I, S>(ids: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    ids.into_iter()
        .map(|s| s.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operator() {
        assert_eq!(RoomQuery::new().room_id("r").to_string(), r#"roomId:"r""#);
        assert_eq!(
            RoomQuery::new().room_id_prefix("team:").to_string(),
            r#"roomId^"team:""#
        );
        assert_eq!(
            RoomQuery::new().metadata("color", "blue").to_string(),
            r#"metadata["color"]:"blue""#
        );
        assert_eq!(
            ThreadQuery::new().resolved(true).to_string(),
            "resolved:true"
        );
        assert_eq!(
            ThreadQuery::new().metadata("n", 3).to_string(),
            r#"metadata["n"]:3"#
        );
        assert_eq!(
            ThreadQuery::new().metadata("pinned", true).to_string(),
            r#"metadata["pinned"]:true"#
        );
        assert_eq!(
            ThreadQuery::new()
                .metadata("n", float(1.5).unwrap())
                .to_string(),
            r#"metadata["n"]:1.5"#
        );
        assert_eq!(
            ThreadQuery::new().metadata_gt("x", 1).to_string(),
            r#"metadata["x"]>1"#
        );
        assert_eq!(
            ThreadQuery::new().metadata_gte("x", 1).to_string(),
            r#"metadata["x"]>=1"#
        );
        assert_eq!(
            ThreadQuery::new().metadata_lt("x", -2).to_string(),
            r#"metadata["x"]<-2"#
        );
        assert_eq!(
            ThreadQuery::new().metadata_lte("x", 0u8).to_string(),
            r#"metadata["x"]<=0"#
        );
        assert_eq!(
            ThreadQuery::new().metadata_prefix("s", "op").to_string(),
            r#"metadata["s"]^"op""#
        );
        assert_eq!(
            InboxNotificationQuery::new().unread(true).to_string(),
            "unread:true"
        );
        assert!(float(f64::NAN).is_none() && float(f64::INFINITY).is_none());
    }

    #[test]
    fn clauses_are_joined_with_and() {
        let q = RoomQuery::new()
            .room_id_prefix("liveblocks:")
            .metadata("status", "open");
        assert_eq!(
            q.to_string(),
            r#"roomId^"liveblocks:" AND metadata["status"]:"open""#
        );
        assert!(RoomQuery::new().is_empty());
        assert_eq!(RoomQuery::new().to_string(), "");
        assert_eq!(String::from(&q), q.to_string());
    }

    #[test]
    fn hostile_keys_and_values_stay_inside_their_strings() {
        let q = RoomQuery::new().metadata(r#"we"ird\key"#, r#"a" AND roomId^"x"#);
        assert_eq!(
            q.to_string(),
            r#"metadata["we\"ird\\key"]:"a\" AND roomId^\"x""#
        );
        let q = RoomQuery::new().room_id("tab\there\nnewline");
        assert_eq!(q.to_string(), r#"roomId:"tab\there\nnewline""#);
        let q = RoomQuery::new().metadata("emoji 🎉", "café ☕");
        assert_eq!(q.to_string(), "metadata[\"emoji 🎉\"]:\"café ☕\"");
        let q = ThreadQuery::new().metadata("k", "true");
        assert_eq!(
            q.to_string(),
            r#"metadata["k"]:"true""#,
            "the string true is not the boolean"
        );
    }

    #[test]
    fn ids_join_with_commas() {
        assert_eq!(join_ids(["a", "b", "c"]), "a,b,c");
        assert_eq!(join_ids(Vec::<String>::new()), "");
    }
}
