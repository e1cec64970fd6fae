//! The top line: which cluster, which namespace, whether the data is live, and how much is wrong.

use funcdeck_core::functions::NamespaceScope;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::sanitize;
use crate::app::{App, Health};
use crate::theme::Theme;

pub struct Header<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Header { app, theme } = self;
        let label = |text: &'static str| Span::styled(text, theme.style("header.label"));
        let value = |text: String| Span::styled(text, theme.style("header.value"));
        let context = app
            .context
            .as_ref()
            .map_or_else(|| "—".to_owned(), |c| sanitize(&c.context).into_owned());
        let namespace = match &app.scope {
            NamespaceScope::All => "all".to_owned(),
            NamespaceScope::One(ns) => sanitize(ns).into_owned(),
        };
        let (health_text, health_style) = match &app.health {
            Health::Connecting => ("◌ connecting", "health.connecting"),
            Health::Live => ("● live", "health.live"),
            Health::Degraded { .. } => ("↻ reconnecting", "health.degraded"),
            Health::Failed { .. } => ("✗ not connected", "health.failed"),
        };
        let mut spans = vec![
            Span::styled(" funcdeck ", theme.style("header.title")),
            label(" ctx "),
            value(context),
            label("  ns "),
            value(namespace),
            label("  "),
            Span::styled(health_text, theme.style(health_style)),
        ];
        if app.readonly {
            spans.push(Span::styled(
                "  [readonly]",
                theme.style("health.connecting"),
            ));
        }
        if let Some(list) = app.functions.loaded() {
            let tally = list.tally();
            spans.push(label("   functions "));
            spans.push(value(tally.total.to_string()));
            if tally.failed > 0 {
                spans.push(label(" · "));
                spans.push(Span::styled(
                    format!("{} failing", tally.failed),
                    theme.style("health.failed"),
                ));
            }
            if tally.deploying > 0 {
                spans.push(label(" · "));
                spans.push(Span::styled(
                    format!("{} deploying", tally.deploying),
                    theme.style("health.connecting"),
                ));
            }
        }
        if let Some(info) = &app.context {
            spans.push(label("   "));
            spans.push(label_owned(sanitize(&info.server).into_owned(), theme));
        }
        Paragraph::new(Line::from(spans))
            .style(theme.style("header"))
            .render(area, buf);
    }
}

fn label_owned(text: String, theme: &Theme) -> Span<'static> {
    Span::styled(text, theme.style("header.label"))
}
