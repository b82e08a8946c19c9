//! Serde glue for optional request fields that may also be `null`.
//!
//! `codegen/` gives such fields the type `Option<Option<T>>`: `None` leaves the field out of
//! the body (keep the current value), `Some(None)` sends an explicit `null` (clear it), and
//! `Some(Some(v))` sends the value.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(None)` as `null` and `Some(Some(v))` as `v` (`None` is skipped by the field's
/// `skip_serializing_if`).
pub(crate) fn serialize<S, T>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    match value {
        Some(Some(inner)) => inner.serialize(serializer),
        Some(None) | None => serializer.serialize_none(),
    }
}

/// Reads a present field: `null` becomes `Some(None)`, a value `Some(Some(v))` (a missing field
/// is `None` through the field's `default`).
pub(crate) fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Body {
        #[serde(default, skip_serializing_if = "Option::is_none", with = "super")]
        note: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_value_round_trip() {
        for (value, wire) in [
            (None, "{}"),
            (Some(None), r#"{"note":null}"#),
            (Some(Some("hi".to_string())), r#"{"note":"hi"}"#),
        ] {
            let body = Body { note: value };
            assert_eq!(serde_json::to_string(&body).unwrap(), wire);
            assert_eq!(serde_json::from_str::<Body>(wire).unwrap(), body);
        }
    }
}
