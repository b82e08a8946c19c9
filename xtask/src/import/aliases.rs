//! The alias table (`openapi/upstream-aliases.yaml`): how upstream spells what we spell
//! otherwise, path segments (`active_users` for `active-users`) and parameter or field names
//! (`tenantId` for `organizationId`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// The table, relative to the repository root.
pub const FILE: &str = "openapi/upstream-aliases.yaml";

/// Upstream spelling -> ours.
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
pub struct Aliases {
    /// Literal path segments.
    #[serde(default)]
    pub segments: BTreeMap<String, String>,
    /// Parameter and field names (path parameters included).
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

impl Aliases {
    /// Reads the table under `root`; an absent file is an empty table.
    pub fn load(root: &Path) -> Result<Self, String> {
        let path = root.join(FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Our spelling of a name (itself when the table does not list it).
    pub fn name<'a>(&'a self, name: &'a str) -> &'a str {
        self.names.get(name).map_or(name, String::as_str)
    }

    /// A path template in our spelling: literal segments through `segments`, `{parameters}`
    /// through `names`.
    pub fn path(&self, path: &str) -> String {
        path.split('/')
            .map(
                |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(param) => format!("{{{}}}", self.name(param)),
                    None => self
                        .segments
                        .get(seg)
                        .cloned()
                        .unwrap_or_else(|| seg.to_string()),
                },
            )
            .collect::<Vec<_>>()
            .join("/")
    }
}
