//! Stage 3: which upstream operation is which of ours, and which upstream schema is which of
//! ours.
//!
//! Operations match by method and path template with the parameter names erased (after the
//! prefix move and the alias table of `normalise.rs`); what does not match is new. Schemas
//! match by position, never by name (upstream names them otherwise): walking each matched pair
//! of operations in parallel (query and header parameters by name, the request body, the
//! success response; then fields by name, array items, map values, union members by their tag),
//! an upstream `$ref` found where ours has a `$ref` names the same schema. An upstream schema
//! reached no such way matches ours of the same name, if any.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use crate::spec::{self, media_schema};
use crate::validate::{resolve, shape};
use crate::yaml::unescape_pointer;

/// An operation of one of the documents.
#[derive(Clone, Debug)]
pub struct Op {
    /// JSON pointer (`/paths/~1v2~1rooms/get`).
    pub pointer: String,
    pub method: String,
    pub path: String,
}

impl Op {
    /// The operation object.
    pub fn get<'a>(&self, doc: &'a Value) -> &'a Value {
        resolve(doc, &format!("#{}", self.pointer)).unwrap_or(&Value::Null)
    }

    /// `GET /v2/rooms`.
    pub fn endpoint(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// The outcome of matching.
pub struct Pairing {
    /// (ours, upstream), in upstream's order.
    pub pairs: Vec<(Op, Op)>,
    /// Upstream operations that match none of ours.
    pub new: Vec<Op>,
    /// Our operations upstream lacks.
    pub lacking: Vec<Op>,
    /// Upstream schema name -> our schema name.
    pub schemas: BTreeMap<String, String>,
}

fn ops(doc: &Value) -> Vec<Op> {
    spec::operations(doc)
        .into_iter()
        .map(|(pointer, method, path, _)| Op {
            pointer,
            method,
            path,
        })
        .collect()
}

/// Pairs the operations and the schemas of the two documents.
pub fn pair(ours: &Value, up: &Value) -> Pairing {
    let key = |op: &Op| (op.method.clone(), shape(&op.path, usize::MAX));
    let mut by_key: BTreeMap<_, Op> = ops(ours).into_iter().map(|o| (key(&o), o)).collect();
    let (mut pairs, mut new) = (Vec::new(), Vec::new());
    for u in ops(up) {
        match by_key.remove(&key(&u)) {
            Some(o) => pairs.push((o, u)),
            None => new.push(u),
        }
    }
    let lacking = ops(ours)
        .into_iter()
        .filter(|o| by_key.contains_key(&key(o)))
        .collect();
    let schemas = correspondence(ours, up, &pairs);
    Pairing {
        pairs,
        new,
        lacking,
        schemas,
    }
}

/// Where two matched operations can carry a schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    /// A query, header or cookie parameter (path parameters match by position and are
    /// strings).
    Param { location: String, name: String },
    /// The request body.
    Body,
    /// The first 2xx response.
    Success,
}

/// One place of a pair of operations: what each side has there, with our pointer.
pub struct Slot<'a> {
    pub place: Place,
    /// Our pointer and object (parameter, request body or response).
    pub ours: Option<(String, &'a Value)>,
    /// Upstream's object, with the status code for a response.
    pub up: Option<(String, &'a Value)>,
}

fn params<'a>(doc: &'a Value, op: &Op) -> Vec<(String, &'a Value)> {
    let item = spec::split_pointer(&op.pointer)
        .and_then(|(item, _)| resolve(doc, &format!("#{item}")))
        .unwrap_or(&Value::Null);
    let item_ptr = spec::split_pointer(&op.pointer)
        .map(|(item, _)| item.to_string())
        .unwrap_or_default();
    let mut out = Vec::new();
    for (holder_ptr, holder) in [(item_ptr, item), (op.pointer.clone(), op.get(doc))] {
        for (i, p) in holder
            .get("parameters")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let p = crate::validate::deref(doc, p);
            if p.get("in").and_then(Value::as_str) != Some("path") {
                out.push((format!("{holder_ptr}/parameters/{i}"), p));
            }
        }
    }
    out
}

