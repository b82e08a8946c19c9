//! Starts and stops the official Liveblocks dev server (npm `liveblocks` run by Bun).
//!
//! Shared by the tests (`tests/support/mod.rs`) and by `cargo xtask` (included with `#[path]`),
//! so it uses the standard library only. Each [`DevServer`] is one server process group on a
//! free 127.0.0.1 port with its own temporary data folder; dropping it stops the group by PID,
//! also when a test panics.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// npm packages that make up the dev server (versions pinned by major/minor).
pub const PACKAGES: &[&str] = &["liveblocks@1.9", "bun@1.4"];
/// The secret key the dev server accepts.
pub const SECRET_KEY: &str = "sk_localdev";

/// Where the dev server is installed: `$LIVEBLOCKS_DEVSERVER_DIR`, or `<repo>/.tools/devserver`.
pub fn tools_dir(repo_root: &Path) -> PathBuf {
    match std::env::var_os("LIVEBLOCKS_DEVSERVER_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root.join(".tools").join("devserver"),
    }
}

fn bun(dir: &Path) -> PathBuf {
    dir.join("node_modules").join(".bin").join("bun")
}

fn entry(dir: &Path) -> PathBuf {
    dir.join("node_modules")
        .join("liveblocks")
        .join("dist")
        .join("index.js")
}

/// Whether the dev server is installed in `dir`.
pub fn is_installed(dir: &Path) -> bool {
    bun(dir).is_file() && entry(dir).is_file()
}

/// Installs the dev server into `dir` with npm (needs Node.js and npm on the PATH).
pub fn install(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !dir.join("package.json").is_file() {
        std::fs::write(
            dir.join("package.json"),
            "{\"name\":\"liveblocks-devserver\",\"private\":true}\n",
        )
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut args = vec!["install", "--no-audit", "--no-fund", "--loglevel=error"];
    args.extend(PACKAGES);
    let status = Command::new("npm")
        .args(&args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("could not run npm (install Node.js and npm): {e}"))?;
    if !status.success() || !is_installed(dir) {
        return Err(format!(
            "`npm {}` failed in {} ({status})",
            args.join(" "),
            dir.display()
        ));
    }
    Ok(())
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A running dev server. Dropping it stops it.
pub struct DevServer {
    child: Option<Child>,
    port: u16,
    data_dir: PathBuf,
    log: PathBuf,
}

impl DevServer {
    /// Starts a dev server installed in `dir` on a free port and waits until `/health` answers.
    pub fn start(dir: &Path) -> Result<DevServer, String> {
        if !is_installed(dir) {
            return Err(format!(
                "the Liveblocks dev server is not installed in {}: run `cargo xtask test` (it \
                 installs it) or `cargo xtask devserver install`",
                dir.display()
            ));
        }
        let port = free_port()?;
        let data_dir = std::env::temp_dir().join(format!(
            "liveblocks-devserver-{}-{port}",
            std::process::id()
        ));
        std::fs::create_dir_all(&data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
        let log = data_dir.join("server.log");
        let log_file =
            std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let log_err = log_file.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(bun(dir));
        command
            .arg(entry(dir))
            .args([
                "dev",
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--no-check",
                "--no-persist",
            ])
            .current_dir(&data_dir)
            .env("TMPDIR", &data_dir)
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_err);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
        }
        let child = command
            .spawn()
            .map_err(|e| format!("could not start bun: {e}"))?;
        let mut server = DevServer {
            child: Some(child),
            port,
            data_dir,
            log,
        };
        server.wait_healthy(Duration::from_secs(20))?;
        Ok(server)
    }

    fn wait_healthy(&mut self, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        loop {
            if let Some(child) = &mut self.child
                && let Ok(Some(status)) = child.try_wait()
            {
                return Err(format!(
                    "the dev server exited ({status}): {}",
                    self.log_tail()
                ));
            }
            if health(self.port) {
                return Ok(());
            }
            if start.elapsed() > limit {
                return Err(format!(
                    "the dev server did not become healthy in {limit:?}: {}",
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let chars: Vec<char> = text.chars().collect();
        chars[chars.len().saturating_sub(2000)..].iter().collect()
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its base URL, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The process id of the server (also its process group id).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Stops the server's process group (TERM, then KILL after 3 s) and removes its data.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-TERM", "--", &group])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn health(port: u16) -> bool {
    let Ok(mut stream) =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200))
    else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    if stream
        .write_all(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = [0u8; 12];
    stream.read_exact(&mut buf).is_ok() && buf.starts_with(b"HTTP/1.") && &buf[9..12] == b"200"
}
