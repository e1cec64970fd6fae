//! The top line: which cluster and namespace, where you are (breadcrumbs), whether the data is
//! live, and how much is wrong.

use funcdeck_core::functions::NamespaceScope;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::sanitize;
use crate::app::{App, Health};
use crate::theme::{StyleName, Theme};

pub struct Header<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Header { app, theme } = self;
        let shell = &app.shell;
        let label = |text: String| Span::styled(text, theme.style(StyleName::HeaderLabel));
        let value = |text: String| Span::styled(text, theme.style(StyleName::HeaderValue));
        let context = shell
            .context
            .as_ref()
            .map_or_else(|| "—".to_owned(), |c| sanitize(&c.context).into_owned());
        let namespace = match &shell.scope {
            NamespaceScope::All => "all".to_owned(),
            NamespaceScope::One(ns) => sanitize(ns).into_owned(),
        };
        let (health_text, health_style) = match &shell.health {
            Health::Connecting => ("◌ connecting", StyleName::HealthConnecting),
            Health::Live => ("● live", StyleName::HealthLive),
            Health::Degraded { .. } => ("↻ reconnecting", StyleName::HealthDegraded),
            Health::Failed { .. } => ("✗ not connected", StyleName::HealthFailed),
        };
        let mut spans = vec![
            Span::styled(" funcdeck ", theme.style(StyleName::HeaderTitle)),
            label(" ctx ".into()),
            value(context),
            label("  ns ".into()),
            value(namespace),
            label("  ".into()),
            Span::styled(health_text, theme.style(health_style)),
        ];
        if shell.read_only().is_some() {
            spans.push(Span::styled(
                "  [readonly]",
                theme.style(StyleName::HealthConnecting),
            ));
        }
        if let Some(tally) = app.tally() {
            spans.push(label("   functions ".into()));
            spans.push(value(tally.total.to_string()));
            if tally.failed > 0 {
                spans.push(label(" · ".into()));
                spans.push(Span::styled(
                    format!("{} failing", tally.failed),
                    theme.style(StyleName::HealthFailed),
                ));
            }
            if tally.deploying > 0 {
                spans.push(label(" · ".into()));
                spans.push(Span::styled(
                    format!("{} deploying", tally.deploying),
                    theme.style(StyleName::HealthConnecting),
                ));
            }
        }
        let crumbs = app.breadcrumbs();
        spans.push(label("   ".into()));
        for (i, crumb) in crumbs.iter().enumerate() {
            if i > 0 {
                spans.push(label(" › ".into()));
            }
            let style = if i + 1 == crumbs.len() {
                StyleName::HeaderValue
            } else {
                StyleName::Breadcrumb
            };
            spans.push(Span::styled(
                sanitize(crumb).into_owned(),
                theme.style(style),
            ));
        }
        if let Some(info) = &shell.context {
            spans.push(label("   ".into()));
            spans.push(label(sanitize(&info.server).into_owned()));
        }
        Paragraph::new(Line::from(spans))
            .style(theme.style(StyleName::Header))
            .render(area, buf);
    }
}
