//! The page: mounts the root component.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(batchscope::web::ui::app::App);
}
