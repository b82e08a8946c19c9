//! Stage 4: the merge into our document, in our conventions.
//!
//! Walking each matched pair of operations (and of schemas) in parallel, every difference
//! becomes a [`Change`] at our JSON pointer:
//! - what upstream adds is **added**: operations (named, tagged and placed like their
//!   neighbours), query and header parameters, request bodies, fields, enum values, union
//!   members, error statuses, the `deprecated` flag, and the upstream schemas these need;
//! - what upstream removes, renames or retypes is **reported** and not applied: operations,
//!   parameters, fields, enum values and union members upstream lacks, fields and parameters
//!   it spells otherwise (`userId` for `user_id`), other types, formats, nullability,
//!   required-ness, media types and success statuses. Each carries the edits that would take
//!   upstream's version; `--apply POINTER` applies them;
//! - our names, summaries, descriptions, examples, tags and `x-` annotations are never
//!   compared: they are ours.
//!
//! [`apply`] then edits a copy of our document and validates it; an addition the merged
//! document cannot take (a validation error inside it) is dropped and listed, the rest kept.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::{Mapping, Value};

use super::matching::{Op, Pairing, Place, Slot, pair_members, slots, target};
use super::names::respelling_key;
use super::names::unique;
use crate::diff::describe;
use crate::spec::{self, media_schema, pointer_mut, ptr, scalar_text, split_pointer};
use crate::validate::{self, ERROR_RESPONSE, resolve, shape};
use crate::yaml::{escape_pointer, unescape_pointer};

/// One edit of our document.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Sets the node at `at`; a new mapping key goes right after `after` (or last).
    Put {
        at: String,
        value: Value,
        after: Option<String>,
    },
    /// Removes the mapping key at `at`.
    Delete { at: String },
    /// Appends `value` to the sequence at `list` (created when absent) unless it is there.
    Push { list: String, value: Value },
    /// Removes every item equal to `value` from the sequence at `list`.
    Pull { list: String, value: Value },
    /// Renames the key `from` of the mapping at `map`, in place.
    Rename {
        map: String,
        from: String,
        to: String,
    },
}

/// What became of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// An addition, applied.
    Added,
    /// A removal, rename or retype, not applied.
    Reported,
    /// A reported change applied with `--apply`.
    Applied,
    /// An addition the merged document could not take.
    Dropped,
    /// A schema addition nothing applied refers to (not listed).
    Unused,
}

/// One difference between upstream and ours.
#[derive(Clone, Debug)]
pub struct Change {
    /// Where, in our document.
    pub pointer: String,
    /// What, for people.
    pub what: String,
    pub status: Status,
    /// What applying it does.
    pub edits: Vec<Edit>,
    /// Why an addition was dropped.
    pub reason: Option<String>,
}

fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

/// Appends to the list at `list` (see [`Edit::Push`]).
fn push(list: impl Into<String>, value: Value) -> Edit {
    Edit::Push {
        list: list.into(),
        value,
    }
}

/// Removes from the list at `list` (see [`Edit::Pull`]).
fn pull(list: impl Into<String>, value: Value) -> Edit {
    Edit::Pull {
        list: list.into(),
        value,
    }
}

/// Sets the node at `at` (a new mapping key goes last).
fn put(at: impl Into<String>, value: Value) -> Edit {
    Edit::Put {
        at: at.into(),
        value,
        after: None,
    }
}

fn flag(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn required(v: &Value) -> BTreeSet<String> {
    spec::required_names(v).into_iter().collect()
}

/// What a schema is, for comparing: its `type`, else its composition, else `any`.
fn kind(schema: &Value) -> String {
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        return t.to_string();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if schema.get(key).is_some() {
            return key.to_string();
        }
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        return "object".into();
    }
    match schema
        .get("enum")
        .and_then(Value::as_sequence)
        .and_then(|e| e.first())
    {
        Some(Value::String(_)) => "string".into(),
        Some(Value::Bool(_)) => "boolean".into(),
        Some(Value::Number(_)) => "number".into(),
        _ => "any".into(),
    }
}

struct Merge<'a> {
    ours: &'a Value,
    up: &'a Value,
    /// Upstream schema name -> ours (grows with the schemas added).
    schemas: BTreeMap<String, String>,
    /// Our schema names (grows).
    taken: BTreeSet<String>,
    /// Our operation ids (grows).
    ids: BTreeSet<String>,
    /// Path items created by new operations.
    new_paths: BTreeSet<String>,
    /// The last new path placed after each of ours (the next goes after it, in upstream's
    /// order).
    placed: BTreeMap<String, String>,
    seen: BTreeSet<(String, String)>,
    changes: Vec<Change>,
}

