//! Headless Chromium driven through ChromeDriver with fantoccini.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// Flags every headless run as root needs on these machines.
pub const CHROMIUM_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1400",
    "--force-device-scale-factor=1",
];

/// A ChromeDriver process; killed on drop.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Driver {
    /// The ChromeDriver process: the browsers it starts are its descendants.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn start() -> Driver {
        // Tests run in parallel and free_port() gives the port back before
        // chromedriver binds it, so two drivers can be handed the same one:
        // the loser exits at once while the port answers (for the winner).
        // Check that ours is the one alive, else try another port.
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new("/usr/bin/chromedriver")
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start /usr/bin/chromedriver (apt-get install chromium-driver)");
            let deadline = Instant::now() + Duration::from_secs(20);
            while TcpStream::connect(("127.0.0.1", port)).is_err()
                && child.try_wait().unwrap().is_none()
            {
                assert!(Instant::now() < deadline, "chromedriver did not start");
                std::thread::sleep(Duration::from_millis(50));
            }
            std::thread::sleep(Duration::from_millis(200));
            if child.try_wait().unwrap().is_none() {
                return Driver { child, port };
            }
        }
        panic!("chromedriver exited at start five times (ports taken?)");
    }

    /// A new browser session with a fresh profile (returned, for the caller
    /// to delete once the session is closed), browser-log capture and
    /// `extra` Chromium flags.
    pub async fn session(&self, extra: &[String]) -> (Client, PathBuf) {
        let profile = super::scratch_dir("chromium").join(free_port().to_string());
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.extend_from_slice(extra);
        let caps = json!({
            "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let caps = match caps {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let client = ClientBuilder::rustls()
            .expect("rustls client")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("connect to chromedriver");
        (client, profile)
    }
}

/// POSTs `body` to ChromeDriver's `/session/{id}/{endpoint}` and returns the
/// answer's `value`: for the endpoints fantoccini does not wrap.
async fn driver_post(driver_port: u16, client: &Client, endpoint: &str, body: &str) -> Value {
    let session = client.session_id().await.unwrap().expect("session id");
    let request = format!(
        "POST /session/{session}/{endpoint} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    // Connection: close, so the answer ends where the stream does; a large
    // log comes chunked.
    let mut stream = TcpStream::connect(("127.0.0.1", driver_port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    // ChromeDriver keeps the connection open: stop at the end of the body.
    let (mut response, mut chunk) = (Vec::new(), [0u8; 65536]);
    let body = loop {
        let n = stream.read(&mut chunk).unwrap();
        response.extend_from_slice(&chunk[..n]);
        let Some(split) = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|i| i + 4)
        else {
            continue;
        };
        let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
        let body = &response[split..];
        if head.contains("transfer-encoding: chunked") {
            if body.ends_with(b"0\r\n\r\n") || n == 0 {
                break dechunk(body);
            }
        } else {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok());
            if n == 0 || length.is_some_and(|len: usize| body.len() >= len) {
                break body.to_vec();
            }
        }
    };
    let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    parsed["value"].clone()
}

/// Entries of one of ChromeDriver's logs (`browser`, `performance`) since the
/// last read, as (level, message). fantoccini does not wrap the log endpoint.
pub async fn log_entries(driver_port: u16, client: &Client, kind: &str) -> Vec<(String, String)> {
    driver_post(
        driver_port,
        client,
        "se/log",
        &format!(r#"{{"type":"{kind}"}}"#),
    )
    .await
    .as_array()
    .map(|entries| {
        entries
            .iter()
            .map(|e| {
                (
                    e["level"].as_str().unwrap_or("").to_string(),
                    e["message"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Runs a DevTools-protocol command on the page's target and returns its result.
pub async fn cdp(driver_port: u16, client: &Client, cmd: &str, params: Value) -> Value {
    driver_post(
        driver_port,
        client,
        "goog/cdp/execute",
        &json!({ "cmd": cmd, "params": params }).to_string(),
    )
    .await
}

/// The body of an HTTP/1.1 chunked transfer.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&raw[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 || raw.len() < eol + 2 + size {
            break;
        }
        body.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
        raw = &raw[(eol + 4 + size).min(raw.len())..];
    }
    body
}

/// Console messages of the session so far, as (level, message).
pub async fn console(driver_port: u16, client: &Client) -> Vec<(String, String)> {
    log_entries(driver_port, client, "browser").await
}

/// Fails if the page logged an error (a panic reaches the console as one).
pub async fn assert_no_console_errors(driver_port: u16, client: &Client) {
    let errors: Vec<_> = console(driver_port, client)
        .await
        .into_iter()
        .filter(|(level, _)| level == "SEVERE")
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
}

/// Runs `body` with a client and always closes the client afterwards, even
/// when the body panics, so Chromium never outlives the test.
pub async fn with_client<F, Fut>(driver: &Driver, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    with_client_args(driver, &[], body).await
}

/// [`with_client`] with extra Chromium flags.
pub async fn with_client_args<F, Fut>(driver: &Driver, extra: &[String], body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (client, profile) = driver.session(extra).await;
    let outcome = tokio::spawn(body(client.clone())).await;
    let _ = client.close().await;
    let _ = std::fs::remove_dir_all(profile);
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task failed: {e}");
    }
}

/// Waits until `script` (a JS expression) is truthy; returns its value.
pub async fn wait_for_js(client: &Client, script: &str, what: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let value = client
            .execute(&format!("return ({script});"), vec![])
            .await
            .unwrap();
        let truthy = match &value {
            Value::Null | Value::Bool(false) => false,
            Value::String(s) => !s.is_empty(),
            Value::Number(n) => n.as_f64() != Some(0.0),
            _ => true,
        };
        if truthy {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Text of the element with this `data-testid`.
pub async fn text_of(client: &Client, testid: &str) -> String {
    client
        .find(Locator::Css(&format!("[data-testid='{testid}']")))
        .await
        .unwrap_or_else(|_| panic!("no element data-testid={testid}"))
        .text()
        .await
        .unwrap()
}

/// Sets a range input and fires a real `input` event, as a drag does.
pub async fn set_slider(client: &Client, testid: &str, value: usize) {
    client
        .execute(
            "const el = document.querySelector(`[data-testid='${arguments[0]}']`);
             el.value = String(arguments[1]);
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(testid), json!(value)],
        )
        .await
        .unwrap();
}

/// Pixels of the canvas `testid` within `tolerance` (sum of the channels'
/// differences) of `colour`.
pub async fn canvas_pixels_near(
    client: &Client,
    testid: &str,
    (r, g, b): (u8, u8, u8),
    tolerance: u32,
) -> u64 {
    client
        .execute(
            "const c = document.querySelector(`[data-testid='${arguments[0]}']`);
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let n = 0;
             for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - arguments[1]) + Math.abs(d[i + 1] - arguments[2]) + Math.abs(d[i + 2] - arguments[3]) < arguments[4]) n++;
             return n;",
            vec![json!(testid), json!(r), json!(g), json!(b), json!(tolerance)],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

/// A fingerprint of a canvas's pixels (FNV-1a over the RGBA bytes).
pub async fn canvas_fingerprint(client: &Client, testid: &str) -> u64 {
    let value = client
        .execute(
            "const c = document.querySelector(`[data-testid='${arguments[0]}']`);
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let h = 0x811c9dc5;
             for (let i = 0; i < d.length; i += 7) { h ^= d[i]; h = Math.imul(h, 0x01000193) >>> 0; }
             return h;",
            vec![json!(testid)],
        )
        .await
        .unwrap();
    value.as_u64().expect("fingerprint")
}

/// Saves a screenshot of the whole viewport as PNG.
pub async fn save_screenshot(client: &Client, path: &str) {
    let png = client.screenshot().await.unwrap();
    std::fs::create_dir_all(std::path::Path::new(path).parent().unwrap()).unwrap();
    std::fs::write(path, png).unwrap();
}

/// Saves a screenshot of one element (by `data-testid`) as PNG.
pub async fn save_element_screenshot(client: &Client, testid: &str, path: &str) {
    let element = client
        .find(Locator::Css(&format!("[data-testid='{testid}']")))
        .await
        .unwrap();
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'})",
            vec![serde_json::to_value(&element).unwrap()],
        )
        .await
        .unwrap();
    let png = element.screenshot().await.unwrap();
    std::fs::write(path, png).unwrap();
}
