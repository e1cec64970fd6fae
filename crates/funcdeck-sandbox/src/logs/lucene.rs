//! `query_string`'s Lucene syntax, the subset people type into a logs search box: `field:value`
//! (a `/` in a field name escaped as `\/`), bare words (all fields), `"quoted phrases"`, `*`
//! and `?` wildcards, `AND`/`OR`/`NOT` (and `&&`, `||`, `!`), `+`/`-` prefixes, parentheses,
//! `field:*` (exists) and `field:(a OR b)`. Errors carry Lucene's `ParseException` wording,
//! which Elasticsearch puts under `Failed to parse query [...]`.

use super::query::Q;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String, bool),
    Phrase(String),
    Field(String),
    And,
    Or,
    Not,
    Plus,
    Minus,
    Open,
    Close,
}

/// Lucene's lexical error (an unterminated quote) or unexpected token, as ES reports it.
fn cannot(q: &str, what: &str) -> String {
    format!("Cannot parse '{q}': {what}")
}

fn encountered(q: &str, tok: &str, col: usize) -> String {
    cannot(
        q,
        &format!(
            "Encountered \"{tok}\" at line 1, column {col}.\nWas expecting one of:\n    <NOT> ...\n    \"+\" ...\n    \"-\" ...\n    <BAREOPER> ...\n    \"(\" ...\n    \"*\" ...\n    <QUOTED> ...\n    <TERM> ...\n    <PREFIXTERM> ...\n    <WILDTERM> ...\n    <REGEXPTERM> ...\n    \"[\" ...\n    \"{{\" ...\n    <NUMBER> ...\n    "
        ),
    )
}

