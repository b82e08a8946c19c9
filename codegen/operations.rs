//! Step 4b: the table of operation facts the hooks use (method, path template, idempotency,
//! credential family).

use super::*;

/// The operation table the hooks use: method, path template, idempotency, credential family.
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
            let method_upper = method.to_ascii_uppercase();
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
                .unwrap_or("")
                .to_string();
            rows.push((
                id,
                method_upper,
                path.clone(),
                idempotent,
                if_query,
                management,
                authenticated,
            ));
        }
    }
    rows.sort();
    let row_tokens = rows.iter().map(
        |(id, _method, path, idempotent, if_query, management, authenticated)| {
            let if_query = if if_query.is_empty() {
                quote!(None)
            } else {
                quote!(Some(#if_query))
            };
            quote! {
                crate::operation::OperationMeta {
                    id: #id,
                    path: #path,
                    idempotent: #idempotent,
                    idempotent_if_query: #if_query,
                    management: #management,
                    authenticated: #authenticated,
                }
            }
        },
    );
    Ok(quote! {
        /// Facts about every operation, from the spec, sorted by operation id.
        pub(crate) static OPERATIONS: &[crate::operation::OperationMeta] = &[ #( #row_tokens ),* ];
    })
}
