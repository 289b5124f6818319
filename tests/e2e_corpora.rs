#![cfg(not(target_arch = "wasm32"))]
//! End-to-end: the learner's own text (files, paste) and the bad inputs a
//! learner may give (an empty, binary, too large or non-UTF-8 file, too
//! little text for bs), each answered by a clear message while the app keeps
//! working.

mod support;

use std::path::PathBuf;

use batchscope::data::batcher::{BatchConfig, LmBatcher, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use support::browser::{
    assert_no_console_errors, set_slider, text_of, wait_for_js, with_client, Driver,
};
use support::page::{
    choose_files, click, dismiss_notice, notice, paste_text, set_field, wait_numbers, wait_steps,
    wait_text,
};
use support::static_server::StaticServer;

/// A fresh directory for this test's files.
fn scratch(name: &str) -> PathBuf {
    support::scratch_dir(&format!("corpora-{name}"))
}

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

const DOC_A: &str =
    "The ferry left at noon. Mira counted the gulls on the rail and lost count at forty.\n";
const DOC_B: &str =
    "In the evening the harbour lights came on one by one, and the water took each of them in.\n";

#[tokio::test(flavor = "multi_thread")]
async fn own_files_become_documents_that_batch_and_train() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let dir = scratch("own");
    let (a, b) = (
        write(&dir, "a.txt", DOC_A.as_bytes()),
        write(&dir, "b.txt", DOC_B.as_bytes()),
    );
    let (url, port) = (
        server.url("/#bs=4&bptt=10&scheme=pytorch&hidden=16"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(&c, "document.querySelector(\"[data-testid='matrix-caption']\")", "the page").await;
        choose_files(&c, &[&a, &b]).await;
        wait_text(&c, "corpus-select", "Your text: 2 files").await;
        // The page batches exactly what the core makes of the two documents.
        let corpus = Corpus::from_documents(&[DOC_A, DOC_B], TokenLevel::Char).unwrap();
        let expected = LmBatcher::new(&corpus, BatchConfig { bs: 4, bptt: 10, scheme: Scheme::Pytorch, seed: 1 }).unwrap();
        wait_text(&c, "matrix-caption", &format!("{} tokens → 4 columns", expected.tokens())).await;
        wait_numbers(&c, "rows-per-stream", &[expected.tokens(), 4, expected.rows()]).await;
        wait_numbers(&c, "batches-per-epoch", &[expected.batches_per_epoch()]).await;
        let selected = c.execute("return document.querySelector(\"[data-testid='corpus-select']\").value", vec![]).await.unwrap();
        assert_eq!(selected, "own");
        // It trains on it: one real step, and the batch text shows the files' words.
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        assert!(text_of(&c, "batch-text").await.contains("ferry"), "{}", text_of(&c, "batch-text").await);
        // The text is not in the URL; the link says which corpus, nothing more.
        let hash = c.execute("return location.hash", vec![]).await.unwrap();
        assert!(hash.as_str().unwrap().contains("corpus=own") && !hash.as_str().unwrap().contains("ferry"), "{hash}");
        // Pasting replaces it with one document.
        paste_text(&c, "abcabcabcabcabcabcabcabcabcabc").await;
        wait_text(&c, "corpus-select", "Your text: pasted text").await;
        wait_text(&c, "matrix-caption", "30 tokens → 4 columns").await;
        // Dropping a file anywhere on the page loads it too.
        c.execute(
            "const dt = new DataTransfer();
             dt.items.add(new File(['dropped text, dropped text, dropped text.'], 'dropped.txt', { type: 'text/plain' }));
             document.querySelector('h1').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));",
            vec![],
        )
        .await
        .unwrap();
        wait_text(&c, "corpus-select", "Your text: dropped.txt").await;
        wait_text(&c, "matrix-caption", "41 tokens → 4 columns").await;
        // The embedded corpora are still one choice away.
        set_field(&c, "corpus-select", "stories").await;
        wait_text(&c, "matrix-caption", "119636 tokens").await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_inputs_get_a_message_and_the_previous_text_stays_usable() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let dir = scratch("bad");
    let good = write(&dir, "good.txt", DOC_A.repeat(20).as_bytes());
    let empty = write(&dir, "empty.txt", b"");
    let binary = write(
        &dir,
        "photo.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    );
    let latin1 = write(
        &dir,
        "latin1.txt",
        &b"caf\xE9 au lait, cr\xE8me br\xFBl\xE9e. ".repeat(40),
    );
    let huge = dir.join("huge.txt");
    std::fs::write(&huge, vec![b'a'; 50_000_000]).unwrap();
    let (url, port) = (
        server.url("/#bs=4&bptt=10&scheme=pytorch&hidden=16"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='matrix-caption']\")",
            "the page",
        )
        .await;
        choose_files(&c, &[&good]).await;
        wait_text(&c, "corpus-select", "Your text: good.txt").await;
        let caption = wait_text(
            &c,
            "matrix-caption",
            &format!("{} tokens →", DOC_A.len() * 20),
        )
        .await;

        // Refused files leave the previous text in place.
        for (file, message) in [
            (&empty, "empty.txt has no text"),
            (&binary, "photo.png looks like a binary file"),
            (&huge, "50.0 MB is more than the 33.6 MB"),
        ] {
            dismiss_notice(&c).await;
            choose_files(&c, &[file]).await;
            wait_text(&c, "notice", message).await;
            assert!(
                text_of(&c, "corpus-select")
                    .await
                    .contains("Your text: good.txt"),
                "{message}"
            );
            assert_eq!(
                text_of(&c, "matrix-caption").await,
                caption,
                "after {message}"
            );
        }
        // Non-UTF-8 is decoded lossily, with a warning that says so.
        dismiss_notice(&c).await;
        choose_files(&c, &[&latin1]).await;
        wait_text(
            &c,
            "notice",
            "latin1.txt is not valid UTF-8: 160 invalid byte sequence(s) were replaced by �",
        )
        .await;
        wait_text(&c, "corpus-select", "Your text: latin1.txt").await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;

        // Too little text for bs: the reason, with the numbers.
        dismiss_notice(&c).await;
        paste_text(&c, "abc").await;
        wait_text(
            &c,
            "matrix-caption",
            "bs = 4 is larger than the corpus (3 tokens)",
        )
        .await;
        wait_text(&c, "run-error", "bs = 4 is larger than the corpus").await;
        // The previous text's picture is gone, not left standing beside the reason.
        let blank =
            "(cv => { const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data; \
                     for (let i = 3; i < d.length; i += 4) if (d[i]) return false; return true; })\
                     (document.querySelector(\"[data-testid='corpus-matrix']\"))";
        wait_for_js(&c, blank, "a blank matrix").await;
        paste_text(&c, "abcdefg").await; // 7 tokens: fewer than 2·bs
        wait_text(&c, "matrix-caption", "bs = 4 leaves 1 row per stream").await;
        set_slider(&c, "bs-slider", 1).await;
        // bptt longer than the rows: windows are cut, and the page says so.
        wait_text(
            &c,
            "matrix-caption",
            "bptt = 10 is more than the 6 rows a window can use here",
        )
        .await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        // The unrolled view follows once the settings rest.
        wait_numbers(&c, "unrolled-count", &[6]).await;

        // A word vocabulary over the model's cap.
        let words: Vec<String> = (0..10_005).map(|i| format!("w{i}")).collect();
        paste_text(&c, &words.join(" ")).await;
        set_field(&c, "tokens-select", "word").await;
        wait_text(
            &c,
            "run-error",
            "the vocabulary has 10005 distinct words, more than the 10000",
        )
        .await;
        set_field(&c, "tokens-select", "char").await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;

        // A learning rate that makes the loss NaN.
        set_field(&c, "optimizer-select", "sgd").await;
        set_field(&c, "lr-input", "1e38").await;
        for _ in 0..4 {
            click(&c, "step-button").await;
        }
        wait_text(&c, "run-error", "training diverged at step").await;
        set_field(&c, "lr-input", "0.01").await;
        wait_steps(&c, 0).await;
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        assert!(c
            .execute(
                "return !document.querySelector(\"[data-testid='run-error']\")",
                vec![]
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap());
        assert!(!notice(&c).await.contains("panicked"));
        assert_no_console_errors(port, &c).await;
    })
    .await;
}

