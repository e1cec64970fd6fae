//! Just enough protobuf to read what kubectl 1.32 sends: its generated clients default to
//! `application/vnd.kubernetes.protobuf` for built-in kinds (trap 2: `auth can-i`; also every
//! `kubectl create rolebinding|role|configmap|namespace|quota|serviceaccount …`). The body is the
//! `k8s\0` envelope around `runtime.Unknown{1 typeMeta{1 apiVersion, 2 kind}, 2 raw}`. A small
//! varint/length-delimited reader instead of a protobuf dependency: unknown fields are skipped,
//! malformed input is an error, never a panic. `review` reads access reviews, `objects` the
//! stored kinds, both into the same JSON the rest of the server works on.

mod objects;
mod review;

pub use objects::{ObjectError, decode_object};
pub use review::decode_review;

use serde_json::{Map, Value, json};

pub const MAGIC: &[u8] = b"k8s\0";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = *self.buf.get(self.pos).ok_or("truncated varint")?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).ok_or("length overflow")?;
        let s = self.buf.get(self.pos..end).ok_or("truncated field")?;
        self.pos = end;
        Ok(s)
    }

    /// The next `(field number, value)`, or `None` at the end.
    pub(crate) fn field(&mut self) -> Result<Option<(u64, Wire<'a>)>, String> {
        if self.pos >= self.buf.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let wire = match key & 7 {
            0 => Wire::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Wire::Fixed
            }
            2 => {
                let n = usize::try_from(self.varint()?).map_err(|_| "length overflow")?;
                Wire::Bytes(self.take(n)?)
            }
            5 => {
                self.take(4)?;
                Wire::Fixed
            }
            w => return Err(format!("unsupported wire type {w}")),
        };
        Ok(Some((key >> 3, wire)))
    }
}

/// Every length-delimited field of a message, in order (repeats kept).
pub(crate) fn fields(buf: &[u8]) -> Result<Vec<(u64, &[u8])>, String> {
    let mut r = Reader::new(buf);
    let mut out = Vec::new();
    while let Some((n, w)) = r.field()? {
        if let Wire::Bytes(b) = w {
            out.push((n, b));
        }
    }
    Ok(out)
}

pub(crate) fn first<'b>(fs: &[(u64, &'b [u8])], n: u64) -> Option<&'b [u8]> {
    fs.iter().rev().find(|(f, _)| *f == n).map(|(_, b)| *b)
}

/// A message of string fields as a JSON object, `names[i]` being field `i + 1`.
pub(crate) fn strings(buf: &[u8], names: &[&str]) -> Result<Value, String> {
    let fs = fields(buf)?;
    let mut m = Map::new();
    for (i, name) in names.iter().enumerate() {
        let s = first(&fs, i as u64 + 1).unwrap_or_default();
        m.insert((*name).into(), json!(String::from_utf8_lossy(s)));
    }
    Ok(Value::Object(m))
}

/// [`decode_object`] with the apiserver's answers for what it cannot read.
pub fn decode_object_or_status(body: &[u8]) -> Result<Value, crate::status::ApiError> {
    decode_object(body).map_err(|e| match e {
        ObjectError::Malformed(m) => crate::status::ApiError::bad_request(format!(
            "the object provided is unrecognized or malformed protobuf: {m}"
        )),
        ObjectError::Unsupported => crate::status::ApiError::unsupported_media_type(&[
            "application/json",
            "application/yaml",
        ]),
    })
}

/// `(apiVersion, kind, raw)` of the envelope.
pub(crate) fn unwrap_envelope(body: &[u8]) -> Result<(String, String, &[u8]), String> {
    let unknown = body
        .strip_prefix(MAGIC)
        .ok_or("missing k8s protobuf envelope")?;
    let fs = fields(unknown)?;
    let type_meta = strings(first(&fs, 1).unwrap_or_default(), &["apiVersion", "kind"])?;
    let s = |k: &str| type_meta[k].as_str().unwrap_or("").to_string();
    Ok((
        s("apiVersion"),
        s("kind"),
        first(&fs, 2).unwrap_or_default(),
    ))
}

#[cfg(test)]
mod tests;
