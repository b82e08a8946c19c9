//! npm-installed test tools and the server processes they run (standard library only, shared
//! with `cargo xtask` through `#[path]`).
//!
//! A [`ServerProcess`] is started in its own process group on 127.0.0.1 and a free port, with
//! its own temporary folder; dropping it stops the whole group by PID (TERM, then KILL), also
//! when a test panics.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Installs npm `packages` into `dir` (needs Node.js and npm on the PATH).
pub fn npm_install(dir: &Path, packages: &[&str]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if !dir.join("package.json").is_file() {
        std::fs::write(dir.join("package.json"), "{\"private\":true}\n")
            .map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut args = vec!["install", "--no-audit", "--no-fund", "--loglevel=error"];
    args.extend(packages);
    let status = Command::new("npm")
        .args(&args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("could not run npm (install Node.js and npm): {e}"))?;
    if !status.success() {
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

/// A server process started by a test or by xtask. Dropping it stops it.
pub struct ServerProcess {
    name: &'static str,
    child: Option<Child>,
    port: u16,
    data_dir: PathBuf,
    log: PathBuf,
}

impl ServerProcess {
    /// Runs `program args...` (with `{port}` in any argument replaced by a free port) in a new
    /// process group and a fresh temporary folder (also its `TMPDIR`), then waits until an HTTP
    /// `GET health_path` answers with any status, at most `limit`.
    pub fn start(
        name: &'static str,
        program: &Path,
        args: &[&str],
        health_path: &str,
        limit: Duration,
    ) -> Result<ServerProcess, String> {
        let port = free_port()?;
        let data_dir =
            std::env::temp_dir().join(format!("liveblocks-{name}-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
        let log = data_dir.join("server.log");
        let log_file =
            std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let log_err = log_file.try_clone().map_err(|e| e.to_string())?;
        let port_text = port.to_string();
        let mut command = Command::new(program);
        command
            .args(args.iter().map(|a| a.replace("{port}", &port_text)))
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
            .map_err(|e| format!("could not start {name} ({}): {e}", program.display()))?;
        let mut server = ServerProcess {
            name,
            child: Some(child),
            port,
            data_dir,
            log,
        };
        server.wait_ready(health_path, limit)?;
        Ok(server)
    }

    fn wait_ready(&mut self, health_path: &str, limit: Duration) -> Result<(), String> {
        let start = Instant::now();
        loop {
            if let Some(child) = &mut self.child
                && let Ok(Some(status)) = child.try_wait()
            {
                return Err(format!(
                    "{} exited ({status}): {}",
                    self.name,
                    self.log_tail()
                ));
            }
            if http_status(self.port, health_path).is_some() {
                return Ok(());
            }
            if start.elapsed() > limit {
                return Err(format!(
                    "{} did not start in {limit:?}: {}",
                    self.name,
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The end of the server's log.
    pub fn log_tail(&self) -> String {
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

    /// Stops the server's process group (TERM, then KILL after 3 s) and removes its folder.
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

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The status of `GET path` on 127.0.0.1:port, if anything answers.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200))
            .ok()?;
    stream
        .set_read_timeout(Some(Duration::from_millis(1000)))
        .ok()?;
    stream
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .ok()?;
    let mut buf = [0u8; 12];
    stream.read_exact(&mut buf).ok()?;
    if !buf.starts_with(b"HTTP/1.") {
        return None;
    }
    std::str::from_utf8(&buf[9..12]).ok()?.parse().ok()
}

/// Runs `node script args...`; its standard output when it succeeds, an error with its
/// standard error otherwise.
pub fn run_node(script: &Path, args: &[&std::ffi::OsStr]) -> Result<String, String> {
    let output = Command::new("node")
        .arg(script)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run node: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "node {} failed ({}): {}",
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
