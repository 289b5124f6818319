//! The page's web workers seen through the DevTools protocol: which are
//! alive, and running a script inside the training worker, as a developer
//! would from the console of its DevTools.

use fantoccini::Client;
use serde_json::{json, Value};

use super::browser::cdp;

/// Target ids of the workers alive now.
pub async fn worker_targets(driver_port: u16, c: &Client) -> Vec<String> {
    let targets = cdp(driver_port, c, "Target.getTargets", json!({})).await;
    targets["targetInfos"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|t| t["type"] == "worker")
                .filter_map(|t| t["targetId"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `expression` in the training worker (the one that fetched
/// `worker_bg.wasm` or its relaxed-SIMD build `worker_relaxed_bg.wasm`;
/// race workers fetch `race_worker…`) of every worker target:
/// the expression is sent to all of them and acts only in that one. Fire and
/// forget: the protocol answers through events this harness does not read.
pub async fn run_in_training_worker(driver_port: u16, c: &Client, expression: &str) {
    let guarded = format!(
        "if (performance.getEntriesByType('resource').some(e => e.name.endsWith('/worker_bg.wasm') || e.name.endsWith('/worker_relaxed_bg.wasm'))) {{ {expression} }}"
    );
    for target in worker_targets(driver_port, c).await {
        let session: Value = cdp(
            driver_port,
            c,
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": false }),
        )
        .await["sessionId"]
            .clone();
        let message =
            json!({ "id": 1, "method": "Runtime.evaluate", "params": { "expression": guarded } })
                .to_string();
        cdp(
            driver_port,
            c,
            "Target.sendMessageToTarget",
            json!({ "sessionId": session, "message": message }),
        )
        .await;
    }
}

/// A script for [`run_in_training_worker`] that takes all the memory the
/// worker's WebAssembly instance may still grow into (4 GiB in all), so the
/// worker's next real allocation finds none and it ends the way a worker
/// out of memory ends.
pub const FILL_WASM_MEMORY: &str = "wasm_bindgen().then(w => { \
     for (let pages = 65536; pages >= 1; pages = Math.floor(pages / 2)) { \
         try { while (true) w.memory.grow(pages); } catch (e) {} \
     } })";

/// A script for [`run_in_training_worker`] that hands the worker a message
/// no page would send (three bytes that are no request): its handler fails
/// on it the way a bug would.
pub const GARBLED_MESSAGE: &str =
    "self.dispatchEvent(new MessageEvent('message', { data: new Uint8Array([7, 7, 7]) }))";