/// Every difference between the matched documents.
pub fn changes(ours: &Value, up: &Value, pairing: &Pairing) -> Vec<Change> {
    let taken = spec::schema_names(ours);
    let ids = spec::operations(ours)
        .iter()
        .filter_map(|(_, _, _, op)| op.get("operationId").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let mut m = Merge {
        ours,
        up,
        schemas: pairing.schemas.clone(),
        taken,
        ids,
        new_paths: BTreeSet::new(),
        placed: BTreeMap::new(),
        seen: BTreeSet::new(),
        changes: Vec::new(),
    };
    for (o, u) in &pairing.pairs {
        m.operation(o, u);
    }
    // Schemas matched by name only, not reached from an operation.
    for (u, o) in &pairing.schemas {
        if m.seen.insert((o.clone(), u.clone()))
            && let (Some(a), Some(b)) = (schema_named(ours, o), schema_named(up, u))
        {
            m.body(&ptr("/components/schemas", o), a, b);
        }
    }
    for u in &pairing.new {
        m.new_operation(u);
    }
    for o in &pairing.lacking {
        let id = str_of(o.get(ours), "operationId").to_string();
        m.report(
            &o.pointer,
            format!("operation `{id}` ({}): upstream lacks it", o.endpoint()),
            vec![Edit::Delete {
                at: o.pointer.clone(),
            }],
        );
    }
    // A schema shared by several operations is compared once, but a nullability seen at each
    // of its uses: one change per place and text.
    let mut seen = BTreeSet::new();
    m.changes
        .retain(|c| seen.insert((c.pointer.clone(), c.what.clone())));
    m.changes
}

fn schema_named<'a>(doc: &'a Value, name: &str) -> Option<&'a Value> {
    resolve(
        doc,
        &format!("#/components/schemas/{}", escape_pointer(name)),
    )
}

