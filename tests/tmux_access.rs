//! The console knows what the connected user may do: with the sandbox's viewer persona a
//! delete is refused up front, naming the missing permission, with no confirmation to walk
//! through; the developer persona in its own namespace gets the confirmation.

mod support;

use support::tmux::Tmux;

fn try_delete_cart_sync(context: &str) -> String {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(
        home.path(),
        &format!("--sandbox --context {context} -n shop"),
    );
    tmux.wait_for_screen("the list", |s| {
        s.contains("● live") && s.contains("cart-sync")
    });
    tmux.send(&["/", "cart-sync", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/cart-sync█"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the detail", |s| s.contains("Function shop/cart-sync"));
    tmux.send(&["C-d"]);
    let screen = tmux.wait_for_screen("an answer", |s| {
        s.contains("may not delete") || s.contains("Confirm: delete function shop/cart-sync")
    });
    if context == "sandbox-viewer" && screen.contains("Confirm:") {
        // The rules were still on their way (the server would have decided): once more.
        tmux.send(&["Escape", "C-d"]);
        return tmux.wait_for_screen("the refusal", |s| s.contains("may not delete"));
    }
    screen
}

#[test]
fn the_viewer_is_refused_up_front_and_the_developer_is_asked_to_confirm() {
    let screen = try_delete_cart_sync("sandbox-viewer");
    assert!(
        screen.contains(
            "cannot delete function shop/cart-sync: context sandbox-viewer may not delete services.serving.knative.dev in namespace shop"
        ),
        "{screen}"
    );
    assert!(!screen.contains("Confirm:"), "{screen}");

    let screen = try_delete_cart_sync("sandbox-developer");
    assert!(
        screen.contains("Confirm: delete function shop/cart-sync"),
        "{screen}"
    );
}
