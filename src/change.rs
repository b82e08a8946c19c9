//! [`Change<T>`]: what an update request does to one field or map entry, keep it, remove it
//! (`null` on the wire) or set it.
//!
//! `codegen/change.rs` gives this type to every optional nullable field of a request body and
//! to every value of a map whose values may be `null` (room, thread, comment and feed metadata
//! patches, `usersAccesses`/`groupsAccesses` of `update_room`). The setters of those fields take
//! an [`IntoChange`] (the value itself, `&str`, permission strings, or a `Change`), the setters
//! of those maps an [`IntoChanges`] (a std map or an array of pairs of such values).

use std::collections::{BTreeMap, HashMap};

use serde::ser::{Error as _, SerializeMap as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::convert::{IntoPermissions, UnknownValue, pairs_into_map};
use crate::types::Permission;

/// What an update does to a field or map entry: [`Keep`](Change::Keep) it (the default: the
/// field is left out of the body), [`Remove`](Change::Remove) it (`null` is sent), or
/// [`Set`](Change::Set) it to a value.
///
/// On the wire, in a request body:
///
/// | `Change` | JSON |
/// |---|---|
/// | `Keep` | the field (or map entry) is left out |
/// | `Remove` | `null` |
/// | `Set(v)` | `v` |
///
/// Decoding reads a missing field as `Keep`, `null` as `Remove` and a value as `Set`.
///
/// Setters of `Change` fields take the value directly (`.description("Helps with docs")`,
/// permission strings for permission lists) or a `Change` (`.description(Change::Remove)`);
/// setters of maps whose values are `Change`s take pairs of either.
///
/// ```
/// use liveblocks::types::{UpdateAiCopilotRequestBody, UpdateRoomRequestBody};
/// use liveblocks::Change;
///
/// let body: UpdateRoomRequestBody = UpdateRoomRequestBody::builder()
///     .default_accesses(["room:read"]) // Set, from permission strings
///     .metadata([("color", Change::set("blue")), ("draft", Change::Remove)])
///     .users_accesses([("alice", Change::Remove)])
///     .try_into()?;
/// assert_eq!(
///     serde_json::to_value(&body)?,
///     serde_json::json!({
///         "defaultAccesses": ["room:read"],
///         "metadata": {"color": "blue", "draft": null},
///         "usersAccesses": {"alice": null}
///     })
/// );
///
/// // Fields left alone are `Keep` and are not sent.
/// let body: UpdateAiCopilotRequestBody = UpdateAiCopilotRequestBody::builder()
///     .description(Change::Remove)
///     .knowledge_prompt("Answer from the handbook")
///     .try_into()?;
/// assert!(body.settings.is_keep());
/// assert_eq!(
///     serde_json::to_value(&body)?,
///     serde_json::json!({"description": null, "knowledgePrompt": "Answer from the handbook"})
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Change<T> {
    /// Leave the current value as it is: the field or map entry is not sent.
    #[default]
    Keep,
    /// Remove the current value: `null` is sent.
    Remove,
    /// Set the value.
    Set(T),
}

impl<T> Change<T> {
    /// `Set(value.into())`: in a map of changes, `Change::set("blue")` next to `Change::Remove`
    /// (the value type comes from the map).
    pub fn set(value: impl Into<T>) -> Self {
        Change::Set(value.into())
    }

    /// Whether this leaves the value as it is (and is not sent).
    pub fn is_keep(&self) -> bool {
        matches!(self, Change::Keep)
    }

    /// Whether this removes the value (sends `null`).
    pub fn is_remove(&self) -> bool {
        matches!(self, Change::Remove)
    }

    /// Whether this sets a value.
    pub fn is_set(&self) -> bool {
        matches!(self, Change::Set(_))
    }

    /// The value set, if any.
    pub fn as_set(&self) -> Option<&T> {
        match self {
            Change::Set(value) => Some(value),
            Change::Keep | Change::Remove => None,
        }
    }

    /// The value set, if any.
    pub fn into_set(self) -> Option<T> {
        match self {
            Change::Set(value) => Some(value),
            Change::Keep | Change::Remove => None,
        }
    }

    /// `Change<&T>`, borrowing the value set.
    pub fn as_ref(&self) -> Change<&T> {
        match self {
            Change::Keep => Change::Keep,
            Change::Remove => Change::Remove,
            Change::Set(value) => Change::Set(value),
        }
    }

    /// Applies `f` to the value set; `Keep` and `Remove` stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Change<U> {
        match self {
            Change::Keep => Change::Keep,
            Change::Remove => Change::Remove,
            Change::Set(value) => Change::Set(f(value)),
        }
    }
}

impl<T> From<T> for Change<T> {
    fn from(value: T) -> Self {
        Change::Set(value)
    }
}

/// `Set(v)` is `v`, `Remove` is `null`. `Keep` has no JSON form: fields holding it are skipped
/// (`skip_serializing_if = "Change::is_keep"`), map entries holding it are left out, and
/// serializing it on its own is an error rather than a `null` that would remove the value.
impl<T: Serialize> Serialize for Change<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Change::Set(value) => value.serialize(serializer),
            Change::Remove => serializer.serialize_none(),
            Change::Keep => Err(S::Error::custom(
                "`Change::Keep` has no JSON form: it is left out of the request body",
            )),
        }
    }
}