impl Merge<'_> {
    fn record(&mut self, status: Status, pointer: &str, what: String, edits: Vec<Edit>) {
        self.changes.push(Change {
            pointer: pointer.to_string(),
            what,
            status,
            edits,
            reason: None,
        });
    }

    fn add(&mut self, pointer: &str, what: String, edits: Vec<Edit>) {
        self.record(Status::Added, pointer, what, edits);
    }

    fn report(&mut self, pointer: &str, what: String, edits: Vec<Edit>) {
        self.record(Status::Reported, pointer, what, edits);
    }

    /// An upstream value in our document's terms: its `$ref`s renamed to our schemas, the
    /// upstream schemas ours lacks added (under their upstream name).
    fn translate(&mut self, v: &Value) -> Value {
        let mut out = v.clone();
        let mut names = Vec::new();
        spec::refs_mut(&mut out, &mut |r| {
            if let Some(n) = r.strip_prefix("#/components/schemas/") {
                names.push(unescape_pointer(n));
            }
        });
        let map: BTreeMap<String, String> = names
            .into_iter()
            .map(|n| {
                let ours = self.schema_name(&n);
                (n, ours)
            })
            .collect();
        spec::refs_mut(&mut out, &mut |r| {
            if let Some(o) = r
                .strip_prefix("#/components/schemas/")
                .and_then(|n| map.get(&unescape_pointer(n)))
            {
                *r = format!("#/components/schemas/{}", escape_pointer(o));
            }
        });
        out
    }

    /// Our name for an upstream schema, adding it when ours has no match.
    fn schema_name(&mut self, up_name: &str) -> String {
        if let Some(n) = self.schemas.get(up_name) {
            return n.clone();
        }
        let name = unique(up_name, "", &self.taken);
        self.schemas.insert(up_name.to_string(), name.clone());
        self.taken.insert(name.clone());
        let body = schema_named(self.up, up_name)
            .cloned()
            .unwrap_or(Value::Null);
        let value = self.translate(&body);
        let at = ptr("/components/schemas", &name);
        self.add(
            &at.clone(),
            format!("schema `{name}`"),
            vec![put(at, value)],
        );
        name
    }

    /// A short type of an upstream value, in our names.
    fn type_of(&mut self, up_value: &Value) -> String {
        let v = self.translate(up_value);
        let (name, t) = target(self.ours, &v);
        describe(t, name.as_deref())
    }

    fn operation(&mut self, o: &Op, u: &Op) {
        let (oo, uo) = (o.get(self.ours), u.get(self.up));
        let id = str_of(oo, "operationId").to_string();
        if flag(uo, "deprecated") && !flag(oo, "deprecated") {
            let at = format!("{}/deprecated", o.pointer);
            self.add(
                &at.clone(),
                format!("`{id}` deprecated"),
                vec![put(at, Value::Bool(true))],
            );
        }
        let mut ours_only = Vec::new();
        let mut up_only = Vec::new();
        for slot in slots(self.ours, o, self.up, u) {
            let Slot { place, ours, up } = slot;
            match (&place, ours, up) {
                (Place::Param { .. }, Some((p, a)), Some((_, b))) => self.param(&id, &p, a, b),
                (Place::Param { .. }, Some((p, a)), None) => ours_only.push((p, a)),
                (Place::Param { .. }, None, Some((_, b))) => up_only.push(b),
                (Place::Body, a, b) => self.request_body(&id, o, a, b),
                (Place::Success, Some((p, a)), Some((code, b))) => {
                    self.success(&id, o, &p, a, &code, b)
                }
                _ => {}
            }
        }
        let mut next = oo
            .get("parameters")
            .and_then(Value::as_sequence)
            .map_or(0, Vec::len);
        for b in up_only {
            let (location, name) = (str_of(b, "in"), str_of(b, "name"));
            if let Some(k) = ours_only.iter().position(|(_, a)| {
                str_of(a, "in") == location
                    && respelling_key(str_of(a, "name")) == respelling_key(name)
            }) {
                let (p, a) = ours_only.remove(k);
                self.report(
                    &p,
                    format!(
                        "{location} parameter `{}` of `{id}`: upstream spells it `{name}`",
                        str_of(a, "name")
                    ),
                    vec![put(format!("{p}/name"), s(name))],
                );
                continue;
            }
            let value = self.translate(b);
            let ty = b.get("schema").map(|s| self.type_of(s)).unwrap_or_default();
            let req = if flag(b, "required") {
                "required"
            } else {
                "optional"
            };
            self.add(
                &format!("{}/parameters/{next}", o.pointer),
                format!("{location} parameter `{name}` ({ty}, {req}) of `{id}`"),
                vec![Edit::Push {
                    list: format!("{}/parameters", o.pointer),
                    value,
                }],
            );
            next += 1;
        }
        for (p, a) in ours_only {
            let raw = resolve(self.ours, &format!("#{p}"))
                .cloned()
                .unwrap_or(Value::Null);
            let list = split_pointer(&p)
                .map(|(l, _)| l.to_string())
                .unwrap_or_default();
            self.report(
                &p,
                format!(
                    "{} parameter `{}` of `{id}`: upstream lacks it",
                    str_of(a, "in"),
                    str_of(a, "name")
                ),
                vec![pull(list, raw)],
            );
        }
        let codes = |op: &Value| -> Vec<String> {
            op.get("responses")
                .and_then(Value::as_mapping)
                .map(|r| {
                    r.keys()
                        .filter_map(|k| crate::yaml::key_text(k, "").ok())
                        .collect()
                })
                .unwrap_or_default()
        };
        let ours_codes = codes(oo);
        for code in codes(uo) {
            if (code.starts_with('4') || code.starts_with('5')) && !ours_codes.contains(&code) {
                let at = ptr(&format!("{}/responses", o.pointer), &code);
                let mut reference = Mapping::new();
                reference.insert(s("$ref"), s(ERROR_RESPONSE));
                self.add(
                    &at.clone(),
                    format!("status {code} of `{id}` (the shared Error response)"),
                    vec![put(at, Value::Mapping(reference))],
                );
            }
        }
    }

    /// The `required: true|false` of a parameter or a request body.
    fn required_flag(&mut self, p: &str, label: &str, a: &Value, b: &Value) {
        let (ra, rb) = (flag(a, "required"), flag(b, "required"));
        if ra != rb {
            let at = format!("{p}/required");
            self.report(
                &at.clone(),
                format!(
                    "{label} required: ours {}, upstream {}",
                    yes_no(ra),
                    yes_no(rb)
                ),
                vec![put(at, Value::Bool(rb))],
            );
        }
    }

    fn param(&mut self, id: &str, p: &str, a: &Value, b: &Value) {
        let (location, name) = (str_of(a, "in"), str_of(a, "name"));
        self.required_flag(p, &format!("{location} parameter `{name}` of `{id}`"), a, b);
        if let (Some(sa), Some(sb)) = (a.get("schema"), b.get("schema")) {
            self.schema(&format!("{p}/schema"), sa, sb);
        }
    }

    fn request_body(
        &mut self,
        id: &str,
        o: &Op,
        a: Option<(String, &Value)>,
        b: Option<(String, &Value)>,
    ) {
        match (a, b) {
            (None, None) => {}
            (None, Some((_, b))) => {
                let at = format!("{}/requestBody", o.pointer);
                let media = media_schema(b)
                    .map(|(m, _)| m.to_string())
                    .unwrap_or_default();
                let value = self.translate(b);
                self.add(
                    &at.clone(),
                    format!("request body ({media}) of `{id}`"),
                    vec![put(at, value)],
                );
            }
            (Some((p, _)), None) => self.report(
                &p,
                format!("request body of `{id}`: upstream has none"),
                vec![Edit::Delete { at: p.clone() }],
            ),
            (Some((p, a)), Some((_, b))) => {
                self.required_flag(&p, &format!("request body of `{id}`"), a, b);
                self.content(&p, &format!("request body of `{id}`"), a, b);
            }
        }
    }

    fn success(&mut self, id: &str, o: &Op, p: &str, a: &Value, code: &str, b: &Value) {
        let ours_code = split_pointer(p).map(|(_, c)| c).unwrap_or_default();
        if ours_code != code {
            self.report(
                p,
                format!("success status of `{id}`: ours {ours_code}, upstream {code}"),
                vec![Edit::Rename {
                    map: format!("{}/responses", o.pointer),
                    from: ours_code,
                    to: code.to_string(),
                }],
            );
        }
        self.content(p, &format!("response of `{id}`"), a, b);
    }

    /// The bodies of a request or a response.
    fn content(&mut self, p: &str, label: &str, a: &Value, b: &Value) {
        let cp = format!("{p}/content");
        let take = |m: &mut Self| {
            let value = m.translate(b.get("content").unwrap_or(&Value::Null));
            vec![put(cp.clone(), value)]
        };
        match (media_schema(a), media_schema(b)) {
            (None, None) => {}
            (None, Some((mb, _))) => {
                let edits = take(self);
                self.report(&cp, format!("{label}: upstream has a body ({mb})"), edits);
            }
            (Some((ma, _)), None) => self.report(
                &cp,
                format!("{label}: upstream has no body (ours {ma})"),
                vec![Edit::Delete { at: cp.clone() }],
            ),
            (Some((ma, _)), Some((mb, _))) if ma != mb => {
                let edits = take(self);
                self.report(
                    &cp,
                    format!("{label} media type: ours {ma}, upstream {mb}"),
                    edits,
                );
            }
            (Some((ma, sa)), Some((_, sb))) => {
                self.schema(&format!("{}/schema", ptr(&cp, ma)), sa, sb);
            }
        }
    }

    /// Two schemas at the same place (`o_ptr` is where ours is written).
    fn schema(&mut self, o_ptr: &str, o: &Value, u: &Value) {
        let (on, ot) = target(self.ours, o);
        let (un, ut) = target(self.up, u);
        let o_null = flag(o, "nullable") || flag(ot, "nullable");
        let u_null = flag(u, "nullable") || flag(ut, "nullable");
        if o_null != u_null {
            let edits = if u_null && o.get("$ref").is_some() {
                let mut wrapper = Mapping::new();
                wrapper.insert(s("allOf"), Value::Sequence(vec![o.clone()]));
                wrapper.insert(s("nullable"), Value::Bool(true));
                vec![put(o_ptr.to_string(), Value::Mapping(wrapper))]
            } else if u_null {
                vec![put(format!("{o_ptr}/nullable"), Value::Bool(true))]
            } else if flag(o, "nullable") {
                vec![Edit::Delete {
                    at: format!("{o_ptr}/nullable"),
                }]
            } else {
                let named = on
                    .as_ref()
                    .map(|n| ptr("/components/schemas", n))
                    .unwrap_or_default();
                vec![Edit::Delete {
                    at: format!("{named}/nullable"),
                }]
            };
            self.report(
                o_ptr,
                format!(
                    "nullable: ours {}, upstream {}",
                    yes_no(o_null),
                    yes_no(u_null)
                ),
                edits,
            );
        }
        match (on, un) {
            (Some(a), Some(b)) => {
                if self.seen.insert((a.clone(), b)) {
                    self.body(&ptr("/components/schemas", &a), ot, ut);
                }
            }
            (Some(a), None) => self.body(&ptr("/components/schemas", &a), ot, ut),
            (None, _) => {
                let inline = match o.get("allOf").and_then(Value::as_sequence) {
                    Some(list) if list.len() == 1 => format!("{o_ptr}/allOf/0"),
                    _ => o_ptr.to_string(),
                };
                self.body(&inline, ot, ut);
            }
        }
    }

    /// The schemas themselves (`p` points at ours).
    fn body(&mut self, p: &str, ot: &Value, ut: &Value) {
        let (ok, uk) = (kind(ot), kind(ut));
        if ok != uk {
            let value = self.translate(ut);
            self.report(
                p,
                format!(
                    "type: ours {}, upstream {}",
                    describe(ot, None),
                    describe(ut, None)
                ),
                vec![put(p.to_string(), value)],
            );
            return;
        }
        let (of, uf) = (
            ot.get("format").and_then(Value::as_str),
            ut.get("format").and_then(Value::as_str),
        );
        if of != uf {
            let at = format!("{p}/format");
            let edit = match uf {
                Some(f) => put(at.clone(), s(f)),
                None => Edit::Delete { at: at.clone() },
            };
            self.report(
                &at,
                format!(
                    "format: ours {}, upstream {}",
                    of.unwrap_or("none"),
                    uf.unwrap_or("none")
                ),
                vec![edit],
            );
        }
        self.enum_values(p, ot, ut);
        self.fields(p, ot, ut);
        if let (Some(a), Some(b)) = (ot.get("items"), ut.get("items")) {
            self.schema(&format!("{p}/items"), a, b);
        }
        fn map_values(v: &Value) -> Option<&Value> {
            v.get("additionalProperties").filter(|a| a.is_mapping())
        }
        let at = format!("{p}/additionalProperties");
        match (map_values(ot), map_values(ut)) {
            (Some(a), Some(b)) => self.schema(&at, a, b),
            (None, Some(b)) => {
                let ty = self.type_of(b);
                let value = self.translate(b);
                self.report(
                    &at,
                    format!("map values: ours none, upstream {ty}"),
                    vec![put(at.clone(), value)],
                );
            }
            (Some(a), None) => self.report(
                &at,
                format!("map values: ours {}, upstream none", describe(a, None)),
                vec![Edit::Delete { at: at.clone() }],
            ),
            (None, None) => {}
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let (Some(a), Some(b)) = (
                ot.get(key).and_then(Value::as_sequence),
                ut.get(key).and_then(Value::as_sequence),
            ) {
                self.members(p, key, a, b);
            }
        }
    }

    fn enum_values(&mut self, p: &str, ot: &Value, ut: &Value) {
        let at = format!("{p}/enum");
        match (
            ot.get("enum").and_then(Value::as_sequence),
            ut.get("enum").and_then(Value::as_sequence),
        ) {
            (Some(a), Some(b)) => {
                for (next, v) in (a.len()..).zip(b.iter().filter(|v| !a.contains(v))) {
                    self.add(
                        &format!("{at}/{next}"),
                        format!("enum value `{}`", scalar_text(v)),
                        vec![push(at.clone(), v.clone())],
                    );
                }
                for (i, v) in a.iter().enumerate().filter(|(_, v)| !b.contains(v)) {
                    self.report(
                        &format!("{at}/{i}"),
                        format!("enum value `{}`: upstream lacks it", scalar_text(v)),
                        vec![pull(at.clone(), v.clone())],
                    );
                }
            }
            (Some(_), None) => self.report(
                &at,
                "enum: upstream has none (any value)".into(),
                vec![Edit::Delete { at: at.clone() }],
            ),
            (None, Some(b)) => {
                let values: Vec<String> =
                    b.iter().map(|v| format!("`{}`", scalar_text(v))).collect();
                self.report(
                    &at,
                    format!("enum: ours none, upstream {}", values.join(", ")),
                    vec![put(at.clone(), Value::Sequence(b.clone()))],
                );
            }
            (None, None) => {}
        }
    }

    fn fields(&mut self, p: &str, ot: &Value, ut: &Value) {
        let pp = format!("{p}/properties");
        let (a, b) = match (
            ot.get("properties").and_then(Value::as_mapping),
            ut.get("properties").and_then(Value::as_mapping),
        ) {
            (None, None) => return,
            (Some(a), Some(b)) => (a, b),
            (a, b) => {
                let list = |m: Option<&Mapping>| match m {
                    Some(m) => m
                        .keys()
                        .map(|k| format!("`{}`", scalar_text(k)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    None => "none".into(),
                };
                let what = format!("fields: ours {}, upstream {}", list(a), list(b));
                let value = self.translate(ut);
                self.report(&pp, what, vec![put(p.to_string(), value)]);
                return;
            }
        };
        let (a_req, b_req) = (required(ot), required(ut));
        let names = |m: &Mapping| -> Vec<String> { m.keys().map(scalar_text).collect() };
        let mut ours_only: Vec<String> = names(a)
            .into_iter()
            .filter(|k| !b.contains_key(k.as_str()))
            .collect();
        let req_list = format!("{p}/required");
        for (name, us) in b {
            let name = scalar_text(name);
            let fp = ptr(&pp, &name);
            if let Some(os) = a.get(name.as_str()) {
                self.schema(&fp, os, us);
                let (ra, rb) = (a_req.contains(&name), b_req.contains(&name));
                if ra != rb {
                    let edit = if rb {
                        push(req_list.clone(), s(&name))
                    } else {
                        pull(req_list.clone(), s(&name))
                    };
                    self.report(
                        &fp,
                        format!(
                            "field `{name}` required: ours {}, upstream {}",
                            yes_no(ra),
                            yes_no(rb)
                        ),
                        vec![edit],
                    );
                }
                continue;
            }
            if let Some(k) = ours_only
                .iter()
                .position(|o| respelling_key(o) == respelling_key(&name))
            {
                let old = ours_only.remove(k);
                let mut edits = vec![Edit::Rename {
                    map: pp.clone(),
                    from: old.clone(),
                    to: name.clone(),
                }];
                if a_req.contains(&old) {
                    edits.push(pull(req_list.clone(), s(&old)));
                    edits.push(push(req_list.clone(), s(&name)));
                }
                self.report(
                    &ptr(&pp, &old),
                    format!("field `{old}`: upstream spells it `{name}`"),
                    edits,
                );
                continue;
            }
            let ty = self.type_of(us);
            let value = self.translate(us);
            let rb = b_req.contains(&name);
            let mut edits = vec![put(fp.clone(), value)];
            if rb {
                edits.push(push(req_list.clone(), s(&name)));
            }
            let req = if rb { "required" } else { "optional" };
            self.add(&fp, format!("field `{name}` ({ty}, {req})"), edits);
        }
        for name in ours_only {
            let fp = ptr(&pp, &name);
            self.report(
                &fp,
                format!("field `{name}`: upstream lacks it"),
                vec![
                    Edit::Delete { at: fp.clone() },
                    pull(req_list.clone(), s(&name)),
                ],
            );
        }
    }

    fn members(&mut self, p: &str, key: &str, a: &[Value], b: &[Value]) {
        let (pairs, ours_only, up_only) = pair_members(self.ours, a, self.up, b);
        let list = format!("{p}/{key}");
        for (i, j) in pairs {
            self.schema(&format!("{list}/{i}"), &a[i], &b[j]);
        }
        for (n, j) in up_only.into_iter().enumerate() {
            let ty = self.type_of(&b[j]);
            let value = self.translate(&b[j]);
            self.add(
                &format!("{list}/{}", a.len() + n),
                format!("{key} member {ty}"),
                vec![push(list.clone(), value)],
            );
        }
        for i in ours_only {
            let (name, t) = target(self.ours, &a[i]);
            self.report(
                &format!("{list}/{i}"),
                format!(
                    "{key} member {}: upstream lacks it",
                    describe(t, name.as_deref())
                ),
                vec![pull(list.clone(), a[i].clone())],
            );
        }
    }

    /// Our path templates, in document order.
    fn our_paths(&self) -> impl Iterator<Item = &str> {
        self.ours
            .get("paths")
            .and_then(Value::as_mapping)
            .into_iter()
            .flat_map(|m| m.keys())
            .filter_map(Value::as_str)
    }

    /// Where a new path goes among ours, and which of our paths lends it its tags: its
    /// closest ancestor (`/v2/rooms/{roomId}` for `/v2/rooms/{roomId}/stats`), the new path
    /// going after the ancestor's run of direct children; without an ancestor, the last of the
    /// paths sharing the most leading segments with it. `None` for the tags when not even the
    /// first segment after the version is shared.
    fn neighbour(&self, path: &str) -> (Option<String>, Option<String>) {
        let segs = |p: &str| -> Vec<String> {
            p.split('/')
                .filter(|s| !s.is_empty())
                .map(|s| {
                    if s.starts_with('{') {
                        "{}".into()
                    } else {
                        s.to_string()
                    }
                })
                .collect()
        };
        let wanted = segs(path);
        let ours: Vec<(String, Vec<String>)> =
            self.our_paths().map(|p| (p.to_string(), segs(p))).collect();
        let ancestor = ours
            .iter()
            .enumerate()
            .filter(|(_, (_, s))| s.len() < wanted.len() && wanted.starts_with(s))
            .max_by_key(|(_, (_, s))| s.len());
        if let Some((i, (anc, anc_segs))) = ancestor {
            let after = ours[i..]
                .iter()
                .skip(1)
                .take_while(|(_, s)| s.len() == anc_segs.len() + 1 && s.starts_with(anc_segs))
                .last()
                .map_or(anc, |(p, _)| p);
            return (Some(after.clone()), Some(anc.clone()));
        }
        let mut best: (Option<String>, usize) = (None, 0);
        for (p, s) in &ours {
            let common = s.iter().zip(&wanted).take_while(|(a, b)| a == b).count();
            if common >= best.1 {
                best = (Some(p.clone()), common);
            }
        }
        let tags_from = best.0.clone().filter(|_| best.1 >= 2);
        (best.0, tags_from)
    }

    fn new_operation(&mut self, u: &Op) {
        let uo = u.get(self.up);
        let mut op = self.translate(uo);
        let mut id = str_of(uo, "operationId").to_string();
        let mut what_more = String::new();
        if self.ids.contains(&id) {
            let base = id.clone();
            id = unique(&base, "_", &self.ids);
            what_more.push_str(&format!("; `{base}` is taken, so named `{id}`"));
        }
        self.ids.insert(id.clone());
        let (near, tags_from) = self.neighbour(&u.path);
        // Tags and credentials like the closest path's (upstream's security schemes are not
        // ours); an operation upstream says takes no credential (`security: []`) keeps that.
        let near_op = tags_from
            .as_ref()
            .and_then(|n| self.ours.get("paths").and_then(|p| p.get(n.as_str())))
            .and_then(|item| spec::METHODS.iter().find_map(|m| item.get(*m)));
        let near_tags = near_op.and_then(|op| op.get("tags")).cloned();
        let near_security = near_op.and_then(|op| op.get("security")).cloned();
        if let Some(m) = op.as_mapping_mut() {
            m.insert(s("operationId"), s(&id));
            if let Some(tags) = near_tags {
                m.insert(s("tags"), tags);
            }
            let public = m
                .get("security")
                .and_then(Value::as_sequence)
                .is_some_and(Vec::is_empty);
            match near_security {
                _ if public => {}
                Some(security) => {
                    m.insert(s("security"), security);
                }
                None => {
                    m.shift_remove("security");
                }
            }
        }
        let wanted = shape(&u.path, usize::MAX);
        let same_template = self
            .our_paths()
            .find(|p| shape(p, usize::MAX) == wanted)
            .map(str::to_string);
        let method = u.method.clone();
        let (path, edit) = match same_template {
            Some(ours_path) => {
                rename_path_params(&mut op, &u.path, &ours_path);
                let at = ptr(&ptr("/paths", &ours_path), &method);
                let edit = put(at, op);
                (ours_path, edit)
            }
            None if self.new_paths.contains(&u.path) => {
                let at = ptr(&ptr("/paths", &u.path), &method);
                (u.path.clone(), put(at, op))
            }
            None => {
                self.new_paths.insert(u.path.clone());
                let near = near.map(|n| {
                    let after = self.placed.get(&n).cloned().unwrap_or_else(|| n.clone());
                    self.placed.insert(n, u.path.clone());
                    after
                });
                let mut item = Mapping::new();
                item.insert(s(&method), op);
                (
                    u.path.clone(),
                    Edit::Put {
                        at: ptr("/paths", &u.path),
                        value: Value::Mapping(item),
                        after: near,
                    },
                )
            }
        };
        // A path ours spells otherwise: a hint for the alias table.
        let respelt = respelling_key(&wanted);
        if let Some((_, m, p, _)) = spec::operations(self.ours)
            .into_iter()
            .find(|(_, m, p, _)| *m == method && respelling_key(&shape(p, usize::MAX)) == respelt)
        {
            what_more.push_str(&format!(
                "; ours has {} {p}: if it is the same, add the respelling to {}",
                m.to_uppercase(),
                super::aliases::FILE
            ));
        }
        self.add(
            &ptr(&ptr("/paths", &path), &method),
            format!(
                "operation `{id}` ({} {path}){what_more}",
                method.to_uppercase()
            ),
            vec![edit],
        );
    }
}

/// Renames the path parameters of an operation from `from`'s template names to `to`'s.
fn rename_path_params(op: &mut Value, from: &str, to: &str) {
    let names = |p: &str| -> Vec<String> {
        p.split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_string)
            .collect()
    };
    let renames: BTreeMap<String, String> = names(from).into_iter().zip(names(to)).collect();
    if let Some(Value::Sequence(params)) = op.get_mut("parameters") {
        for prm in params.iter_mut().filter_map(Value::as_mapping_mut) {
            if prm.get("in").and_then(Value::as_str) == Some("path")
                && let Some(new) = prm
                    .get("name")
                    .and_then(Value::as_str)
                    .and_then(|n| renames.get(n))
                    .cloned()
            {
                prm.insert(s("name"), s(&new));
            }
        }
    }
}

