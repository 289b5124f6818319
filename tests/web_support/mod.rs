//! Helpers shared by the wasm-bindgen tests: a fresh mount point, element
//! lookup, and a slider "drag" made of a real `input` event.

#![allow(dead_code)]

use std::sync::Arc;

use batchscope::data::batcher::{BatchConfig, Scheme};
use batchscope::data::corpus::{Corpus, TokenLevel};
use batchscope::web::ui::batching::Batching;
use leptos::prelude::{document, Get, Memo, RwSignal};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};

/// A new `<div>` in the test page's body to mount a component into.
pub fn host() -> HtmlElement {
    let doc = document();
    let host: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    host
}

/// The first element under `host` matching `selector`; panics with the selector.
pub fn select(host: &HtmlElement, selector: &str) -> Element {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
}

/// Text content of the first element matching `selector`.
pub fn text(host: &HtmlElement, selector: &str) -> String {
    select(host, selector).text_content().unwrap()
}

/// Sets the range input `data-testid=id` the way a drag does: new value, then
/// a bubbling `input` event.
pub fn drag(host: &HtmlElement, id: &str, value: impl ToString) {
    let input: HtmlInputElement = select(host, &format!("[data-testid='{id}']")).unchecked_into();
    input.set_value(&value.to_string());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

/// `querySelectorAll` through js-sys: web-sys's `NodeList` feature is not
/// enabled in Cargo.toml, and a NodeList is iterable for `Array::from`.
pub fn all(host: &HtmlElement, selector: &str) -> Vec<Element> {
    let query: js_sys::Function = js_sys::Reflect::get(host, &"querySelectorAll".into())
        .unwrap()
        .unchecked_into();
    let list = query.call1(host, &selector.into()).unwrap();
    js_sys::Array::from(&list)
        .iter()
        .map(|node| node.unchecked_into())
        .collect()
}

/// Waits `ms` milliseconds of the page's own clock (for views that follow a
/// drag once it rests).
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Resolves in the next animation frame, after the callbacks requested before it.
pub async fn next_frame() {
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::task::{Poll, Waker};
    let state = Rc::new(RefCell::new((false, None::<Waker>)));
    let fired = state.clone();
    leptos::prelude::request_animation_frame(move || {
        let mut fired = fired.borrow_mut();
        fired.0 = true;
        if let Some(waker) = fired.1.take() {
            waker.wake();
        }
    });
    std::future::poll_fn(move |cx| {
        let mut state = state.borrow_mut();
        if state.0 {
            Poll::Ready(())
        } else {
            state.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await
}

/// Text content of the element with `data-testid` = `id`.
pub fn testid(host: &HtmlElement, id: &str) -> String {
    text(host, &format!("[data-testid='{id}']"))
}

/// The embedded stories, as characters.
pub fn stories() -> Arc<Corpus> {
    let docs = batchscope::data::corpora::documents("stories").unwrap();
    Arc::new(Corpus::from_documents(&docs, TokenLevel::Char).unwrap())
}

/// bs and bptt signals, and the batching memo the page builds from them.
pub fn batching_of(
    corpus: Arc<Corpus>,
    bs: RwSignal<usize>,
    bptt: RwSignal<usize>,
    scheme: Scheme,
) -> Memo<Result<Batching, String>> {
    Memo::new(move |_| {
        let cfg = BatchConfig {
            bs: bs.get(),
            bptt: bptt.get(),
            scheme,
            seed: 1,
        };
        Batching::new(corpus.clone(), cfg, 0)
    })
}
