//! `funcdeck fn templates`: the language x OS catalogue `fn create --template` draws on.

use std::io::Write;

use anyhow::Context;

use super::OutputFormat;
use super::output::write_table;
use crate::templates::Catalogue;

pub fn fn_templates(
    catalogue: &Catalogue,
    format: OutputFormat,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match format {
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = catalogue
                .templates
                .iter()
                .map(|t| {
                    let resources = |map: &std::collections::BTreeMap<String, String>| {
                        map.iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(",")
                    };
                    vec![
                        t.id(),
                        t.runtime.clone(),
                        t.os_title.clone(),
                        t.image.clone(),
                        t.port.map_or("-".into(), |p| p.to_string()),
                        t.concurrency.map_or("-".into(), |c| c.to_string()),
                        resources(&t.requests),
                        resources(&t.limits),
                    ]
                })
                .collect();
            write_table(
                out,
                &[
                    "TEMPLATE",
                    "RUNTIME",
                    "OS",
                    "IMAGE",
                    "PORT",
                    "CONCURRENCY",
                    "REQUESTS",
                    "LIMITS",
                ],
                &rows,
            )?;
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &catalogue.templates)
                .context("writing JSON")?;
            writeln!(out)?;
        }
        OutputFormat::Yaml => {
            out.write_all(serde_saphyr::to_string(&catalogue.templates)?.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}