/// Applies the additions and the reported changes `selected` (by pointer) to a copy of our
/// document; drops the additions the result cannot take (a validation error inside them), until
/// it validates.
pub fn apply(ours: &Value, changes: &mut [Change], selected: &[String]) -> Result<Value, String> {
    for want in selected {
        let mut found = false;
        for c in changes.iter_mut().filter(|c| c.pointer == *want) {
            if matches!(c.status, Status::Reported | Status::Applied) {
                c.status = Status::Applied;
                found = true;
            }
        }
        if !found {
            return Err(format!(
                "--apply {want}: nothing is reported at this pointer (the summary's \"Reported \
                 only\" table lists what can be applied)"
            ));
        }
    }
    loop {
        let mut doc = ours.clone();
        // Additions first: the applied renames and removals do not move what they point at.
        for status in [Status::Added, Status::Applied] {
            for c in changes.iter().filter(|c| c.status == status) {
                for e in &c.edits {
                    edit(&mut doc, e).map_err(|e| format!("{}: {e}", c.pointer))?;
                }
            }
        }
        cleanup(&mut doc);
        let unused = unused_schemas(&doc, changes);
        if !unused.is_empty() {
            for i in unused {
                changes[i].status = Status::Unused;
            }
            continue;
        }
        let errors = validate::validate(&doc);
        if errors.is_empty() {
            return Ok(doc);
        }
        let mut dropped = false;
        for e in &errors {
            let at = e.split(": ").next().unwrap_or_default();
            if let Some(c) = changes
                .iter_mut()
                .filter(|c| c.status == Status::Added)
                .filter(|c| at == c.pointer || at.starts_with(&format!("{}/", c.pointer)))
                .max_by_key(|c| c.pointer.len())
            {
                c.status = Status::Dropped;
                c.reason = Some(e.clone());
                dropped = true;
            }
        }
        if !dropped {
            return Err(format!(
                "the merged document breaks {} rule(s); nothing written:\n  {}",
                errors.len(),
                errors.join("\n  ")
            ));
        }
    }
}

