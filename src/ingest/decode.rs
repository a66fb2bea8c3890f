//! Interim decoder (replaced by the full one).
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub source: EncodingSource,
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    Bom,
    Override,
    Declared,
    Utf8Valid,
    Sniffed,
}
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("binary file ({0})")]
    Binary(String),
    #[error("undecodable bytes: {0}")]
    Undecodable(String),
    #[error("unknown encoding {0:?}")]
    UnknownEncoding(String),
    #[error("empty")]
    Empty,
}
pub fn decode(bytes: &[u8], _override_label: Option<&str>) -> Result<Decoded, DecodeError> {
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::Undecodable(e.to_string()))?;
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text: text.to_string(),
        encoding: "UTF-8",
        source: EncodingSource::Utf8Valid,
    })
}
pub fn is_probably_html(text: &str) -> bool {
    let h: String = text.chars().take(1024).collect();
    h.contains("<html") || h.contains("<!DOCTYPE") || h.contains("<p>")
}
