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

/// The JSON Schema of a required nullable field, `Option<T>` that must be present (`null` or a
/// value): schemars calls every `Option` field optional, so `codegen/` describes such fields with
/// this type (`schemars(with = ..)`).
#[cfg(feature = "schemars")]
pub(crate) struct PresentOption<T>(std::marker::PhantomData<T>);

#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for PresentOption<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        <Option<T>>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <Option<T>>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T>>::json_schema(generator)
    }
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