fn edit(doc: &mut Value, e: &Edit) -> Result<(), String> {
    fn parent_of(p: &str) -> Result<(&str, String), String> {
        split_pointer(p).ok_or_else(|| format!("bad pointer `{p}`"))
    }
    match e {
        Edit::Put { at, value, after } => {
            let (parent, key) = parent_of(at)?;
            match pointer_mut(doc, parent) {
                Some(Value::Mapping(m)) => match after {
                    Some(after) if !m.contains_key(key.as_str()) => {
                        let old = std::mem::take(m);
                        let mut value = Some(value.clone());
                        for (k, v) in old {
                            let here = k.as_str() == Some(after.as_str());
                            m.insert(k, v);
                            if here && let Some(v) = value.take() {
                                m.insert(s(&key), v);
                            }
                        }
                        if let Some(v) = value {
                            m.insert(s(&key), v);
                        }
                    }
                    _ => {
                        m.insert(s(&key), value.clone());
                    }
                },
                Some(Value::Sequence(list)) => {
                    let i: usize = key.parse().map_err(|_| format!("bad index in `{at}`"))?;
                    match list.get_mut(i) {
                        Some(slot) => *slot = value.clone(),
                        None => list.push(value.clone()),
                    }
                }
                _ => return Err(format!("`{parent}` does not exist")),
            }
        }
        Edit::Delete { at } => {
            let (parent, key) = parent_of(at)?;
            if let Some(Value::Mapping(m)) = pointer_mut(doc, parent) {
                m.shift_remove(key.as_str());
            }
        }
        Edit::Push { list, value } => {
            let (parent, key) = parent_of(list)?;
            let Some(Value::Mapping(m)) = pointer_mut(doc, parent) else {
                return Err(format!("`{parent}` does not exist"));
            };
            match m
                .entry(s(&key))
                .or_insert_with(|| Value::Sequence(Vec::new()))
            {
                Value::Sequence(items) => {
                    if !items.contains(value) {
                        items.push(value.clone());
                    }
                }
                _ => return Err(format!("`{list}` is not a list")),
            }
        }
        Edit::Pull { list, value } => {
            if let Some(Value::Sequence(items)) = pointer_mut(doc, list) {
                items.retain(|v| v != value);
            }
        }
        Edit::Rename { map, from, to } => {
            if let Some(Value::Mapping(m)) = pointer_mut(doc, map) {
                let old = std::mem::take(m);
                for (k, v) in old {
                    if k.as_str() == Some(from.as_str()) {
                        m.insert(s(to), v);
                    } else {
                        m.insert(k, v);
                    }
                }
            }
        }
    }
    Ok(())
}

