//! Step 4b: the facts the request path needs about every operation (method, path template as
//! segments, idempotency, credential family), one `static` per operation in `ops` plus a sorted
//! table of all of them.

use super::*;

/// The name of an operation's `static` in the generated `ops` module (`get_room` -> `GET_ROOM`).
pub fn meta_ident(operation_id: &str) -> syn::Ident {
    format_ident!("{}", operation_id.to_ascii_uppercase())
}

/// The segments of a path template: `/v2/rooms/{roomId}` -> literal `v2`, literal `rooms`,
/// parameter `roomId`. A template must start with `/`, have no empty segment, and a parameter
/// must be a whole segment.
pub fn template_segments(path: &str) -> Result<Vec<(bool, String)>, String> {
    let rest = path
        .strip_prefix('/')
        .ok_or_else(|| format!("{path}: a path template must start with `/`"))?;
    rest.split('/')
        .map(|segment| {
            if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
                && !name.is_empty()
                && !name.contains(['{', '}'])
            {
                Ok((true, name.to_string()))
            } else if segment.is_empty() || segment.contains(['{', '}']) {
                Err(format!(
                    "{path}: the segment {segment:?} is neither a literal nor one whole `{{parameter}}`"
                ))
            } else {
                Ok((false, segment.to_string()))
            }
        })
        .collect()
}

/// The `ops` module (one `OperationMeta` static per operation) and the sorted `OPERATIONS`
/// table.
///
/// An operation is idempotent when its method is (GET, PUT, DELETE, HEAD, OPTIONS) or when the
/// spec says so with `x-idempotent: true`; `x-idempotent-if-query: NAME` makes it idempotent when
/// the query parameter NAME is `true` (create room with `?idempotent=true`).
pub fn operations_table(spec: &OpenAPI) -> Result<TokenStream, String> {
    let mut rows = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let id = op
                .operation_id
                .clone()
                .ok_or_else(|| format!("{method} {path}: missing operationId"))?;
            let flagged = op
                .extensions
                .get("x-idempotent")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false);
            let idempotent =
                flagged || matches!(method, "get" | "put" | "delete" | "head" | "options");
            let management = op.tags.iter().any(|t| t == "Management");
            // `security: []` on an operation means it takes no credential at all.
            let authenticated = !op.security.as_ref().is_some_and(|s| s.is_empty());
            let if_query = op
                .extensions
                .get("x-idempotent-if-query")
                .and_then(serde_json::Value::as_str)
                .map(str::to_string);
            let segments = template_segments(path)?;
            rows.push((
                id,
                method.to_ascii_uppercase(),
                path.clone(),
                segments,
                idempotent,
                if_query,
                management,
                authenticated,
            ));
        }
    }
    rows.sort();
    let statics = rows.iter().map(
        |(id, method, path, segments, idempotent, if_query, management, authenticated)| {
            let name = meta_ident(id);
            let method = format_ident!("{method}");
            let if_query = match if_query {
                Some(q) => quote!(Some(#q)),
                None => quote!(None),
            };
            let segments = segments.iter().map(|(param, text)| {
                if *param {
                    quote!(Segment::Param(#text))
                } else {
                    quote!(Segment::Literal(#text))
                }
            });
            let doc = format!(" `{id}`: {path}");
            quote! {
                #[doc = #doc]
                pub(crate) static #name: OperationMeta = OperationMeta {
                    id: #id,
                    method: ::reqwest::Method::#method,
                    path: #path,
                    segments: &[ #( #segments ),* ],
                    idempotent: #idempotent,
                    idempotent_if_query: #if_query,
                    management: #management,
                    authenticated: #authenticated,
                };
            }
        },
    );
    let names = rows.iter().map(|row| meta_ident(&row.0));
    Ok(quote! {
        /// Facts about each operation, from the spec: what the request path checks and decides by.
        pub(crate) mod ops {
            use crate::operation::{OperationMeta, Segment};
            #( #statics )*
        }
        /// Every operation, sorted by operation id.
        pub(crate) static OPERATIONS: &[&crate::operation::OperationMeta] = &[ #( &ops::#names ),* ];
    })
}
