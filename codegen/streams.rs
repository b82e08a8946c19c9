//! Step 4c: a `stream()` for every cursor-paginated list.

use super::*;

pub fn component<'a>(
    spec: &'a OpenAPI,
    r: &'a ReferenceOr<Schema>,
) -> Option<(&'a str, &'a Schema)> {
    resolve(spec, r)
}

/// A `stream()` method for every list operation: one with a `limit` query parameter, a cursor
/// query parameter (`startingAfter` or `cursor`) and a JSON response holding `nextCursor` and
/// one array of named items. The page size defaults to the `limit` maximum in the spec.
pub fn list_streams(spec: &OpenAPI) -> Result<Vec<TokenStream>, String> {
    let mut out = Vec::new();
    for (_, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in item.iter() {
            let Some(id) = &op.operation_id else { continue };
            let mut limit_max = None;
            let mut cursor_param = None;
            for p in &op.parameters {
                let ReferenceOr::Item(openapiv3::Parameter::Query { parameter_data, .. }) = p
                else {
                    continue;
                };
                match parameter_data.name.as_str() {
                    "limit" => {
                        let max = match &parameter_data.format {
                            openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => {
                                match &s.schema_kind {
                                    SchemaKind::Type(Type::Integer(i)) => i.maximum,
                                    _ => None,
                                }
                            }
                            _ => None,
                        };
                        limit_max = Some(max.unwrap_or(100));
                    }
                    "startingAfter" | "cursor" => cursor_param = Some(parameter_data.name.clone()),
                    _ => {}
                }
            }
            let (Some(limit_max), Some(cursor_param)) = (limit_max, cursor_param) else {
                continue;
            };
            let Some(schema_ref) = op
                .responses
                .responses
                .iter()
                .filter(|(code, _)| is_success(code))
                .find_map(|(_, r)| r.as_item())
                .and_then(|r| r.content.get("application/json"))
                .and_then(|m| m.schema.as_ref())
            else {
                continue;
            };
            let Some((_, page_schema)) = component(spec, schema_ref) else {
                continue;
            };
            let SchemaKind::Type(Type::Object(page)) = &page_schema.schema_kind else {
                continue;
            };
            if !page.properties.contains_key("nextCursor") {
                continue;
            }
            let Some((array_field, item_type)) = page.properties.iter().find_map(|(name, p)| {
                let ReferenceOr::Item(p) = p else { return None };
                let SchemaKind::Type(Type::Array(a)) = &p.schema_kind else {
                    return None;
                };
                let items = a.items.as_ref()?;
                let ReferenceOr::Reference { reference } = items else {
                    return None;
                };
                let item = reference.strip_prefix("#/components/schemas/")?;
                Some((name.clone(), item.to_string()))
            }) else {
                return Err(format!(
                    "{id}: a paginated list response needs an array of named items beside nextCursor"
                ));
            };
            let builder = format_ident!("{}", pascal(id));
            let item = format_ident!("{item_type}");
            let field = format_ident!("{}", snake(&array_field));
            let setter = format_ident!("{}", snake(&cursor_param));
            let max = u32::try_from(limit_max.clamp(1, i64::from(u32::MAX))).unwrap_or(100);
            let doc = format!(
                " Streams every item of this list, requesting pages of up to {max} (the API's \
                 maximum) with `{cursor_param}` cursors; the filters set on this builder are sent \
                 with every page and its `limit` is replaced by the stream's page size. See \
                 [`Paginated`](crate::pagination::Paginated) for page size, read-ahead, `pages()` \
                 and `try_collect_all()`."
            );
            out.push(quote! {
                impl<'a> #builder<'a> {
                    #[doc = #doc]
                    pub fn stream(self) -> crate::pagination::Paginated<'a, types::#item> {
                        crate::pagination::Paginated::new(#max, move |cursor, size| {
                            let request = self.clone().limit(size);
                            let request = match cursor {
                                Some(cursor) => request.#setter(cursor),
                                None => request,
                            };
                            ::std::boxed::Box::pin(async move {
                                let page = request.send().await?.into_inner();
                                Ok((page.#field, page.next_cursor))
                            })
                        })
                    }
                }
            });
        }
    }
    Ok(out)
}