fn param_place(p: &Value) -> Place {
    Place::Param {
        location: p.get("in").and_then(Value::as_str).unwrap_or("?").into(),
        name: p.get("name").and_then(Value::as_str).unwrap_or("?").into(),
    }
}

fn success<'a>(doc: &'a Value, op: &Op) -> Option<(String, &'a Value)> {
    op.get(doc)
        .get("responses")?
        .as_mapping()?
        .iter()
        .find(|(code, _)| code.as_str().is_some_and(|c| c.starts_with('2')))
        .map(|(code, r)| {
            (
                code.as_str().unwrap_or_default().to_string(),
                crate::validate::deref(doc, r),
            )
        })
}

/// Every place of a matched pair: parameters (ours first, then upstream's others), the request
/// body and the success response.
pub fn slots<'a>(ours: &'a Value, o: &Op, up: &'a Value, u: &Op) -> Vec<Slot<'a>> {
    let mut out: Vec<Slot<'a>> = Vec::new();
    let up_params = params(up, u);
    for (p, prm) in params(ours, o) {
        let place = param_place(prm);
        let other = up_params
            .iter()
            .find(|(_, q)| param_place(q) == place)
            .map(|(p, q)| (p.clone(), *q));
        out.push(Slot {
            place,
            ours: Some((p, prm)),
            up: other,
        });
    }
    for (p, q) in up_params {
        let place = param_place(q);
        if !out.iter().any(|s| s.place == place) {
            out.push(Slot {
                place,
                ours: None,
                up: Some((p, q)),
            });
        }
    }
    let body = |doc: &'a Value, op: &Op| {
        op.get(doc).get("requestBody").map(|b| {
            (
                format!("{}/requestBody", op.pointer),
                crate::validate::deref(doc, b),
            )
        })
    };
    out.push(Slot {
        place: Place::Body,
        ours: body(ours, o),
        up: body(up, u),
    });
    out.push(Slot {
        place: Place::Success,
        ours: success(ours, o)
            .map(|(code, r)| (spec::ptr(&format!("{}/responses", o.pointer), &code), r)),
        up: success(up, u),
    });
    out
}

/// The schema of a slot's object: a parameter's `schema`, a body's (JSON) media type schema.
pub fn slot_schema<'a>(place: &Place, holder: &'a Value) -> Option<&'a Value> {
    match place {
        Place::Param { .. } => holder.get("schema"),
        Place::Body | Place::Success => media_schema(holder).map(|(_, s)| s),
    }
}

/// The schema a value stands for: `(Some(name), target)` for `$ref` (also wrapped in a
/// one-member `allOf`, how a nullable reference is written), `(None, schema)` otherwise.
pub fn target<'a>(doc: &'a Value, v: &'a Value) -> (Option<String>, &'a Value) {
    let inner = match v.get("allOf").and_then(Value::as_sequence) {
        Some(list) if list.len() == 1 => &list[0],
        _ => v,
    };
    let reference = inner.get("$ref").and_then(Value::as_str);
    match reference.and_then(|r| r.strip_prefix("#/components/schemas/")) {
        Some(name) => (
            Some(unescape_pointer(name)),
            reference
                .and_then(|r| resolve(doc, r))
                .unwrap_or(&Value::Null),
        ),
        None => (None, inner),
    }
}

/// The tag of a union member: its fields that are one-value enums (`type: [copilot]`).
fn tag(doc: &Value, member: &Value) -> Vec<(String, String)> {
    let (_, member) = target(doc, member);
    let mut out: Vec<(String, String)> = member
        .get("properties")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter_map(|(k, p)| {
            let (_, p) = target(doc, p);
            match p
                .get("enum")
                .and_then(Value::as_sequence)
                .map(Vec::as_slice)
            {
                Some([one]) => Some((
                    k.as_str().unwrap_or_default().to_string(),
                    serde_yaml::to_string(one).unwrap_or_default(),
                )),
                _ => None,
            }
        })
        .collect();
    out.sort();
    out
}

