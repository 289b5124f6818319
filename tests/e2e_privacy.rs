#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the page makes no request except for its own files, whatever
//! the learner does; and "Show code" follows the settings.
//!
//! Chromium writes a NetLog of every request the browser makes; each request
//! started by a document or worker names its initiator origin. Every request
//! initiated by the app's origin must be for one of its own files. Chromium's
//! own service traffic (updates, sign-in) has no such initiator and is not the
//! app's. Probes from the page and from a worker prove that a request
//! elsewhere would be seen.

mod support;

use serde_json::Value;
use support::browser::{
    assert_no_console_errors, set_slider, wait_for_js, with_client_args, Driver,
};
use support::page::{choose_files, click, paste_text, set_field, wait_steps, wait_text};
use support::static_server::StaticServer;

/// URLs of every request in the NetLog at `path` initiated by `origin`
/// (`URL_REQUEST_START_JOB` events). The browser must have closed the log.
fn requests_initiated_by(path: &std::path::Path, origin: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("the NetLog");
    // The log is one JSON object; Chromium may leave a newline after it.
    let log: Value = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .next()
        .expect("a NetLog object")
        .expect("NetLog JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .expect("event type id");
    log["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| {
            e["type"].as_u64() == Some(start_job)
                && e["params"]["initiator"].as_str() == Some(origin)
        })
        .filter_map(|e| e["params"]["url"].as_str().map(String::from))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_but_the_pages_own_files_is_requested() {
    let dist = support::dist_dir();
    let server = StaticServer::start(&dist);
    let driver = Driver::start();
    let file = support::scratch_dir("privacy").join("diary.txt");
    std::fs::write(
        &file,
        "A private diary entry that must stay on this machine.\n".repeat(30),
    )
    .unwrap();
    let (url, port) = (server.url("/#bs=8&bptt=12&hidden=16"), driver.port);
    let netlog = support::scratch_dir("privacy").join("netlog.json");
    let origin = server.url("");
    let args = vec![format!("--log-net-log={}", netlog.display())];
    with_client_args(&driver, &args, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(&c, "document.querySelector(\"[data-testid='matrix-caption']\")", "the page").await;
        // Everything a learner can do with their text and the controls.
        choose_files(&c, &[&file]).await;
        wait_text(&c, "corpus-select", "Your text").await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        click(&c, "play-button").await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        click(&c, "play-button").await;
        paste_text(&c, "Another private text, pasted this time. ".repeat(10).as_str()).await;
        wait_text(&c, "corpus-select", "pasted text").await;
        set_slider(&c, "bs-slider", 3).await;
        set_field(&c, "scheme-select", "fastai-v2").await;
        set_field(&c, "corpus-select", "long-range").await;
        // Show code, with the current settings, and copy it.
        c.execute("document.querySelector(\"[data-testid='show-code']\").open = true", vec![]).await.unwrap();
        let code = wait_text(&c, "code-text", "bs, bptt = 3, 12").await;
        assert!(code.contains("stream(np.random.permutation(len(docs)))") && code.contains("def repackage_hidden"), "{code}");
        set_slider(&c, "bptt-slider", 35).await;
        wait_text(&c, "code-text", "bs, bptt = 3, 35").await;
        click(&c, "copy-code").await;
        wait_text(&c, "copy-code", "copied").await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        assert_no_console_errors(port, &c).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;

        // Probes elsewhere, from the page and from a worker.
        c.execute(
            "fetch('http://example.invalid/page-probe').catch(() => {});
             new Worker(URL.createObjectURL(new Blob([\"fetch('http://example.invalid/worker-probe').catch(() => {})\"])));",
            vec![],
        )
        .await
        .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    })
    .await;
    // The session is closed: Chromium has written the whole log.
    let requested = requests_initiated_by(&netlog, &origin);
    let elsewhere: Vec<&String> = requested
        .iter()
        .filter(|u| !u.starts_with(&format!("{origin}/")) && !u.starts_with("blob:"))
        .collect();
    assert_eq!(
        elsewhere,
        [
            "http://example.invalid/page-probe",
            "http://example.invalid/worker-probe"
        ],
        "requests to other hosts"
    );
    for url in &requested {
        let file = url
            .trim_start_matches(&origin)
            .split(['?', '#'])
            .next()
            .unwrap()
            .trim_start_matches('/');
        if url.starts_with(&origin) {
            assert!(
                dist.join(file).is_file(),
                "requested {url}, which is not a file of the page"
            );
        }
    }
    assert!(
        requested
            .iter()
            .any(|u| u.ends_with("/worker_bg.wasm") || u.ends_with("/worker_relaxed_bg.wasm")),
        "the worker's own requests are in the log: {requested:?}"
    );
}
