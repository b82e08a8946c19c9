//! Conversions from the values a user has at hand (string slices, std maps, `vec!` of strings,
//! JSON values) into the generated request types.
//!
//! `codegen/conversions.rs` wires these into the generated code: map newtypes accept any std map
//! or array of pairs, setters of `Vec<Permission>` fields take any [`IntoPermissions`], setters
//! of inline permission maps any [`IntoPermissionMap`], and every request body converts from a
//! `serde_json::Value`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crate::types::Permission;

/// A string that is none of the values a type knows, with the closest known value.
///
/// Returned by the strict `FromStr` of every open enum (such as [`Permission`]) and by the
/// [`IntoPermissions`] conversions. Decoding a server response never returns it: an unknown
/// value there decodes to the enum's `Unknown` variant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    type_name: &'static str,
    value: String,
    suggestion: Option<&'static str>,
}

impl UnknownValue {
    /// `value` is not one of `known`, the values of `type_name`.
    pub fn new(type_name: &'static str, value: &str, known: &[&'static str]) -> Self {
        Self {
            type_name,
            value: value.to_owned(),
            suggestion: closest(value, known),
        }
    }

    /// The type the string was meant to be (for example `Permission`).
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The string that was given.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The known value closest to the given string, if one is close enough to be a typo.
    pub fn suggestion(&self) -> Option<&'static str> {
        self.suggestion
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a known {}", self.value, self.type_name)?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownValue {}