/// `null` is `Remove`, a value is `Set`; a missing field is `Keep` (the field's
/// `#[serde(default)]`).
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Change<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|value| match value {
            Some(value) => Change::Set(value),
            None => Change::Remove,
        })
    }
}

// The schema of `Option<T>`: `null` or a value (fields of this type are never required).
#[cfg(feature = "schemars")]
crate::nullable::schema_of_option!(Change);

/// Serializes a map of changes, leaving out its `Keep` entries (`serialize_with` of the
/// generated map fields).
pub(crate) fn serialize_map<S, T>(
    map: &BTreeMap<String, Change<T>>,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    let changes = map.values().filter(|c| !c.is_keep()).count();
    let mut out = serializer.serialize_map(Some(changes))?;
    for (key, change) in map.iter().filter(|(_, c)| !c.is_keep()) {
        out.serialize_entry(key, change)?;
    }
    out.end()
}

/// Whether a map of changes changes nothing (it is empty or every entry is `Keep`): the field
/// is then left out (`skip_serializing_if` of the generated map fields).
pub(crate) fn unchanged<T>(map: &BTreeMap<String, Change<T>>) -> bool {
    map.values().all(Change::is_keep)
}

/// What a setter of a `Change<T>` field takes: a `T` (or anything the generated code converts
/// into one, such as `&str`), a [`Change<T>`], and for permission lists any
/// [`IntoPermissions`] (`["room:write"]`, `vec!["room:write"]`).
pub trait IntoChange<T> {
    /// The change, or the typo error of a permission string that is not a known one.
    fn into_change(self) -> Result<Change<T>, UnknownValue>;
}

impl IntoChange<String> for Change<String> {
    fn into_change(self) -> Result<Change<String>, UnknownValue> {
        Ok(self)
    }
}

impl<X: Into<String>> IntoChange<String> for X {
    fn into_change(self) -> Result<Change<String>, UnknownValue> {
        Ok(Change::Set(self.into()))
    }
}

impl IntoChange<Vec<Permission>> for Change<Vec<Permission>> {
    fn into_change(self) -> Result<Change<Vec<Permission>>, UnknownValue> {
        Ok(self)
    }
}

impl<P: IntoPermissions> IntoChange<Vec<Permission>> for P {
    fn into_change(self) -> Result<Change<Vec<Permission>>, UnknownValue> {
        self.into_permissions().map(Change::Set)
    }
}

/// What a setter of a map of changes takes: a `BTreeMap`, a `HashMap`, a `Vec` or an array of
/// `(key, value)` pairs, with keys that are `Into<String>` and values that are an
/// [`IntoChange`] (`[("color", "blue")]`, `[("color", Change::set("blue")), ("draft",
/// Change::Remove)]`).
pub trait IntoChanges<T> {
    /// The map, or the typo error of the first permission string that is not a known one.
    fn into_changes(self) -> Result<BTreeMap<String, Change<T>>, UnknownValue>;
}

fn collect<T, K: Into<String>, W: IntoChange<T>>(
    pairs: impl IntoIterator<Item = (K, W)>,
) -> Result<BTreeMap<String, Change<T>>, UnknownValue> {
    pairs_into_map(pairs, W::into_change)
}

impl<T, K: Into<String>, W: IntoChange<T>> IntoChanges<T> for BTreeMap<K, W> {
    fn into_changes(self) -> Result<BTreeMap<String, Change<T>>, UnknownValue> {
        collect(self)
    }
}

impl<T, K: Into<String>, W: IntoChange<T>, S> IntoChanges<T> for HashMap<K, W, S> {
    fn into_changes(self) -> Result<BTreeMap<String, Change<T>>, UnknownValue> {
        collect(self)
    }
}

impl<T, K: Into<String>, W: IntoChange<T>> IntoChanges<T> for Vec<(K, W)> {
    fn into_changes(self) -> Result<BTreeMap<String, Change<T>>, UnknownValue> {
        collect(self)
    }
}

impl<T, K: Into<String>, W: IntoChange<T>, const N: usize> IntoChanges<T> for [(K, W); N] {
    fn into_changes(self) -> Result<BTreeMap<String, Change<T>>, UnknownValue> {
        collect(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Body {
        #[serde(default, skip_serializing_if = "Change::is_keep")]
        note: Change<String>,
        #[serde(
            default,
            skip_serializing_if = "unchanged",
            serialize_with = "serialize_map"
        )]
        tags: BTreeMap<String, Change<u32>>,
    }

    #[test]
    fn keep_is_left_out_remove_is_null_set_is_the_value() {
        let body = Body {
            note: Change::Keep,
            tags: BTreeMap::from([("k".into(), Change::Keep)]),
        };
        assert_eq!(serde_json::to_string(&body).unwrap(), "{}");
        let body = Body {
            note: Change::Remove,
            tags: BTreeMap::from([
                ("a".into(), Change::Set(1)),
                ("b".into(), Change::Remove),
                ("k".into(), Change::Keep),
            ]),
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"note":null,"tags":{"a":1,"b":null}}"#
        );
        let err = serde_json::to_string(&Change::<u32>::Keep).unwrap_err();
        assert!(err.to_string().contains("Change::Keep"), "{err}");
    }
}
