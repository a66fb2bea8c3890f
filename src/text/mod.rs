//! Text layers (display / clean / match_key) and segmentation into units.

pub mod normalize;
pub mod segment;
pub mod visible;
