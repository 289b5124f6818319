#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the page makes no request except for its own files, whatever
//! the learner does; and "Show code" follows the settings.
//!
//! Chromium runs with every non-loopback request routed to a trap proxy that
//! records it, so a request to any other host would be caught even if it
//! failed; a deliberate request at the end proves the trap works.

mod support;

use support::browser::{assert_no_console_errors, set_slider, wait_for_js, with_client_args, Driver};
use support::page::{choose_files, click, paste_text, set_field, wait_steps, wait_text};
use support::static_server::StaticServer;

#[tokio::test(flavor = "multi_thread")]
async fn nothing_but_the_pages_own_files_is_requested() {
    let dist = support::dist_dir();
    let server = StaticServer::start(&dist);
    let trap = StaticServer::start(&std::env::temp_dir().join("batchscope-empty-trap"));
    let driver = Driver::start();
    let file = std::env::temp_dir().join(format!("batchscope-privacy-{}.txt", std::process::id()));
    std::fs::write(&file, "A private diary entry that must stay on this machine.\n".repeat(30)).unwrap();
    let (url, port) = (server.url("/#bs=8&bptt=12&hidden=16"), driver.port);
    let proxy = vec![format!("--proxy-server=http://127.0.0.1:{}", trap.port)];
    let (trap_log, page_log) = (trap.requests.clone(), server.requests.clone());
    with_client_args(&driver, &proxy, move |c| async move {
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

        let trapped = trap_log.lock().unwrap().clone();
        assert!(trapped.is_empty(), "requests to other hosts: {trapped:?}");
        let own: Vec<String> = page_log.lock().unwrap().clone();
        for path in &own {
            let file = path.split(['?', '#']).next().unwrap().trim_start_matches('/');
            let file = if file.is_empty() { "index.html" } else { file };
            assert!(dist.join(file).is_file(), "requested {path}, which is not a file of the page");
        }
        assert!(own.iter().any(|p| p.ends_with(".wasm")), "the log saw the page load: {own:?}");

        // The trap catches what a request elsewhere would look like.
        c.execute("fetch('http://example.invalid/probe').catch(() => {})", vec![]).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        let trapped = trap_log.lock().unwrap().clone();
        assert!(trapped.iter().any(|r| r.contains("example.invalid/probe")), "the trap proxy did not see the probe: {trapped:?}");
    })
    .await;
}