fn lex(q: &str) -> Result<Vec<(Tok, usize)>, String> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i;
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push((Tok::Open, col));
                i += 1;
            }
            ')' => {
                out.push((Tok::Close, col));
                i += 1;
            }
            '+' => {
                out.push((Tok::Plus, col));
                i += 1;
            }
            '-' => {
                out.push((Tok::Minus, col));
                i += 1;
            }
            '!' => {
                out.push((Tok::Not, col));
                i += 1;
            }
            '&' | '|' if chars.get(i + 1) == Some(&c) => {
                out.push((if c == '&' { Tok::And } else { Tok::Or }, col));
                i += 2;
            }
            '"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => {
                            let seen: String = chars[col..].iter().collect();
                            return Err(cannot(
                                q,
                                &format!(
                                    "Lexical error at line 1, column {}.  Encountered: <EOF> after : {:?}",
                                    chars.len() + 1,
                                    seen
                                ),
                            ));
                        }
                        Some('\\') => {
                            if let Some(n) = chars.get(i + 1) {
                                s.push(*n);
                            }
                            i += 2;
                        }
                        Some('"') => {
                            i += 1;
                            break;
                        }
                        Some(c) => {
                            s.push(*c);
                            i += 1;
                        }
                    }
                }
                out.push((Tok::Phrase(s), col));
            }
            _ => {
                let mut s = String::new();
                let mut wild = false;
                while let Some(&c) = chars.get(i) {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '"') {
                        break;
                    }
                    if c == '\\' {
                        match chars.get(i + 1) {
                            Some(n) => s.push(*n),
                            None => {
                                return Err(cannot(
                                    q,
                                    &format!(
                                        "Lexical error at line 1, column {}.  Encountered: <EOF> after : \"\"",
                                        chars.len() + 1
                                    ),
                                ));
                            }
                        }
                        i += 2;
                        continue;
                    }
                    if c == ':' {
                        break;
                    }
                    if c == '*' || c == '?' {
                        wild = true;
                    }
                    s.push(c);
                    i += 1;
                }
                if chars.get(i) == Some(&':') {
                    i += 1;
                    if s.is_empty() {
                        return Err(encountered(q, ":", col + 1));
                    }
                    out.push((Tok::Field(s), col));
                    continue;
                }
                let tok = match s.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(s, wild),
                };
                out.push((tok, col));
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    q: &'a str,
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn fail(&self) -> String {
        match self.toks.get(self.pos) {
            Some((t, col)) => {
                let shown = match t {
                    Tok::Word(w, _) => w.clone(),
                    Tok::Phrase(p) => format!("\\\"{p}\\\""),
                    Tok::Field(f) => f.clone(),
                    Tok::And => "AND".into(),
                    Tok::Or => "OR".into(),
                    Tok::Not => "NOT".into(),
                    Tok::Plus => "+".into(),
                    Tok::Minus => "-".into(),
                    Tok::Open => "(".into(),
                    Tok::Close => ")".into(),
                };
                encountered(self.q, &format!(" {shown} "), col + 1)
            }
            // Lucene puts the end at the last character's column.
            None => encountered(self.q, "<EOF>", self.q.chars().count().max(1)),
        }
    }

    /// A sequence of clauses joined by OR (default), AND binding tighter, until `)` or the end.
    fn query(&mut self, field: Option<&str>) -> Result<Q, String> {
        let mut ors: Vec<Q> = Vec::new();
        let mut ands: Vec<Q> = vec![self.clause(field)?];
        loop {
            match self.peek() {
                None | Some(Tok::Close) => break,
                Some(Tok::And) => {
                    self.pos += 1;
                    ands.push(self.clause(field)?);
                }
                Some(Tok::Or) => {
                    self.pos += 1;
                    ors.push(and(std::mem::take(&mut ands)));
                    ands.push(self.clause(field)?);
                }
                Some(_) => {
                    ors.push(and(std::mem::take(&mut ands)));
                    ands.push(self.clause(field)?);
                }
            }
        }
        ors.push(and(ands));
        // Lucene: a prohibited clause among optional ones excludes from all of them.
        let (nots, pos): (Vec<Q>, Vec<Q>) = ors.into_iter().partition(|q| matches!(q, Q::Not(_)));
        let nots: Vec<Q> = nots
            .into_iter()
            .filter_map(|q| match q {
                Q::Not(inner) => Some(*inner),
                _ => None,
            })
            .collect();
        Ok(match (pos.len(), nots.is_empty()) {
            (1, true) => pos.into_iter().next().unwrap_or(Q::All),
            (0, _) => Q::Bool {
                must: vec![],
                should: vec![],
                must_not: nots,
            },
            _ => Q::Bool {
                must: vec![],
                should: pos,
                must_not: nots,
            },
        })
    }

    fn clause(&mut self, field: Option<&str>) -> Result<Q, String> {
        match self.peek() {
            Some(Tok::Not | Tok::Minus) => {
                self.pos += 1;
                Ok(Q::not(self.clause(field)?))
            }
            Some(Tok::Plus) => {
                self.pos += 1;
                self.clause(field)
            }
            Some(Tok::Field(f)) => {
                let f = f.clone();
                self.pos += 1;
                self.atom(Some(&f))
            }
            _ => self.atom(field),
        }
    }

    fn atom(&mut self, field: Option<&str>) -> Result<Q, String> {
        let Some(t) = self.peek().cloned() else {
            return Err(self.fail());
        };
        let f = field.map(str::to_string);
        match t {
            Tok::Open => {
                self.pos += 1;
                let inner = self.query(field)?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(self.fail());
                }
                self.pos += 1;
                Ok(inner)
            }
            Tok::Word(w, _) if w == "*" => {
                self.pos += 1;
                Ok(match f {
                    Some(f) if f != "*" => Q::Exists(f),
                    _ => Q::All,
                })
            }
            Tok::Word(w, true) => {
                self.pos += 1;
                Ok(Q::Wild {
                    field: f,
                    pattern: w,
                })
            }
            Tok::Word(w, false) => {
                self.pos += 1;
                Ok(Q::Text {
                    field: f,
                    text: w,
                    phrase: false,
                })
            }
            Tok::Phrase(p) => {
                self.pos += 1;
                Ok(Q::Text {
                    field: f,
                    text: p,
                    phrase: true,
                })
            }
            _ => Err(self.fail()),
        }
    }
}

fn and(mut qs: Vec<Q>) -> Q {
    if qs.len() == 1 {
        qs.remove(0)
    } else {
        Q::bool_must(qs)
    }
}

/// Parses a `query_string` query; `Err` is the `caused_by` reason.
pub fn parse(q: &str) -> Result<Q, String> {
    let toks = lex(q)?;
    if toks.is_empty() {
        // An empty query string matches nothing, as in Elasticsearch.
        return Ok(Q::None);
    }
    let mut p = Parser { q, toks, pos: 0 };
    let out = p.query(None)?;
    if p.pos < p.toks.len() {
        return Err(p.fail());
    }
    Ok(out)
}
