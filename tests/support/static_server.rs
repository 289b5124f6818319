//! Serves `dist/` on 127.0.0.1 for end-to-end tests, recording every request.
//!
//! Why not `trunk serve`: it injects an autoreload script; the tests must see
//! exactly the release page a user gets.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

/// A running file server; requests made to it are kept in `requests`.
pub struct StaticServer {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<String>>>,
    /// Paths answered with 404 from now on, as a broken install would.
    refused: Arc<Mutex<Vec<String>>>,
}

impl StaticServer {
    pub fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let refused = Arc::new(Mutex::new(Vec::new()));
        let (root, log, gone) = (root.to_path_buf(), requests.clone(), refused.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, log, gone) = (root.clone(), log.clone(), gone.clone());
                thread::spawn(move || serve_one(stream, &root, &log, &gone));
            }
        });
        StaticServer {
            port,
            requests,
            refused,
        }
    }

    /// Answers `paths` (e.g. `/worker.js`) with 404 from now on; an empty
    /// list serves everything again.
    pub fn refuse(&self, paths: &[&str]) {
        *self.refused.lock().unwrap() = paths.iter().map(|p| p.to_string()).collect();
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn serve_one(
    stream: TcpStream,
    root: &Path,
    log: &Mutex<Vec<String>>,
    refused: &Mutex<Vec<String>>,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Drain the headers; the body of a GET is empty.
    let mut header = String::new();
    while reader
        .read_line(&mut header)
        .map(|n| n > 2)
        .unwrap_or(false)
    {
        header.clear();
    }
    let target = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    log.lock().unwrap().push(target.clone());
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let relative = if path == "/" {
        "index.html"
    } else {
        path.trim_start_matches('/')
    };
    let file: PathBuf = root.join(relative);
    let inside = !relative.split('/').any(|part| part == "..")
        && !refused.lock().unwrap().iter().any(|p| p == path);
    let mut stream = stream;
    match std::fs::read(&file) {
        Ok(body) if inside => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                content_type(&file),
                body.len()
            );
            let _ = stream
                .write_all(head.as_bytes())
                .and_then(|_| stream.write_all(&body));
        }
        _ => {
            let _ = stream.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
    }
}
