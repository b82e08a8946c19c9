//! `cargo xtask diff [BASE] [--fail-on-breaking] [--json] [--root DIR]`: what changed in the
//! spec between BASE (a git revision, default the merge base with `main`, or a file) and the
//! working tree, classified for Rust users of the generated client.
//!
//! Classification (a change is **breaking** when code written against the previous crate can
//! stop compiling or stop working):
//! - operations: removed, moved to another method or path (every request changes): breaking;
//!   added, deprecated: compatible;
//! - parameters: removed, added required, optional made required, changed type: breaking;
//!   added optional, required made optional: compatible;
//! - request and response fields: removed, changed type, changed required (the Rust field type
//!   changes between `T` and `Option<T>`): breaking; added optional request field, any added
//!   response field (unknown fields are ignored): compatible; added required request field:
//!   breaking; `nullable` changed: breaking, except on an optional response field (it is an
//!   `Option` either way);
//! - enum values: removed: breaking; added to a named multi-value string enum (an open enum with
//!   an `Unknown` catch-all): compatible; added to any other enum: breaking when a response can
//!   carry it, compatible in a request;
//! - named schemas (`types::X`): removed: breaking; added: compatible.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde::Serialize;
use serde_yaml::Value;

use crate::spec::{self, METHODS};
use crate::validate::{deref, is_string_enum, resolve};

/// One change.
#[derive(Serialize, Debug, Clone)]
pub struct Change {
    /// Operation id, or `(types)` for named schemas.
    pub operation: String,
    /// `operation`, `parameter`, `request`, `response` or `schema`.
    pub location: String,
    /// Field path inside the location (`metadata.color`, `items[]`, `<Variant>`), may be empty.
    pub path: String,
    /// What happened: `added`, `removed`, `changed`, `deprecated`, `moved`.
    pub kind: String,
    /// Human-readable detail.
    pub detail: String,
    /// Whether Rust users can be broken by it.
    pub breaking: bool,
}

/// The whole report (the `--json` output).
#[derive(Serialize, Debug)]
pub struct Report {
    /// What was compared with the working tree.
    pub base: String,
    /// Number of breaking changes.
    pub breaking: usize,
    /// Number of compatible changes.
    pub compatible: usize,
    /// Every change, grouped by operation.
    pub changes: Vec<Change>,
}

