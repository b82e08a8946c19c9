//! `cargo xtask regen --from PATH [--apply POINTER]...`: takes an upstream OpenAPI document
//! (3.0 or 3.1, JSON or YAML; Liveblocks publishes `docs/references/v2.openapi.json`) into
//! `openapi/liveblocks.yaml` without losing ours. One file per stage:
//!
//! 1. `normalise.rs`: the upstream document's defects fixed tolerantly, each a `note:` with its
//!    JSON pointer (server prefix, kebab-case or missing operationIds, multi-type unions,
//!    misplaced component schemas, malformed schemas, several request media types, bodies
//!    without a schema, binary arrays, inline response enums), and the alias table's
//!    respellings (`aliases.rs`) applied;
//! 2. `convert.rs`: OpenAPI 3.1 converted to 3.0.3 and to the project's rules;
//! 3. `matching.rs`: upstream operations matched to ours by method and path, schemas by
//!    position;
//! 4. `merge.rs`: additions applied, removals, renames and retypes reported (applied only when
//!    named with `--apply`), in our conventions (`names.rs`);
//! 5. `report.rs`: the Markdown summary for the pull request.
//!
//! Without a document of ours (a new checkout), the converted upstream document is taken whole.

pub mod aliases;
mod convert;
mod matching;
mod merge;
mod names;
mod normalise;
mod report;

use serde_yaml::Value;

use crate::spec;

/// What an import produced.
pub struct Outcome {
    /// The merged document (canonical text, not yet validated by `regen`'s own pass).
    pub text: String,
    /// The Markdown summary.
    pub summary: String,
    /// The notes on the upstream document (`pointer: text`).
    pub notes: Vec<String>,
}

/// Imports `upstream` into `ours` (absent: a new document).
pub fn import(
    source: &str,
    upstream: &str,
    ours: Option<&str>,
    aliases: &aliases::Aliases,
    apply: &[String],
) -> Result<Outcome, String> {
    let mut up: Value = spec::parse(upstream).map_err(|e| format!("{source}: {e}"))?;
    let mut notes = Vec::new();
    normalise::before(&mut up, &mut notes).map_err(|e| format!("{source}: {e}"))?;
    convert::convert(&mut up, &mut notes).map_err(|errors| {
        format!(
            "{source}: {} unsupported construct(s), nothing written:\n  {}",
            errors.len(),
            errors.join("\n  ")
        )
    })?;
    normalise::after(&mut up, aliases, &mut notes);
    spec::normalize(&mut up)?;
    let Some(ours) = ours else {
        if !apply.is_empty() {
            return Err("--apply needs a document of ours to apply to".into());
        }
        return Ok(Outcome {
            text: crate::yaml::to_canonical(&up)?,
            summary: report::markdown(source, &[], &notes, false),
            notes,
        });
    };
    let (ours, _) = spec::canonical(ours)?;
    let pairing = matching::pair(&ours, &up);
    let mut changes = merge::changes(&ours, &up, &pairing);
    let merged = merge::apply(&ours, &mut changes, apply)?;
    Ok(Outcome {
        text: crate::yaml::to_canonical(&merged)?,
        summary: report::markdown(source, &changes, &notes, true),
        notes,
    })
}
