//! A scripted HTTP/1.1 server on 127.0.0.1 for fault injection: it answers each request with
//! what a script decides (a status, a hang, a reset, a truncated body) and records every request.

use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A request as the fault server saw it.
#[derive(Debug, Clone)]
pub struct SeenRequest {
    /// 0-based arrival index.
    pub index: usize,
    /// Method, e.g. `GET`.
    pub method: String,
    /// Path and query as sent.
    pub target: String,
    /// The request line and header lines as received (without the blank line).
    pub head: String,
    /// The body.
    pub body: Vec<u8>,
}

/// What to do with one request.
#[derive(Debug, Clone)]
pub enum Action {
    /// Answer with this status, extra headers and body (`Connection: close`).
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Read the request and never answer (until the client gives up).
    Hang,
    /// Read the request, then close the connection with a TCP reset.
    Reset,
    /// Announce `declared` body bytes, send `body`, then close.
    Truncate {
        status: u16,
        declared: usize,
        body: Vec<u8>,
    },
    /// Send the status line and headers (announcing `declared` body bytes), then each chunk
    /// after `pause`, then end as `end` says.
    Stream {
        status: u16,
        declared: usize,
        chunks: Vec<Vec<u8>>,
        pause: Duration,
        end: End,
    },
}

/// How an [`Action::Stream`] answer ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Close the connection with a TCP reset.
    Reset,
    /// Keep the connection open and send nothing more (until the client gives up).
    Hang,
}

impl Action {
    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Action {
        Action::Respond {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A JSON answer with one extra header.
    pub fn json_with(status: u16, body: &str, name: &str, value: &str) -> Action {
        let Action::Respond {
            status,
            mut headers,
            body,
        } = Action::json(status, body)
        else {
            unreachable!()
        };
        headers.push((name.into(), value.into()));
        Action::Respond {
            status,
            headers,
            body,
        }
    }
}

type Script = dyn Fn(&SeenRequest) -> Action + Send + Sync;

/// A running fault server; aborted when dropped.
pub struct FaultServer {
    port: u16,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    task: JoinHandle<()>,
}

impl FaultServer {
    /// Starts a server that asks `script` what to do with every request.
    pub async fn start(
        script: impl Fn(&SeenRequest) -> Action + Send + Sync + 'static,
    ) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let seen: Arc<Mutex<Vec<SeenRequest>>> = Arc::default();
        let script: Arc<Script> = Arc::new(script);
        let task = {
            let seen = seen.clone();
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let (seen, script) = (seen.clone(), script.clone());
                    tokio::spawn(async move {
                        let _ = serve(stream, seen, script).await;
                    });
                }
            })
        };
        FaultServer { port, seen, task }
    }

    /// The base URL to give the client.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.seen.lock().unwrap().clone()
    }

    /// How many requests arrived.
    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    script: Arc<Script>,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end - 4]).to_string();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[header_end..].to_vec();
    let request = {
        let mut seen = seen.lock().unwrap();
        let request = SeenRequest {
            index: seen.len(),
            method,
            target,
            head,
            body,
        };
        seen.push(request.clone());
        request
    };
    match script(&request) {
        Action::Respond {
            status,
            headers,
            body,
        } => {
            let mut out = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
            out.push_str("\r\n");
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await?;
        }
        Action::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        Action::Reset => {
            stream.set_zero_linger()?;
            drop(stream);
        }
        Action::Truncate {
            status,
            declared,
            body,
        } => {
            let out = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\nconnection: close\r\n\r\n"
            );
            stream.write_all(out.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.flush().await?;
            stream.set_zero_linger()?;
            drop(stream);
        }
        Action::Stream {
            status,
            declared,
            chunks,
            pause,
            end,
        } => {
            let out = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/octet-stream\r\ncontent-length: {declared}\r\nconnection: close\r\n\r\n"
            );
            stream.write_all(out.as_bytes()).await?;
            stream.flush().await?;
            for chunk in chunks {
                tokio::time::sleep(pause).await;
                stream.write_all(&chunk).await?;
                stream.flush().await?;
            }
            match end {
                End::Reset => {
                    tokio::time::sleep(pause).await;
                    stream.set_zero_linger()?;
                    drop(stream);
                }
                End::Hang => tokio::time::sleep(Duration::from_secs(60)).await,
            }
        }
    }
    Ok(())
}
