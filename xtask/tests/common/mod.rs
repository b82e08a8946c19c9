//! Helpers shared by the xtask tests: run the built `xtask` binary against temporary copies,
//! never against the repository itself.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_yaml::{Mapping, Value};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A fixture file of `xtask/tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// A fresh, empty temporary directory, removed on drop.
pub struct TempRoot(pub PathBuf);

impl TempRoot {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("xtask-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempRoot(dir)
    }

    /// A temporary root holding copies of the checked-in spec, generated client and upstream
    /// alias table.
    pub fn with_repo_copy(name: &str) -> Self {
        let root = Self::new(name);
        for rel in [
            "openapi/liveblocks.yaml",
            "generated/client.rs",
            "openapi/upstream-aliases.yaml",
        ] {
            root.write(rel, &std::fs::read_to_string(repo().join(rel)).unwrap());
        }
        root
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

impl Drop for TempRoot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `xtask ARGS...`.
pub fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("run xtask")
}

/// Runs `xtask ARGS...` in `dir` (for relative paths in what it prints).
pub fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run xtask")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Rewrites a 3.0.3 document the way an OpenAPI 3.1 author would write it; returns the number
/// of constructs converted.
pub fn to_31(value: &mut Value, count: &mut usize) {
    match value {
        Value::Mapping(map) => {
            let is_schema = map.get("type").and_then(Value::as_str).is_some_and(|t| {
                ["string", "integer", "number", "boolean", "object", "array"].contains(&t)
            }) || map.contains_key("allOf")
                || map.contains_key("oneOf");
            if is_schema {
                schema_to_31(map, count);
            }
            for (k, v) in map.iter_mut() {
                if k.as_str() != Some("example") {
                    to_31(v, count);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| to_31(v, count)),
        _ => {}
    }
}

fn schema_to_31(map: &mut Mapping, count: &mut usize) {
    let nullable = map.get("nullable").and_then(Value::as_bool) == Some(true);
    let old = std::mem::take(map);
    for (k, v) in old {
        match k.as_str() {
            Some("nullable") => {}
            Some("type") if nullable => {
                map.insert(k, Value::Sequence(vec![v, Value::String("null".into())]));
                *count += 1;
            }
            Some("allOf") if nullable => {
                let Value::Sequence(mut members) = v else {
                    panic!("allOf")
                };
                let null: Value = serde_yaml::from_str("type: 'null'").unwrap();
                members.push(null);
                map.insert(Value::String("oneOf".into()), Value::Sequence(members));
                *count += 1;
            }
            Some("enum") if v.as_sequence().is_some_and(|e| e.len() == 1) => {
                let one = v.as_sequence().unwrap()[0].clone();
                map.insert(Value::String("const".into()), one);
                *count += 1;
            }
            Some("example") => {
                map.insert(Value::String("examples".into()), Value::Sequence(vec![v]));
                *count += 1;
            }
            _ => {
                map.insert(k, v);
            }
        }
    }
    if nullable {
        assert!(
            !map.contains_key("nullable"),
            "a nullable schema without `type` or `allOf`: extend the helper"
        );
    }
}

/// How upstream names some of our schemas (the names differ; the import must match them by
/// position, never by name).
pub const UPSTREAM_NAMES: &[(&str, &str)] = &[
    ("Room", "RoomData"),
    ("GetRoomsResponse", "GetRooms"),
    ("GetActiveUsersResponse", "ActiveUsersResponse"),
    ("ActiveUser", "ActiveUsersResponseDataItem"),
    ("AuthToken", "AuthorizeUserResponse"),
    ("Permission", "RoomPermission"),
    ("RoomAccesses", "RoomAccessesMap"),
    ("HistoryVersion", "Version"),
    ("Thread", "ThreadData"),
    ("Comment", "CommentData"),
    ("InboxNotification", "InboxNotificationData"),
];

/// Rewrites our 3.0.3 document the way upstream writes its document: OpenAPI 3.1, the `/v2`
/// prefix in the server URL instead of the paths, operationIds that spell method and path
/// (`get-rooms-roomId`), other schema names ([`UPSTREAM_NAMES`]). Returns the number of 3.1
/// constructs written.
pub fn upstream_style(doc: &mut Value) -> usize {
    let mut count = 0;
    to_31(doc, &mut count);
    let root = doc.as_mapping_mut().unwrap();
    root.insert("openapi".into(), "3.1.0".into());
    root.insert(
        "servers".into(),
        serde_yaml::from_str("[{url: 'https://api.liveblocks.io/v2'}]").unwrap(),
    );
    let paths = root.get_mut("paths").unwrap().as_mapping_mut().unwrap();
    let old = std::mem::take(paths);
    for (path, mut item) in old {
        let path = path
            .as_str()
            .unwrap()
            .strip_prefix("/v2")
            .unwrap()
            .to_string();
        let spelled: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| s.trim_matches(|c| c == '{' || c == '}').to_string())
            .collect();
        for (method, op) in item.as_mapping_mut().unwrap().iter_mut() {
            if let Some(op) = op.as_mapping_mut() {
                let id = format!("{}-{}", method.as_str().unwrap(), spelled.join("-"));
                op.insert("operationId".into(), id.into());
            }
        }
        paths.insert(path.into(), item);
    }
    let schemas = root
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(Value::as_mapping_mut)
        .unwrap();
    let old = std::mem::take(schemas);
    for (name, schema) in old {
        let ours = name.as_str().unwrap();
        let theirs = UPSTREAM_NAMES
            .iter()
            .find(|(o, _)| *o == ours)
            .map_or(ours, |(_, t)| t);
        schemas.insert(theirs.into(), schema);
    }
    rename_refs(doc);
    count
}

fn rename_refs(value: &mut Value) {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map.iter_mut() {
                if k.as_str() == Some("$ref") {
                    let r = v.as_str().unwrap().to_string();
                    if let Some((_, theirs)) = UPSTREAM_NAMES
                        .iter()
                        .find(|(o, _)| r == format!("#/components/schemas/{o}"))
                    {
                        *v = format!("#/components/schemas/{theirs}").into();
                    }
                } else if k.as_str() != Some("example") {
                    rename_refs(v);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(rename_refs),
        _ => {}
    }
}