/// Pairs the members of two unions: by tag, then, when as many are left on both sides, by
/// position. Returns (pairs, ours only, upstream only), as indices.
pub fn pair_members(
    ours: &Value,
    o: &[Value],
    up: &Value,
    u: &[Value],
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let o_tags: Vec<_> = o.iter().map(|m| tag(ours, m)).collect();
    let u_tags: Vec<_> = u.iter().map(|m| tag(up, m)).collect();
    let mut pairs = Vec::new();
    let mut o_left: Vec<usize> = (0..o.len()).collect();
    let mut u_left: Vec<usize> = Vec::new();
    for (j, t) in u_tags.iter().enumerate() {
        match o_left
            .iter()
            .position(|&i| !t.is_empty() && o_tags[i] == *t)
        {
            Some(k) => pairs.push((o_left.remove(k), j)),
            None => u_left.push(j),
        }
    }
    // Untagged members left: by position, when as many are left on both sides.
    if o_left.len() == u_left.len() {
        pairs.extend(o_left.drain(..).zip(u_left.drain(..)));
        pairs.sort_by_key(|&(i, _)| i);
    }
    (pairs, o_left, u_left)
}

struct Correspondence<'a> {
    ours: &'a Value,
    up: &'a Value,
    map: BTreeMap<String, String>,
    seen: BTreeSet<(String, String)>,
}

impl Correspondence<'_> {
    fn schema(&mut self, o: &Value, u: &Value) {
        let (on, ot) = target(self.ours, o);
        let (un, ut) = target(self.up, u);
        if let (Some(a), Some(b)) = (&on, &un) {
            if !self.seen.insert((a.clone(), b.clone())) {
                return;
            }
            self.map.entry(b.clone()).or_insert_with(|| a.clone());
        }
        if let (Some(op), Some(upr)) = (
            ot.get("properties").and_then(Value::as_mapping),
            ut.get("properties").and_then(Value::as_mapping),
        ) {
            for (k, us) in upr {
                if let Some(os) = op.get(k) {
                    self.schema(os, us);
                }
            }
        }
        for key in ["items", "additionalProperties"] {
            if let (Some(a), Some(b)) = (ot.get(key), ut.get(key))
                && a.is_mapping()
                && b.is_mapping()
            {
                self.schema(a, b);
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let (Some(a), Some(b)) = (
                ot.get(key).and_then(Value::as_sequence),
                ut.get(key).and_then(Value::as_sequence),
            ) {
                let (pairs, _, _) = pair_members(self.ours, a, self.up, b);
                for (i, j) in pairs {
                    self.schema(&a[i], &b[j]);
                }
            }
        }
    }
}

fn correspondence(ours: &Value, up: &Value, pairs: &[(Op, Op)]) -> BTreeMap<String, String> {
    let mut walk = Correspondence {
        ours,
        up,
        map: BTreeMap::new(),
        seen: BTreeSet::new(),
    };
    for (o, u) in pairs {
        for slot in slots(ours, o, up, u) {
            if let (Some((_, a)), Some((_, b))) = (&slot.ours, &slot.up)
                && let (Some(a), Some(b)) =
                    (slot_schema(&slot.place, a), slot_schema(&slot.place, b))
            {
                walk.schema(a, b);
            }
        }
    }
    let mut map = walk.map;
    // What no operation reached: the same name, when ours has it and nothing else maps to it.
    let ours_names = spec::schema_names(ours);
    for name in spec::schema_names(up) {
        if !map.contains_key(&name)
            && ours_names.contains(&name)
            && !map.values().any(|v| *v == name)
        {
            map.insert(name.clone(), name);
        }
    }
    map
}
