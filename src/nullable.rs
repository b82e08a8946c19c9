//! The JSON Schema of `null` or a value, for the types that stand for one.
//!
//! (Request fields that may be sent as `null` are [`Change`](crate::Change)s; their schema is
//! made here too.)

/// Implements `schemars::JsonSchema` for `$ty<T>` as the inline schema of `Option<T>` (`null`
/// or a value).
#[cfg(feature = "schemars")]
macro_rules! schema_of_option {
    ($ty:ident) => {
        impl<T: schemars::JsonSchema> schemars::JsonSchema for $ty<T> {
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
    };
}
#[cfg(feature = "schemars")]
pub(crate) use schema_of_option;

/// The JSON Schema of a required nullable field, `Option<T>` that must be present (`null` or a
/// value): schemars calls every `Option` field optional, so `codegen/` describes such fields with
/// this type (`schemars(with = ..)`).
#[cfg(feature = "schemars")]
pub(crate) struct PresentOption<T>(std::marker::PhantomData<T>);

#[cfg(feature = "schemars")]
schema_of_option!(PresentOption);
