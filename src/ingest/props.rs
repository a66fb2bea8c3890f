//! Property tests of the whole path an input takes: decode → extract →
//! segment → claims → store → read back. Whatever the bytes: no panic, plain
//! text is kept whole, and what is read back is exactly what was prepared.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::{IngestOptions, InputFormat, Prepared, prepare};
use crate::claims::{self, ExtractOptions, Gazetteer};
use crate::store::{OpenMode, Store, VersionRef};
use crate::text::segment;

fn options(format: InputFormat) -> IngestOptions {
    IngestOptions {
        key: Some("k".into()),
        url: None,
        observed_at: Utc.with_ymd_and_hms(2025, 12, 25, 10, 0, 0).unwrap(),
        time: crate::ingest::ObservedTime::Given,
        max_bytes: 1 << 20,
        encoding: None,
        format,
        selectors: Default::default(),
    }
}

/// Segment and read claims (must not panic; units must lie in the text),
/// then store the scrape and read it back.
fn analyse_and_round_trip(p: &Prepared) -> Result<(), TestCaseError> {
    let units = segment::segment(&p.text);
    for u in &units {
        prop_assert!(u.start <= u.end && p.text.get(u.start..u.end).is_some());
    }
    let gazetteer = Gazetteer::builtin();
    let _ = claims::extract_units(
        &p.text,
        &units,
        &ExtractOptions {
            article_date: None,
            gazetteer,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("t.db"), OpenMode::Create).unwrap();
    let mut batch = store.batch().unwrap();
    batch.record(&p.scrape(Utc::now(), "prop")).unwrap();
    batch.commit().unwrap();
    let stored = store.version(&VersionRef::parse("k@1")).unwrap();
    prop_assert_eq!(&stored.text, &p.text);
    prop_assert_eq!(store.blob(&stored.raw_hash).unwrap(), p.raw.clone());
    Ok(())
}

/// Pieces prose may hold that look like markup.
fn prose() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "\\PC{0,30}",
        Just("<p>".to_string()),
        Just("<br>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("<div class=x>".to_string()),
        Just("</p>".to_string()),
        Just("&amp; &#27; &lt;".to_string()),
        Just("\n".to_string()),
        Just("قال الوزير إن 12 جندياً قتلوا. ".to_string()),
    ];
    proptest::collection::vec(piece, 1..20).prop_map(|v| v.concat())
}

/// Arbitrary HTML-ish documents: tags, attributes, comments, entities, text.
fn html() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "\\PC{0,20}",
        "<(p|div|span|article|h1|li|table|tr|td|script|style|br)( [a-z]{1,5}=\"[^\"]{0,8}\")?>",
        "</(p|div|span|article|h1|li|table|tr|td|script|style)>",
        Just("<!-- c -->".to_string()),
        Just("<!--".to_string()),
        Just("&#27;&#x202e;&nbsp;&bogus;".to_string()),
        Just("<link rel=canonical href=\"javascript:alert(1)\">".to_string()),
        Just("<meta charset=windows-1256>".to_string()),
        Just("نفى المتحدث أن يكون 300 شخص قد أصيبوا في 25 ديسمبر 2025.".to_string()),
    ];
    proptest::collection::vec(piece, 0..40)
        .prop_map(|v| format!("<!doctype html><html><body>{}</body></html>", v.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 1..1500),
        format in prop_oneof![Just(InputFormat::Auto), Just(InputFormat::Text), Just(InputFormat::Html)],
    ) {
        if let Ok(p) = prepare(None, bytes, &options(format)) {
            analyse_and_round_trip(&p)?;
        }
    }

    #[test]
    fn plain_text_is_never_dropped(text in prose()) {
        // Named as a text file: whatever it mentions, all of it is kept.
        let path = std::path::Path::new("story.txt");
        match prepare(Some(path), text.clone().into_bytes(), &options(InputFormat::Auto)) {
            Ok(p) => {
                if p.media_type == "text/plain" {
                    prop_assert_eq!(&p.text, &text);
                } else {
                    // Only an unmistakable document start makes it HTML.
                    prop_assert!(crate::ingest::decode::starts_as_html_document(&text));
                }
                analyse_and_round_trip(&p)?;
            }
            // Refused inputs are refused out loud, never stored.
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn arbitrary_html_never_panics(page in html()) {
        if let Ok(p) = prepare(None, page.into_bytes(), &options(InputFormat::Auto)) {
            prop_assert_eq!(p.media_type, "text/html");
            analyse_and_round_trip(&p)?;
        }
    }
}
