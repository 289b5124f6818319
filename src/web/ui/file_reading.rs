//! Reading the learner's files inside the page, with progress: the bytes go
//! from the disk into this tab's memory and nowhere else.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileReader, ProgressEvent};

/// Reads `files` one after the other as `(name, bytes)`, calling
/// `on_progress(bytes read so far, over all files)` as chunks arrive.
/// FileReader reads off the page's thread, so the page stays responsive.
pub async fn read_files(
    files: Vec<File>,
    on_progress: impl Fn(f64) + 'static,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let on_progress = std::rc::Rc::new(on_progress);
    let mut done = 0.0;
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let report = on_progress.clone();
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            report(done + e.loaded())
        });
        let bytes = read_one(&file, &progress).await?;
        done += file.size();
        on_progress(done);
        out.push((file.name(), bytes));
    }
    Ok(out)
}

async fn read_one(
    file: &File,
    progress: &Closure<dyn FnMut(ProgressEvent)>,
) -> Result<Vec<u8>, String> {
    let failed = |what: &str| {
        format!(
            "{} could not be read ({what}); the previous text is still in use",
            file.name()
        )
    };
    let reader = FileReader::new().map_err(|_| failed("no FileReader"))?;
    let promise = Promise::new(&mut |resolve, reject| {
        let done = reader.clone();
        let on_load = Closure::once_into_js(move || {
            resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::NULL))
        });
        let on_error = Closure::once_into_js(move || reject.call0(&JsValue::NULL));
        reader.set_onload(Some(on_load.unchecked_ref()));
        reader.set_onerror(Some(on_error.unchecked_ref()));
    });
    reader.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    reader
        .read_as_array_buffer(file)
        .map_err(|_| failed("the browser refused"))?;
    let result = JsFuture::from(promise).await;
    reader.set_onprogress(None);
    let buffer = result.map_err(|_| failed("the browser reported an error"))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Resolves after the browser has painted the next frame, so a status line
/// set before a long computation is seen before it starts.
pub async fn after_next_paint() {
    let promise = Promise::new(&mut |resolve, _| {
        let then = Closure::once_into_js(move || {
            let _ = web_sys::window()
                .expect("window")
                .set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 0);
        });
        let _ = web_sys::window()
            .expect("window")
            .request_animation_frame(then.unchecked_ref());
    });
    let _ = JsFuture::from(promise).await;
}
