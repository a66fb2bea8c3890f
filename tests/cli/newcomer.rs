//! What a newcomer hit (issue 11): claim values that read backwards in a
//! bidi terminal, HTML report labels and layout, and a 90 MB release binary.

/// Release builds ship without debug info (the binary was 90 MB of line
/// tables); a `profiling` profile keeps line tables for perf.
#[test]
fn release_profile_has_no_debug_info_and_profiling_keeps_it() {
    let manifest: toml::Table = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"),
    )
    .unwrap()
    .parse()
    .unwrap();
    let profile = |name: &str| -> toml::Table {
        manifest["profile"][name]
            .as_table()
            .unwrap_or_else(|| panic!("no [profile.{name}]"))
            .clone()
    };
    let release = profile("release");
    let no_debug = |v: Option<&toml::Value>| match v {
        None => true,
        Some(toml::Value::Boolean(b)) => !b,
        Some(toml::Value::Integer(n)) => *n == 0,
        Some(toml::Value::String(s)) => s == "none",
        Some(_) => false,
    };
    assert!(
        no_debug(release.get("debug")),
        "[profile.release] keeps debug info: {release:?}"
    );
    assert!(
        matches!(
            release.get("strip").and_then(|s| s.as_str()),
            Some("debuginfo" | "symbols")
        ),
        "[profile.release] does not strip the standard library's debug info: {release:?}"
    );
    let profiling = profile("profiling");
    assert_eq!(profiling["inherits"].as_str(), Some("release"));
    assert!(
        !no_debug(profiling.get("debug")),
        "[profile.profiling] has no debug info: {profiling:?}"
    );
}