/// What the edits can leave behind: path items without operations, empty `required` and
/// `parameters` lists.
fn cleanup(doc: &mut Value) {
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_mapping_mut) {
        paths.retain(|_, item| spec::METHODS.iter().any(|m| item.get(*m).is_some()));
        for (_, item) in paths.iter_mut() {
            for m in spec::METHODS {
                if let Some(op) = item.get_mut(*m).and_then(Value::as_mapping_mut)
                    && op
                        .get("parameters")
                        .and_then(Value::as_sequence)
                        .is_some_and(Vec::is_empty)
                {
                    op.shift_remove("parameters");
                }
            }
        }
    }
    spec::visit_schemas_mut(doc, &mut |_, schema| {
        if schema
            .get("required")
            .and_then(Value::as_sequence)
            .is_some_and(Vec::is_empty)
        {
            schema.shift_remove("required");
        }
    });
}

/// The schema additions nothing refers to (but themselves), by index in `changes`.
fn unused_schemas(doc: &Value, changes: &[Change]) -> Vec<usize> {
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = |value: &Value, own: Option<&str>| {
        let mut v = value.clone();
        spec::refs_mut(&mut v, &mut |r| {
            if let Some(n) = r.strip_prefix("#/components/schemas/") {
                let n = unescape_pointer(n);
                if Some(n.as_str()) != own {
                    *uses.entry(n).or_default() += 1;
                }
            }
        });
    };
    if let Some(root) = doc.as_mapping() {
        for (k, v) in root {
            if k.as_str() != Some("components") {
                count(v, None);
            }
        }
    }
    if let Some(components) = doc.get("components").and_then(Value::as_mapping) {
        for (section, entries) in components {
            match (section.as_str(), entries.as_mapping()) {
                (Some("schemas"), Some(schemas)) => {
                    for (name, body) in schemas {
                        count(body, name.as_str());
                    }
                }
                _ => count(entries, None),
            }
        }
    }
    changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.status == Status::Added)
        .filter_map(|(i, c)| {
            let name = c.pointer.strip_prefix("/components/schemas/")?;
            (!name.contains('/')).then_some((i, unescape_pointer(name)))
        })
        .filter(|(_, name)| uses.get(name).copied().unwrap_or(0) == 0)
        .map(|(i, _)| i)
        .collect()
}
