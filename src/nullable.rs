//! The JSON Schema of required nullable response fields.
//!
//! (Request fields that may be sent as `null` are [`Change`](crate::Change)s.)

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
