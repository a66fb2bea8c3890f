//! Interim extractor (replaced by the full one).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Extracted {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<String>,
    pub dir: Option<String>,
    pub lang: Option<String>,
    pub canonical_url: Option<String>,
    pub site_name: Option<String>,
    pub text: String,
}
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("no article text found")]
    NoArticle,
    #[error("page too complex ({0} elements)")]
    TooComplex(usize),
}
pub fn extract(_html: &str, _url: Option<&str>) -> Result<Extracted, ExtractError> {
    Err(ExtractError::NoArticle)
}
