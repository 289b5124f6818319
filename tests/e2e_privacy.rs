#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the page makes no request except for its own files, whatever
//! the learner does; and "Show code" follows the settings.
//!
//! Every request of the page and of its worker is read from Chromium's
//! DevTools network events (ChromeDriver's performance log), so a request to
//! any other host is seen even if it fails. Chromium's own service traffic
//! (updates, sign-in) is not the page's and is not in those events. Probes
//! from the page and from a worker at the end prove that such requests
//! would be seen.

mod support;

use fantoccini::Client;
use support::browser::{assert_no_console_errors, log_entries, set_slider, wait_for_js, with_client, Driver};
use support::page::{choose_files, click, paste_text, set_field, wait_steps, wait_text};
use support::static_server::StaticServer;

/// URLs of every request that a document or worker of `origin` started since
/// the last read (DevTools `Network.requestWillBeSent`, whose `documentURL`
/// names the initiating page or worker script). The browser's own start page,
/// open before the test navigates, is not the app's.
async fn requested_urls(driver_port: u16, c: &Client, origin: &str) -> Vec<String> {
    log_entries(driver_port, c, "performance")
        .await
        .into_iter()
        .filter_map(|(_, message)| {
            let event: serde_json::Value = serde_json::from_str(&message).ok()?;
            let event = &event["message"];
            let by = event["params"]["documentURL"].as_str().unwrap_or("");
            let ours = by.starts_with(origin) || by.starts_with(&format!("blob:{origin}"));
            (event["method"] == "Network.requestWillBeSent" && ours).then(|| event["params"]["request"]["url"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_but_the_pages_own_files_is_requested() {
    let dist = support::dist_dir();
    let server = StaticServer::start(&dist);
    let driver = Driver::start();
    let file = std::env::temp_dir().join(format!("batchscope-privacy-{}.txt", std::process::id()));
    std::fs::write(&file, "A private diary entry that must stay on this machine.\n".repeat(30)).unwrap();
    let (url, port) = (server.url("/#bs=8&bptt=12&hidden=16"), driver.port);
    let (origin, page_log) = (server.url(""), server.requests.clone());
    with_client(&driver, move |c| async move {
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
        assert!(code.contains("np.random.shuffle(docs)") && code.contains("def repackage_hidden"), "{code}");
        set_slider(&c, "bptt-slider", 35).await;
        wait_text(&c, "code-text", "bs, bptt = 3, 35").await;
        click(&c, "copy-code").await;
        wait_text(&c, "copy-code", "copied").await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        assert_no_console_errors(port, &c).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;

        let requested = requested_urls(port, &c, &origin).await;
        let elsewhere: Vec<&String> = requested.iter().filter(|u| !u.starts_with(&origin) && !u.starts_with("blob:") && !u.starts_with("data:")).collect();
        assert!(elsewhere.is_empty(), "requests to other hosts: {elsewhere:?}");
        assert!(requested.iter().any(|u| u.ends_with(".wasm")), "the network events saw the page load: {requested:?}");
        let own: Vec<String> = page_log.lock().unwrap().clone();
        for path in &own {
            let file = path.split(['?', '#']).next().unwrap().trim_start_matches('/');
            let file = if file.is_empty() { "index.html" } else { file };
            assert!(dist.join(file).is_file(), "requested {path}, which is not a file of the page");
        }
        assert!(own.iter().any(|p| p.ends_with(".wasm")), "the log saw the page load: {own:?}");

        // Requests elsewhere, from the page and from a worker, are seen.
        c.execute(
            "fetch('http://example.invalid/page-probe').catch(() => {});
             new Worker(URL.createObjectURL(new Blob([\"fetch('http://example.invalid/worker-probe').catch(() => {})\"])));",
            vec![],
        )
        .await
        .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let probes = requested_urls(port, &c, &origin).await;
        for probe in ["page-probe", "worker-probe"] {
            assert!(probes.iter().any(|u| u.ends_with(probe)), "the {probe} was not seen: {probes:?}");
        }
    })
    .await;
}
