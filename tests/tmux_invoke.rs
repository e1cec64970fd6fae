//! Invoking a function in a real terminal against the sandbox: open a function, press the
//! Invoke key, add a header, send, and read the answer from the sandbox's ingress gateway.

mod support;

use support::tmux::Tmux;

#[test]
fn open_a_function_invoke_it_and_read_the_answer() {
    let home = tempfile::tempdir().expect("tempdir");
    let tmux = Tmux::start(home.path(), "--sandbox");
    tmux.wait_for_screen("the function list", |s| {
        s.contains("● live") && s.contains("Functions(all)[24]")
    });
    // `default/echo`: its newest revision crash-loops, traffic stays on echo-00001.
    tmux.send(&["/", "echo", "Enter"]);
    tmux.wait_for_screen("the filter to close", |s| !s.contains("/echo█"));
    tmux.send(&["Enter"]);
    tmux.wait_for_screen("echo's detail", |s| s.contains("Function default/echo"));
    tmux.send(&["i"]);
    let screen = tmux.wait_for_screen("the invoke view", |s| {
        s.contains("Invoke default/echo")
            && s.contains("none → http://echo.default.svc.cluster.local")
    });
    assert!(screen.contains("GET (auto)"), "{screen}");

    // A header, typed into the headers field (Tab three times from the method).
    tmux.send(&["Tab", "Tab", "Tab", "Enter"]);
    tmux.wait_for_screen("the headers field in edit", |s| {
        s.contains("Headers (Name: value, one per line) · editing")
    });
    tmux.send(&["-l", "X-Quest: grail"]);
    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the edit to end", |s| {
        !s.contains("· editing") && s.contains("X-Quest: grail")
    });

    tmux.send(&["C-s"]);
    let screen = tmux.wait_for_screen("the answer", |s| s.contains("HTTP 200 OK · "));
    assert!(screen.contains("\"revision\": \"echo-00001\""), "{screen}");
    assert!(screen.contains("\"x-quest\": \"grail\""), "{screen}");
    assert!(
        screen.contains("through kourier-system/kourier at 127.0.0.1:"),
        "{screen}"
    );
    assert!(
        screen.contains("content-type: application/json"),
        "{screen}"
    );

    tmux.send(&["Escape"]);
    tmux.wait_for_screen("the detail again", |s| {
        s.contains("Function default/echo") && !s.contains("Invoke default/echo")
    });
    tmux.send(&["q"]);
    let (status, screen) = tmux.wait_for_exit();
    assert_eq!(status, 0, "{screen}");
}