/// Tokens the core makes of `files` read the way the page reads them.
fn core_tokens(files: &[(&str, &[u8])]) -> usize {
    let user = batchscope::data::user_text::from_files(
        files
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect(),
    )
    .unwrap();
    Corpus::from_documents(&user.documents, TokenLevel::Char)
        .unwrap()
        .num_tokens()
}

#[tokio::test(flavor = "multi_thread")]
async fn utf16_crlf_empty_files_among_others_and_an_empty_paste() {
    let server = StaticServer::start(&support::dist_dir());
    let driver = Driver::start();
    let dir = scratch("encodings");
    let utf16_text = "héllo wörld, ça va?\r\n".repeat(30);
    let utf16_bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(utf16_text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let crlf_bytes = "line one\r\nline two\r\n".repeat(30).into_bytes();
    let utf16 = write(&dir, "utf16.txt", &utf16_bytes);
    let crlf = write(&dir, "crlf.txt", &crlf_bytes);
    let empty = write(&dir, "empty.txt", b"");
    let (url, port) = (
        server.url("/#bs=4&bptt=10&scheme=pytorch&hidden=16"),
        driver.port,
    );
    with_client(&driver, move |c| async move {
        c.goto(&url).await.unwrap();
        wait_for_js(
            &c,
            "document.querySelector(\"[data-testid='matrix-caption']\")",
            "the page",
        )
        .await;

        // UTF-16 with a byte-order mark is decoded (its CRLFs become \n), with no warning.
        choose_files(&c, &[&utf16]).await;
        wait_text(&c, "corpus-select", "Your text: utf16.txt").await;
        let tokens = "héllo wörld, ça va?\n".chars().count() * 30;
        assert_eq!(core_tokens(&[("utf16.txt", &utf16_bytes)]), tokens);
        wait_text(&c, "matrix-caption", &format!("{tokens} tokens →")).await;
        wait_text(&c, "batch-text", "héllo").await;
        assert_eq!(notice(&c).await, "");

        // Windows line ends become \n: no \r is a token.
        choose_files(&c, &[&crlf]).await;
        wait_text(&c, "corpus-select", "Your text: crlf.txt").await;
        let tokens = "line one\nline two\n".len() * 30;
        assert_eq!(core_tokens(&[("crlf.txt", &crlf_bytes)]), tokens);
        wait_text(&c, "matrix-caption", &format!("{tokens} tokens →")).await;

        // An empty file among others is left out, with a notice.
        choose_files(&c, &[&crlf, &empty, &utf16]).await;
        wait_text(&c, "notice", "empty.txt is empty and was left out").await;
        wait_text(&c, "corpus-select", "Your text: 2 files").await;
        let tokens = core_tokens(&[("crlf.txt", &crlf_bytes), ("utf16.txt", &utf16_bytes)]);
        wait_text(&c, "matrix-caption", &format!("{tokens} tokens →")).await;
        let caption = text_of(&c, "matrix-caption").await;

        // An empty (or blank) paste is refused; the two files stay.
        for blank in ["", "  \n\t "] {
            dismiss_notice(&c).await;
            paste_text(&c, blank).await;
            wait_text(
                &c,
                "notice",
                "the paste box is empty: paste some text first",
            )
            .await;
            assert!(text_of(&c, "corpus-select")
                .await
                .contains("Your text: 2 files"));
            assert_eq!(text_of(&c, "matrix-caption").await, caption);
        }
        click(&c, "step-button").await;
        wait_steps(&c, 1).await;
        assert_no_console_errors(port, &c).await;
    })
    .await;
}
