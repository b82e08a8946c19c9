//! `cargo xtask regen [--check] [--from PATH [--apply POINTER]...] [--root DIR]`: normalizes and
//! validates `openapi/liveblocks.yaml`, then writes the readable copy of the generated client,
//! `generated/client.rs`, with the very generator `build.rs` runs. With `--from`, the upstream
//! document is first merged into ours (`import/`) and the Markdown summary printed on stdout.

#[path = "../../codegen/mod.rs"]
mod codegen;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::import::{self, aliases::Aliases};
use crate::{spec, validate};

/// The spec, relative to the repository root.
pub const SPEC: &str = "openapi/liveblocks.yaml";
/// The readable copy of the generated client, relative to the repository root.
pub const GENERATED: &str = "generated/client.rs";

struct Args {
    check: bool,
    from: Option<PathBuf>,
    apply: Vec<String>,
    root: PathBuf,
}

fn parse_args(args: &[String], default_root: PathBuf) -> Result<Args, String> {
    let mut out = Args {
        check: false,
        from: None,
        apply: Vec::new(),
        root: default_root,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => out.check = true,
            "--from" => out.from = Some(it.next().ok_or("--from needs a PATH")?.into()),
            "--apply" => out
                .apply
                .push(it.next().ok_or("--apply needs a POINTER")?.clone()),
            "--root" => out.root = it.next().ok_or("--root needs a DIR")?.into(),
            other => return Err(format!("regen: unknown argument `{other}`")),
        }
    }
    if out.check && out.from.is_some() {
        return Err("regen: --check and --from cannot be combined".into());
    }
    if !out.apply.is_empty() && out.from.is_none() {
        return Err("regen: --apply goes with --from".into());
    }
    Ok(out)
}

/// The document and the generated copy, as `regen` would write them.
pub struct Outputs {
    /// Canonical text of the document.
    pub spec: String,
    /// The readable generated client.
    pub client: String,
}

/// Normalizes, validates and generates from the document text.
pub fn build(text: &str) -> Result<Outputs, String> {
    let (doc, spec) = spec::canonical(text)?;
    let errors = validate::validate(&doc);
    if !errors.is_empty() {
        return Err(format!(
            "{SPEC} breaks {} rule(s):\n  {}",
            errors.len(),
            errors.join("\n  ")
        ));
    }
    let client = generate(&spec)?;
    Ok(Outputs { spec, client })
}

/// Runs the generator of `build.rs` and formats its output.
pub fn generate(spec_text: &str) -> Result<String, String> {
    let spec = codegen::parse(spec_text)?;
    let code =
        codegen::generate(&spec).map_err(|e| format!("generating the client failed: {e}"))?;
    codegen::format_source(&code)
}

/// `cargo xtask regen ...`
pub fn run(args: &[String], default_root: PathBuf) -> Result<ExitCode, String> {
    let args = parse_args(args, default_root)?;
    let spec_path = args.root.join(SPEC);
    let client_path = args.root.join(GENERATED);
    let mut summary = None;
    let text = match &args.from {
        Some(from) => {
            let upstream = read(from)?;
            let ours = match std::fs::read_to_string(&spec_path) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(format!("{}: {e}", spec_path.display())),
            };
            let aliases = Aliases::load(&args.root)?;
            let source = from.display().to_string();
            let outcome =
                import::import(&source, &upstream, ours.as_deref(), &aliases, &args.apply)?;
            for note in &outcome.notes {
                eprintln!("xtask: note: {note}");
            }
            summary = Some(outcome.summary);
            outcome.text
        }
        None => read(&spec_path)?,
    };
    let out = build(&text)?;
    if args.check {
        let mut stale = Vec::new();
        if text != out.spec {
            stale.push(format!(
                "{SPEC} is not in normal form ({}); run `cargo xtask regen`",
                first_difference(&text, &out.spec)
            ));
        }
        let current = std::fs::read_to_string(&client_path).unwrap_or_default();
        if current != out.client {
            stale.push(format!(
                "{GENERATED} is stale or edited by hand ({}); run `cargo xtask regen`",
                first_difference(&current, &out.client)
            ));
        }
        if stale.is_empty() {
            eprintln!("xtask: {SPEC} and {GENERATED} are up to date");
            return Ok(ExitCode::SUCCESS);
        }
        for s in stale {
            eprintln!("xtask: error: {s}");
        }
        return Ok(ExitCode::FAILURE);
    }
    write_if_changed(&spec_path, &out.spec)?;
    write_if_changed(&client_path, &out.client)?;
    if let Some(summary) = summary {
        print!("{summary}");
    }
    Ok(ExitCode::SUCCESS)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        eprintln!("xtask: {} unchanged", path.display());
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("xtask: wrote {}", path.display());
    Ok(())
}

/// "line N: `expected` vs `found`", for the first line that differs.
fn first_difference(found: &str, expected: &str) -> String {
    let mut a = found.lines();
    let mut b = expected.lines();
    let mut line = 1;
    loop {
        match (a.next(), b.next()) {
            (None, None) => return "line endings differ".into(),
            (x, y) if x == y => line += 1,
            (x, y) => {
                return format!(
                    "first difference at line {line}: found `{}`, expected `{}`",
                    x.unwrap_or("<end of file>").trim(),
                    y.unwrap_or("<end of file>").trim()
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// Two operations; `create_thing` has two request media types, which progenitor panics on
    /// (the validator rejects the shape first: this is codegen's own safety net).
    const PANICKING: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: get_things
      tags: [T]
      summary: List.
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
    post:
      operationId: create_thing
      tags: [T]
      summary: Create.
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
"#;

    #[test]
    fn a_generator_panic_is_an_error_naming_the_operation() {
        let err = super::generate(PANICKING).unwrap_err();
        assert!(
            err.contains("panicked on operation `create_thing` (POST /things):"),
            "{err}"
        );
        assert!(err.contains("more media types than expected"), "{err}");
        assert!(!err.contains("get_things"), "{err}");
        // Without the bad operation, the same document generates.
        let fine = PANICKING.replace(
            "          application/x-www-form-urlencoded:\n            schema: {$ref: '#/components/schemas/Thing'}\n",
            "",
        );
        assert_ne!(fine, PANICKING);
        assert!(super::generate(&fine).is_ok());
    }
}