/// The known value at the smallest edit distance from `value`, when that distance is at most a
/// third of its length (at least 2).
fn closest(value: &str, known: &[&'static str]) -> Option<&'static str> {
    let limit = (value.chars().count() / 3).max(2);
    known
        .iter()
        .map(|k| (distance(value, k), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
        }
    }
    rows[a.len()][b.len()]
}

/// One permission: a [`Permission`], or a string naming a known one (`"room:write"`).
pub trait AsPermission {
    /// The permission, or the typo error naming the closest known value.
    fn to_permission(self) -> Result<Permission, UnknownValue>;
}

impl AsPermission for Permission {
    fn to_permission(self) -> Result<Permission, UnknownValue> {
        Ok(self)
    }
}

impl AsPermission for &Permission {
    fn to_permission(self) -> Result<Permission, UnknownValue> {
        Ok(self.clone())
    }
}

impl AsPermission for &str {
    fn to_permission(self) -> Result<Permission, UnknownValue> {
        self.parse()
    }
}

impl AsPermission for String {
    fn to_permission(self) -> Result<Permission, UnknownValue> {
        self.parse()
    }
}

impl AsPermission for &String {
    fn to_permission(self) -> Result<Permission, UnknownValue> {
        self.parse()
    }
}

/// A list of permissions: `vec!["room:write"]`, `["room:write"]`, `&["room:write"]`, or the
/// same of [`Permission`] values. Every setter of a `Vec<Permission>` field takes one.
pub trait IntoPermissions {
    /// The permissions, or the typo error of the first string that is not a known one.
    fn into_permissions(self) -> Result<Vec<Permission>, UnknownValue>;
}

impl<T: AsPermission> IntoPermissions for Vec<T> {
    fn into_permissions(self) -> Result<Vec<Permission>, UnknownValue> {
        self.into_iter().map(AsPermission::to_permission).collect()
    }
}

impl<T: AsPermission, const N: usize> IntoPermissions for [T; N] {
    fn into_permissions(self) -> Result<Vec<Permission>, UnknownValue> {
        self.into_iter().map(AsPermission::to_permission).collect()
    }
}

impl<'a, T> IntoPermissions for &'a [T]
where
    &'a T: AsPermission,
{
    fn into_permissions(self) -> Result<Vec<Permission>, UnknownValue> {
        self.iter().map(AsPermission::to_permission).collect()
    }
}

impl<'a, T, const N: usize> IntoPermissions for &'a [T; N]
where
    &'a T: AsPermission,
{
    fn into_permissions(self) -> Result<Vec<Permission>, UnknownValue> {
        self.iter().map(AsPermission::to_permission).collect()
    }
}

impl<'a, T> IntoPermissions for &'a Vec<T>
where
    &'a T: AsPermission,
{
    fn into_permissions(self) -> Result<Vec<Permission>, UnknownValue> {
        self.iter().map(AsPermission::to_permission).collect()
    }
}

impl AsPermission for &&str {
    fn to_permission(self) -> Result<Permission, UnknownValue> {
        self.parse()
    }
}

/// A map of permission lists: a `BTreeMap`, a `HashMap`, a `Vec` or an array of pairs with keys
/// that are `Into<String>` and values that are [`IntoPermissions`]
/// (`[("my-room-*", ["room:write"])]`). The setters of inline permission maps (such as
/// `authorize_user`'s `permissions`) take one.
pub trait IntoPermissionMap {
    /// The map, or the typo error of the first string that is not a known permission.
    fn into_permission_map(self) -> Result<BTreeMap<String, Vec<Permission>>, UnknownValue>;
}

/// `(key, value)` pairs into a map, each value through `convert` (the first error wins): the
/// one loop behind [`IntoPermissionMap`] and `IntoChanges`.
pub(crate) fn pairs_into_map<K: Into<String>, V, X>(
    pairs: impl IntoIterator<Item = (K, V)>,
    convert: impl Fn(V) -> Result<X, UnknownValue>,
) -> Result<BTreeMap<String, X>, UnknownValue> {
    pairs
        .into_iter()
        .map(|(k, v)| Ok((k.into(), convert(v)?)))
        .collect()
}

fn permission_map<K: Into<String>, P: IntoPermissions>(
    pairs: impl IntoIterator<Item = (K, P)>,
) -> Result<BTreeMap<String, Vec<Permission>>, UnknownValue> {
    pairs_into_map(pairs, P::into_permissions)
}

impl<K: Into<String>, P: IntoPermissions> IntoPermissionMap for BTreeMap<K, P> {
    fn into_permission_map(self) -> Result<BTreeMap<String, Vec<Permission>>, UnknownValue> {
        permission_map(self)
    }
}

impl<K: Into<String>, P: IntoPermissions, S> IntoPermissionMap for HashMap<K, P, S> {
    fn into_permission_map(self) -> Result<BTreeMap<String, Vec<Permission>>, UnknownValue> {
        permission_map(self)
    }
}

impl<K: Into<String>, P: IntoPermissions> IntoPermissionMap for Vec<(K, P)> {
    fn into_permission_map(self) -> Result<BTreeMap<String, Vec<Permission>>, UnknownValue> {
        permission_map(self)
    }
}

impl<K: Into<String>, P: IntoPermissions, const N: usize> IntoPermissionMap for [(K, P); N] {
    fn into_permission_map(self) -> Result<BTreeMap<String, Vec<Permission>>, UnknownValue> {
        permission_map(self)
    }
}

/// A JSON value that does not have the shape of the request body it was given as.
#[derive(Debug)]
pub struct InvalidBody {
    type_name: &'static str,
    source: serde_json::Error,
}

impl InvalidBody {
    /// `value` did not decode as `type_name`.
    pub fn new(type_name: &'static str, source: serde_json::Error) -> Self {
        Self { type_name, source }
    }

    /// The request body type the JSON was meant to be.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }
}

impl fmt::Display for InvalidBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the JSON is not a `{}`: {}", self.type_name, self.source)
    }
}

impl std::error::Error for InvalidBody {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_name_the_closest_value_and_far_strings_none() {
        let err = "room:wirte".parse::<Permission>().unwrap_err();
        assert_eq!(err.suggestion(), Some("room:write"));
        assert_eq!(
            err.to_string(),
            "`room:wirte` is not a known Permission; did you mean `room:write`?"
        );
        let err = "banana".parse::<Permission>().unwrap_err();
        assert_eq!(err.suggestion(), None);
        assert_eq!(distance("", "ab"), 2);
        assert_eq!(distance("ab", "ba"), 1);
    }
}
