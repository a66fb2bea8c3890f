//! What the examples that read `../shared/data/` share.

use std::collections::HashMap;
use std::path::Path;

/// The rows of a CSV file with a header, each as column → value.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().expect("header").clone();
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}