/// `cargo xtask diff ...`
pub fn run(args: &[String], default_root: PathBuf) -> Result<ExitCode, String> {
    let mut root = default_root;
    let (mut base, mut json, mut fail) = (None, false, false);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--fail-on-breaking" => fail = true,
            "--root" => root = it.next().ok_or("--root needs a DIR")?.into(),
            a if a.starts_with("--") => return Err(format!("diff: unknown argument `{a}`")),
            a if base.is_none() => base = Some(a.to_string()),
            a => return Err(format!("diff: unexpected argument `{a}`")),
        }
    }
    let (label, old_text) = load_base(&root, base.as_deref())?;
    let new_path = root.join(crate::regen::SPEC);
    let new_text =
        std::fs::read_to_string(&new_path).map_err(|e| format!("{}: {e}", new_path.display()))?;
    let old = spec::parse(&old_text).map_err(|e| format!("{label}: {e}"))?;
    let new = spec::parse(&new_text).map_err(|e| format!("{}: {e}", new_path.display()))?;
    let report = compare(&label, &old, &new);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", markdown(&report, &old, &new));
    }
    Ok(if fail && report.breaking > 0 {
        eprintln!("xtask: {} breaking change(s)", report.breaking);
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn load_base(root: &Path, base: Option<&str>) -> Result<(String, String), String> {
    if let Some(b) = base
        && Path::new(b).is_file()
    {
        let text = std::fs::read_to_string(b).map_err(|e| format!("{b}: {e}"))?;
        return Ok((b.to_string(), text));
    }
    let rev = match base {
        Some(b) => b.to_string(),
        None => git(root, &["merge-base", "HEAD", "main"])
            .map_err(|e| format!("{e} (pass BASE: a git revision or a file)"))?
            .trim()
            .to_string(),
    };
    let text = git(root, &["show", &format!("{rev}:{}", crate::regen::SPEC)])?;
    let short: String = rev.chars().take(12).collect();
    Ok((short, text))
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

struct Op<'a> {
    method: String,
    path: String,
    op: &'a Value,
    item: &'a Value,
}

fn ops(doc: &Value) -> BTreeMap<String, Op<'_>> {
    let mut out = BTreeMap::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else {
        return out;
    };
    for (path, item) in paths {
        let path = path.as_str().unwrap_or_default().to_string();
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                let id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
                out.insert(
                    id,
                    Op {
                        method: method.to_uppercase(),
                        path: path.clone(),
                        op,
                        item,
                    },
                );
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Request,
    Response,
}

/// What a field looks like to Rust code.
#[derive(Clone, PartialEq, Debug)]
struct Field {
    ty: String,
    required: bool,
    nullable: bool,
    enum_values: Option<Vec<String>>,
    open_enum: bool,
}

/// Compares two documents.
pub fn compare(base: &str, old: &Value, new: &Value) -> Report {
    let mut changes = Vec::new();
    let (old_ops, new_ops) = (ops(old), ops(new));
    for (id, o) in &old_ops {
        let Some(n) = new_ops.get(id) else {
            changes.push(change(
                id,
                "operation",
                "",
                "removed",
                format!("{} {}", o.method, o.path),
                true,
            ));
            continue;
        };
        if (o.method.as_str(), o.path.as_str()) != (n.method.as_str(), n.path.as_str()) {
            // Every request of the operation now goes to another method or URL.
            let detail = format!("{} {} → {} {}", o.method, o.path, n.method, n.path);
            changes.push(change(id, "operation", "", "moved", detail, true));
        }
        let dep = |op: &Value| {
            op.get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        if dep(o.op) != dep(n.op) {
            let kind = if dep(n.op) {
                "deprecated"
            } else {
                "undeprecated"
            };
            changes.push(change(id, "operation", "", kind, String::new(), false));
        }
        compare_params(id, old, o, new, n, &mut changes);
        compare_body(id, old, o.op, new, n.op, &mut changes);
        let (os, ns) = (success_schema(old, o.op), success_schema(new, n.op));
        compare_schemas(
            id,
            "response",
            Side::Response,
            old,
            os.as_ref(),
            new,
            ns.as_ref(),
            &mut changes,
        );
    }
    for (id, n) in &new_ops {
        if !old_ops.contains_key(id) {
            changes.push(change(
                id,
                "operation",
                "",
                "added",
                format!("{} {}", n.method, n.path),
                false,
            ));
        }
    }
    let (old_names, new_names) = (spec::schema_names(old), spec::schema_names(new));
    for gone in old_names.difference(&new_names) {
        changes.push(change(
            "(types)",
            "schema",
            gone,
            "removed",
            format!("`types::{gone}`"),
            true,
        ));
    }
    for added in new_names.difference(&old_names) {
        changes.push(change(
            "(types)",
            "schema",
            added,
            "added",
            format!("`types::{added}`"),
            false,
        ));
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    Report {
        base: base.to_string(),
        breaking,
        compatible: changes.len() - breaking,
        changes,
    }
}

fn change(
    op: &str,
    location: &str,
    path: &str,
    kind: &str,
    detail: String,
    breaking: bool,
) -> Change {
    Change {
        operation: op.to_string(),
        location: location.to_string(),
        path: path.to_string(),
        kind: kind.to_string(),
        detail,
        breaking,
    }
}

fn params<'a>(doc: &'a Value, op: &Op<'a>) -> BTreeMap<String, &'a Value> {
    let mut out = BTreeMap::new();
    for list in [op.item.get("parameters"), op.op.get("parameters")] {
        for p in list.and_then(Value::as_sequence).into_iter().flatten() {
            let p = deref(doc, p);
            let key = format!(
                "{} `{}`",
                p.get("in").and_then(Value::as_str).unwrap_or("?"),
                p.get("name").and_then(Value::as_str).unwrap_or("?")
            );
            out.insert(key, p);
        }
    }
    out
}

fn compare_params(id: &str, old: &Value, o: &Op, new: &Value, n: &Op, changes: &mut Vec<Change>) {
    let (op, np) = (params(old, o), params(new, n));
    let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
    for (key, p) in &op {
        let Some(q) = np.get(key) else {
            changes.push(change(id, "parameter", key, "removed", String::new(), true));
            continue;
        };
        match (required(p), required(q)) {
            (false, true) => changes.push(change(
                id,
                "parameter",
                key,
                "changed",
                "optional → required".into(),
                true,
            )),
            (true, false) => changes.push(change(
                id,
                "parameter",
                key,
                "changed",
                "required → optional".into(),
                false,
            )),
            _ => {}
        }
        let mut fo = BTreeMap::new();
        let mut fnew = BTreeMap::new();
        if let Some(s) = p.get("schema") {
            flatten(old, s, String::new(), true, &mut Vec::new(), &mut fo);
        }
        if let Some(s) = q.get("schema") {
            flatten(new, s, String::new(), true, &mut Vec::new(), &mut fnew);
        }
        if let (Some(a), Some(b)) = (fo.get(""), fnew.get("")) {
            field_changes(id, "parameter", key, Side::Request, a, b, false, changes);
        }
    }
    for (key, q) in &np {
        if !op.contains_key(key) {
            let req = required(q);
            let detail = if req { "required" } else { "optional" };
            changes.push(change(id, "parameter", key, "added", detail.into(), req));
        }
    }
}

fn media_schema(holder: &Value) -> Option<(String, Value)> {
    spec::media_schema(holder).map(|(media, schema)| (media.to_string(), schema.clone()))
}

fn success_schema(doc: &Value, op: &Value) -> Option<(String, Value)> {
    let responses = op.get("responses")?.as_mapping()?;
    responses
        .iter()
        .filter(|(code, _)| code.as_str().is_some_and(|c| c.starts_with('2')))
        .find_map(|(_, r)| media_schema(deref(doc, r)))
}

fn compare_body(
    id: &str,
    old: &Value,
    o: &Value,
    new: &Value,
    n: &Value,
    changes: &mut Vec<Change>,
) {
    let body = |doc: &Value, op: &Value| op.get("requestBody").map(|b| deref(doc, b).clone());
    let (ob, nb) = (body(old, o), body(new, n));
    let required = |b: &Value| b.get("required").and_then(Value::as_bool).unwrap_or(false);
    match (&ob, &nb) {
        (Some(_), None) => changes.push(change(
            id,
            "request",
            "",
            "removed",
            "request body".into(),
            true,
        )),
        (None, Some(b)) => changes.push(change(
            id,
            "request",
            "",
            "added",
            "request body".into(),
            required(b),
        )),
        (Some(a), Some(b)) => {
            if !required(a) && required(b) {
                changes.push(change(
                    id,
                    "request",
                    "",
                    "changed",
                    "body optional → required".into(),
                    true,
                ));
            }
            let (os, ns) = (media_schema(a), media_schema(b));
            compare_schemas(
                id,
                "request",
                Side::Request,
                old,
                os.as_ref(),
                new,
                ns.as_ref(),
                changes,
            );
        }
        (None, None) => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn compare_schemas(
    id: &str,
    location: &str,
    side: Side,
    old: &Value,
    os: Option<&(String, Value)>,
    new: &Value,
    ns: Option<&(String, Value)>,
    changes: &mut Vec<Change>,
) {
    match (os, ns) {
        (None, None) => {}
        (Some((m, _)), None) => changes.push(change(
            id,
            location,
            "",
            "removed",
            format!("{m} body"),
            true,
        )),
        (None, Some((m, _))) => changes.push(change(
            id,
            location,
            "",
            "added",
            format!("{m} body"),
            side == Side::Response,
        )),
        (Some((om, o)), Some((nm, n))) => {
            if om != nm {
                changes.push(change(
                    id,
                    location,
                    "",
                    "changed",
                    format!("media type {om} → {nm}"),
                    true,
                ));
            }
            let mut fo = BTreeMap::new();
            let mut fnew = BTreeMap::new();
            flatten(old, o, String::new(), true, &mut Vec::new(), &mut fo);
            flatten(new, n, String::new(), true, &mut Vec::new(), &mut fnew);
            compare_fields(id, location, side, &fo, &fnew, changes);
        }
    }
}

fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    let cut = path.rfind(['.', '[', '{', '<']).unwrap_or(0);
    Some(&path[..cut])
}

fn compare_fields(
    id: &str,
    location: &str,
    side: Side,
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    changes: &mut Vec<Change>,
) {
    for (path, a) in old {
        match new.get(path) {
            Some(b) => field_changes(id, location, path, side, a, b, true, changes),
            None => {
                if parent(path).is_none_or(|p| new.contains_key(p)) {
                    changes.push(change(
                        id,
                        location,
                        path,
                        "removed",
                        format!("field ({})", a.ty),
                        true,
                    ));
                }
            }
        }
    }
    for (path, b) in new {
        if !old.contains_key(path) && parent(path).is_none_or(|p| old.contains_key(p)) {
            let breaking = side == Side::Request && b.required;
            let detail = format!(
                "{} field ({})",
                if b.required { "required" } else { "optional" },
                b.ty
            );
            changes.push(change(id, location, path, "added", detail, breaking));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn field_changes(
    id: &str,
    location: &str,
    path: &str,
    side: Side,
    a: &Field,
    b: &Field,
    check_required: bool,
    changes: &mut Vec<Change>,
) {
    if a.ty != b.ty {
        changes.push(change(
            id,
            location,
            path,
            "changed",
            format!("type {} → {}", a.ty, b.ty),
            true,
        ));
    }
    if check_required && a.required != b.required {
        let detail = if b.required {
            "optional → required"
        } else {
            "required → optional"
        };
        changes.push(change(id, location, path, "changed", detail.into(), true));
    }
    if a.nullable != b.nullable {
        let breaking = side != Side::Response || b.required;
        let detail = if b.nullable {
            "now nullable"
        } else {
            "no longer nullable"
        };
        changes.push(change(
            id,
            location,
            path,
            "changed",
            detail.into(),
            breaking,
        ));
    }
    if let (Some(av), Some(bv)) = (&a.enum_values, &b.enum_values) {
        let removed: Vec<&String> = av.iter().filter(|v| !bv.contains(v)).collect();
        let added: Vec<&String> = bv.iter().filter(|v| !av.contains(v)).collect();
        let list = |values: &[&String]| {
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !removed.is_empty() {
            changes.push(change(
                id,
                location,
                path,
                "changed",
                format!("enum values removed: {}", list(&removed)),
                true,
            ));
        }
        if !added.is_empty() {
            let breaking = !b.open_enum && side == Side::Response;
            let why = if b.open_enum { " (open enum)" } else { "" };
            changes.push(change(
                id,
                location,
                path,
                "changed",
                format!("enum values added: {}{why}", list(&added)),
                breaking,
            ));
        }
    }
}

/// Flattens a schema into field paths.
fn flatten(
    doc: &Value,
    schema: &Value,
    path: String,
    required: bool,
    stack: &mut Vec<String>,
    out: &mut BTreeMap<String, Field>,
) {
    let (named, schema) = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => (
            r.rsplit('/').next().map(str::to_string),
            resolve(doc, r).unwrap_or(&Value::Null),
        ),
        None => (None, schema),
    };
    let nullable = schema
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    // `allOf: [single]` (how a nullable or defaulted $ref is written): the member's type.
    if let Some([single]) = schema
        .get("allOf")
        .and_then(Value::as_sequence)
        .map(Vec::as_slice)
        && named.is_none()
    {
        flatten(doc, single, path.clone(), required, stack, out);
        if let Some(f) = out.get_mut(&path) {
            f.nullable |= nullable;
        }
        return;
    }
    let ty = describe(schema, named.as_deref());
    let enum_values = schema
        .get("enum")
        .and_then(Value::as_sequence)
        .map(|v| v.iter().map(spec::scalar_text).collect());
    out.insert(
        path.clone(),
        Field {
            ty,
            required,
            nullable,
            enum_values,
            open_enum: named.is_some() && is_string_enum(schema),
        },
    );
    if let Some(name) = &named {
        if stack.contains(name) {
            return;
        }
        stack.push(name.clone());
    }
    let join = |sep: &str, seg: &str| {
        if path.is_empty() && sep == "." {
            seg.to_string()
        } else {
            format!("{path}{sep}{seg}")
        }
    };
    let required_list = spec::required_names(schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_mapping) {
        for (name, sub) in props {
            let name = name.as_str().unwrap_or_default();
            flatten(
                doc,
                sub,
                join(".", name),
                required_list.iter().any(|r| r == name),
                stack,
                out,
            );
        }
    }
    if let Some(items) = schema.get("items") {
        flatten(doc, items, join("[]", ""), true, stack, out);
    }
    if let Some(values) = schema
        .get("additionalProperties")
        .filter(|v| v.is_mapping())
    {
        flatten(doc, values, join("{}", ""), true, stack, out);
    }
    let own = out.get(&path).cloned();
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, member) in schema
            .get(key)
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if key == "allOf" {
                flatten(doc, member, path.clone(), required, stack, out);
                // The member overwrote this schema's own entry: keep the composite's.
                if let Some(own) = &own {
                    out.insert(path.clone(), own.clone());
                }
                continue;
            }
            let label = member
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.rsplit('/').next())
                .map(str::to_string)
                .unwrap_or_else(|| i.to_string());
            flatten(doc, member, format!("{path}<{label}>"), true, stack, out);
        }
    }
    if named.is_some() {
        stack.pop();
    }
}

/// A short type description: the schema name for named schemas, else `string(date-time)`,
/// `array of X`, `map of X`, `object`, `oneOf`.
pub fn describe(schema: &Value, named: Option<&str>) -> String {
    if let Some(name) = named {
        return format!("`{name}`");
    }
    let inner = |v: &Value| -> String {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => format!("`{}`", r.rsplit('/').next().unwrap_or(r)),
            None => describe(v, None),
        }
    };
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!(
            "array of {}",
            schema.get("items").map(inner).unwrap_or("any".into())
        ),
        Some("object") | None
            if schema
                .get("additionalProperties")
                .is_some_and(Value::is_mapping) =>
        {
            format!(
                "map of {}",
                schema
                    .get("additionalProperties")
                    .map(inner)
                    .unwrap_or_default()
            )
        }
        Some(t) => match schema.get("format").and_then(Value::as_str) {
            Some(f) => format!("{t}({f})"),
            None => t.to_string(),
        },
        None if schema.get("oneOf").is_some() => "oneOf".into(),
        None if schema.get("anyOf").is_some() => "anyOf".into(),
        None if schema.get("allOf").is_some() => "allOf".into(),
        None if schema.get("properties").is_some() => "object".into(),
        None => "any".into(),
    }
}

fn endpoint(doc: &Value, id: &str) -> Option<String> {
    ops(doc).get(id).map(|o| format!("{} {}", o.method, o.path))
}

/// The Markdown report for a pull-request comment.
pub fn markdown(report: &Report, old: &Value, new: &Value) -> String {
    let mut md = format!("## API changes: `{}` → working tree\n\n", report.base);
    if report.changes.is_empty() {
        md.push_str("No changes to the operations or types of the API.\n");
        return md;
    }
    md.push_str(&format!(
        "**{} breaking**, {} compatible change(s).\n\n",
        report.breaking, report.compatible
    ));
    let impact = |b: bool| if b { "**breaking**" } else { "compatible" };
    let op_level: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.location == "operation" && c.operation != "(types)")
        .collect();
    if !op_level.is_empty() {
        md.push_str(
            "### Operations\n\n| impact | operation | change | detail |\n|---|---|---|---|\n",
        );
        for c in &op_level {
            md.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                impact(c.breaking),
                c.operation,
                c.kind,
                c.detail
            ));
        }
        md.push('\n');
    }
    let mut by_op: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for c in report.changes.iter().filter(|c| c.location != "operation") {
        by_op.entry(&c.operation).or_default().push(c);
    }
    if !by_op.is_empty() {
        md.push_str("### Details\n\n");
    }
    for (op, list) in by_op {
        let title = if op == "(types)" {
            "Named schemas (`types::*`)".to_string()
        } else {
            let ep = endpoint(new, op)
                .or_else(|| endpoint(old, op))
                .unwrap_or_default();
            format!("`{op}` — `{ep}`")
        };
        md.push_str(&format!(
            "#### {title}\n\n| impact | where | change |\n|---|---|---|\n"
        ));
        for c in list {
            let place = if c.path.is_empty() {
                c.location.clone()
            } else {
                format!("{} `{}`", c.location, c.path)
            };
            let what = if c.detail.is_empty() {
                c.kind.clone()
            } else {
                format!("{}: {}", c.kind, c.detail)
            };
            md.push_str(&format!("| {} | {place} | {what} |\n", impact(c.breaking)));
        }
        md.push('\n');
    }
    md
}
