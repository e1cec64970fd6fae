use super::*;

fn typed(text: &str) -> ratatui_textarea::TextArea<'static> {
    ratatui_textarea::TextArea::new(text.split('\n').map(str::to_owned).collect())
}

#[test]
fn the_form_makes_a_request_by_curls_rules() {
    let mut form = Form::default();
    let req = form.request().expect("a request");
    assert_eq!((req.method.as_str(), req.path.as_str()), ("GET", "/"));
    form.body = typed("{\"a\": 1}");
    form.path = typed("orders?x=1");
    form.headers = typed("X-A: 1\n\n  Accept: text/plain");
    let req = form.request().expect("a request");
    assert_eq!(
        (req.method.as_str(), req.path.as_str()),
        ("POST", "/orders?x=1")
    );
    assert_eq!(
        req.headers,
        vec![
            ("X-A".to_owned(), "1".to_owned()),
            ("Accept".to_owned(), "text/plain".to_owned())
        ]
    );
    form.method = typed("put");
    assert_eq!(form.request().expect("a request").method, "PUT");
    form.method = typed("G E T");
    assert!(form.request().is_err());
    form.method = typed("");
    form.headers = typed("X-A: 1\nbroken");
    let err = form.request().expect_err("bad header");
    assert!(err.starts_with("headers, line 2: "), "{err}");
}

#[test]
fn tags_cycle_back_to_none() {
    let tags = vec!["blue".to_owned(), "green".to_owned()];
    let mut form = Form::default();
    form.next_tag(&tags);
    assert_eq!(form.tag.as_deref(), Some("blue"));
    form.next_tag(&tags);
    assert_eq!(form.tag.as_deref(), Some("green"));
    form.next_tag(&tags);
    assert_eq!(form.tag, None);
    form.next_tag(&[]);
    assert_eq!(form.tag, None);
}

#[test]
fn fields_cycle_both_ways() {
    assert_eq!(Field::Method.step(1), Field::Path);
    assert_eq!(Field::Method.step(-1), Field::Body);
    assert_eq!(Field::Body.step(1), Field::Method);
}
