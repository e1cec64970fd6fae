//! A function's whole life from the keyboard, in a real terminal against the sandbox: created
//! from a template in the form, a second revision deployed from the update form, traffic split
//! 50/50, rolled back, invoked, and deleted.

mod support;

use support::tmux::Tmux;

#[test]
fn create_deploy_split_rollback_invoke_and_delete() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox -n shop");
    tmux.wait_for_screen("the function list", |s| {
        s.contains("● live") && s.contains("Functions(shop)")
    });

    // Create from the go:alpine template.
    tmux.send(&["c"]);
    tmux.wait_for_screen("the create form", |s| {
        s.contains("New function") && s.contains("‹ go:debian ›")
    });
    tmux.send(&["lifecycle", "Tab", "Right"]);
    tmux.wait_for_screen("the template picked", |s| {
        s.contains("‹ go:alpine ›") && s.contains("runtime-go:1.23-alpine")
    });
    tmux.send(&["C-s"]);
    tmux.wait_for_screen("the create preview", |s| {
        s.contains("Confirm: create function shop/lifecycle")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("its first revision serving", |s| {
        s.contains("Function shop/lifecycle") && s.contains("100%  lifecycle-00001")
    });

    // A second revision from the update form: another base image.
    tmux.send(&["u"]);
    tmux.wait_for_screen("the update form", |s| s.contains("Change shop/lifecycle"));
    tmux.send(&[
        "End",
        "BSpace",
        "BSpace",
        "BSpace",
        "BSpace",
        "BSpace",
        "BSpace",
        "distroless",
    ]);
    tmux.wait_for_screen("the new image typed", |s| {
        s.contains("runtime-go:1.23-distroless")
    });
    tmux.send(&["C-s"]);
    tmux.wait_for_screen("the update preview", |s| {
        s.contains("Confirm: update function shop/lifecycle")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the second revision serving", |s| {
        s.contains("Function shop/lifecycle") && s.contains("100%  lifecycle-00002")
    });

    // 50/50 between the two revisions (rows: @latest, 00002, 00001).
    tmux.send(&["t"]);
    tmux.wait_for_screen("the traffic editor", |s| {
        s.contains("Traffic of shop/lifecycle")
    });
    tmux.send(&["j", "50", "Enter", "k", "0", "Enter", "G", "50", "Enter"]);
    tmux.wait_for_screen("a valid split", |s| s.contains("Total 100%"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the split preview", |s| {
        s.contains("Confirm: change the traffic of function shop/lifecycle")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("the split live", |s| {
        s.contains(" 50%  lifecycle-00002") && s.contains(" 50%  lifecycle-00001")
    });

    // Roll back: all traffic to the previous ready revision.
    tmux.send(&["R"]);
    tmux.wait_for_screen("the rollback preview", |s| {
        s.contains("Confirm: roll function shop/lifecycle back to lifecycle-00001")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("all traffic on the first revision", |s| {
        s.contains("100%  lifecycle-00001") && !s.contains(" 50%  lifecycle-00002")
    });

    // Invoke it: the answer comes from the rolled-back revision through the gateway.
    tmux.send(&["i"]);
    tmux.wait_for_screen("the invoke view", |s| s.contains("Invoke shop/lifecycle"));
    tmux.send(&["C-s"]);
    let screen = tmux.wait_for_screen("the answer", |s| s.contains("HTTP 200 OK · "));
    assert!(
        screen.contains("\"revision\": \"lifecycle-00001\""),
        "{screen}"
    );
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the detail again", |s| {
        s.contains("Function shop/lifecycle") && !s.contains("Invoke shop/lifecycle")
    });

    // Delete it: the name typed to confirm.
    tmux.send(&["C-d"]);
    tmux.wait_for_screen("the delete confirmation", |s| {
        s.contains("Confirm: delete function shop/lifecycle")
    });
    tmux.send(&["lifecycle", "Enter"]);
    tmux.wait_for_screen("the function gone", |s| {
        s.contains("deleted function shop/lifecycle")
    });
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}
