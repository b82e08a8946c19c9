//! Step 7: the crate page's table of every method, grouped by family (the spec's tags, in the
//! order the spec lists them), each name linked to its `Client` method. `build.rs` writes it to
//! `OUT_DIR/methods.md` and `src/lib.rs` appends it to the crate docs.

use super::*;

/// The Markdown table of every operation, one section per tag.
pub fn method_table(spec: &OpenAPI) -> String {
    let mut families: Vec<String> = spec.tags.iter().map(|t| t.name.clone()).collect();
    let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, item) in spec.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, op) in item.iter() {
            let Some(id) = &op.operation_id else {
                continue;
            };
            let family = op.tags.first().cloned().unwrap_or_else(|| "Other".into());
            if !families.contains(&family) {
                families.push(family.clone());
            }
            let summary = op
                .summary
                .as_deref()
                .unwrap_or("")
                .replace('|', "\\|")
                .replace('\n', " ");
            let deprecated = if op.deprecated { " (deprecated)" } else { "" };
            rows.entry(family).or_default().push(format!(
                "| [`{id}`](crate::Client::{id}){deprecated} | `{} {path}` | {summary} |",
                method.to_ascii_uppercase()
            ));
        }
    }
    let mut out = String::from(
        "\n# Every method, by family\n\nEach operation of the API is one `Client` method \
         (and one `blocking::Client` method with the `blocking` feature); its page lists the \
         parameters, the body, the return type, the error statuses and an example.\n",
    );
    for family in families {
        let Some(rows) = rows.get(&family) else {
            continue;
        };
        let _ = write!(
            out,
            "\n## {family} ({})\n\n| method | request | what it does |\n|---|---|---|\n",
            rows.len()
        );
        for row in rows {
            out.push_str(row);
            out.push('\n');
        }
    }
    out
}
