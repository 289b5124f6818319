//! Where a caption sits: in the page's flow right below the panel it talks
//! about — never over it, at any width — with that panel and the parts the
//! caption names lit, and the page scrolled so that both can be read.
//!
//! The caption lives in a dock, a plain element the tour owns and moves
//! from panel to panel (the caption is rendered into it once, so its
//! buttons keep their state and focus across captions).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::page::tour::Caption;

/// Space kept between the sticky step bar (or the window's edge) and what
/// is scrolled to, px.
const MARGIN: f64 = 12.0;

/// A new dock, not yet in the page.
pub fn make_dock() -> Option<Element> {
    let dock = leptos::prelude::document().create_element("div").ok()?;
    dock.set_class_name("tour-dock");
    let _ = dock.set_attribute("data-testid", "tour-dock");
    // The tour's own: pressing its buttons is not the learner taking over.
    let _ = dock.set_attribute("data-tour", "");
    Some(dock)
}

/// The element with `data-testid` = `testid`.
fn by_testid(testid: &str) -> Option<Element> {
    leptos::prelude::document()
        .query_selector(&format!("[data-testid='{testid}']"))
        .ok()
        .flatten()
}

/// The focused element, if it is inside `dock`.
fn focused_inside(dock: &Element) -> Option<HtmlElement> {
    let active = leptos::prelude::document().active_element()?;
    dock.contains(Some(&active))
        .then(|| active.dyn_into::<HtmlElement>().ok())
        .flatten()
}

/// Focuses `el` without scrolling to it (the tour scrolls itself).
pub fn focus_quietly(el: &HtmlElement) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
    if let Ok(focus) = js_sys::Reflect::get(el, &"focus".into()) {
        if let Ok(focus) = focus.dyn_into::<js_sys::Function>() {
            let _ = focus.call1(el, &options);
        }
    }
}

/// Moves `dock` to just after the panel `testid`; false if there is no such
/// panel. Focus inside the dock stays where it was (moving a node drops it).
pub fn place_after(dock: &Element, testid: &str) -> bool {
    let Some(panel) = by_testid(testid) else {
        return false;
    };
    if panel.next_element_sibling().as_ref() == Some(dock) {
        return true;
    }
    let focused = focused_inside(dock);
    let _ = panel.insert_adjacent_element("afterend", dock);
    if let Some(el) = focused {
        focus_quietly(&el);
    }
    true
}

/// Takes the dock out of the page.
pub fn remove(dock: &Element) {
    dock.remove();
}

/// Height covered by the sticky step bar at the top of the window.
fn covered_top() -> f64 {
    leptos::prelude::document()
        .query_selector(".step-controls")
        .ok()
        .flatten()
        .map_or(0.0, |bar| bar.get_bounding_client_rect().bottom().max(0.0))
}

/// Scrolls so that the caption and what it talks about are in view: the
/// whole panel if it fits above the caption, else from the first lit part,
/// else the caption at the bottom of the window with as much above it as fits.
pub fn scroll_to(dock: &Element, caption: &Caption) {
    let window = leptos::prelude::window();
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let document = leptos::prelude::document();
    let spot = caption
        .spots
        .iter()
        .find_map(|s| document.query_selector(s).ok().flatten());
    let mut tops = by_testid(caption.panel)
        .into_iter()
        .chain(spot)
        .map(|el| el.get_bounding_client_rect().top());
    let dock_bottom = dock.get_bounding_client_rect().bottom();
    let covered = covered_top();
    let room = height - covered - 2.0 * MARGIN;
    let delta = match tops.find(|top| dock_bottom - top <= room) {
        Some(top) => top - covered - MARGIN,
        None => dock_bottom - height + MARGIN,
    };
    window.scroll_by_with_x_and_y(0.0, delta);
}

/// Scrolls the least that brings the whole dock into view, if it is not.
pub fn reveal(dock: &Element) {
    let window = leptos::prelude::window();
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(800.0);
    let rect = dock.get_bounding_client_rect();
    let covered = covered_top();
    let delta = if rect.bottom() > height {
        (rect.bottom() - height + MARGIN).min(rect.top() - covered - MARGIN)
    } else if rect.top() < covered {
        rect.top() - covered - MARGIN
    } else {
        return;
    };
    window.scroll_by_with_x_and_y(0.0, delta);
}

/// The style sheet that lights `caption`'s panel and parts (empty when no
/// caption shows). A style rule, not a class on the elements: the panels
/// re-render their parts, and a rule lights the new ones too.
pub fn highlight_css(caption: Option<&Caption>) -> String {
    let Some(caption) = caption else {
        return String::new();
    };
    format!(
        "[data-testid='{}'] {{ outline: 3px solid var(--tour); outline-offset: 6px; border-radius: 6px; }}\n\
         {} {{ box-shadow: 0 0 0 2px var(--tour); border-radius: 3px; background-color: var(--tour-wash); }}",
        caption.panel,
        caption.spots.join(", ")
    )
}
