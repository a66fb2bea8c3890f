//! Bylines: what the page says is not one (section names, form labels), and
//! a byline cleaned of glued dates and labels.

use super::*;

/// Texts on the page that a byline must not be: navigation, breadcrumb,
/// category and tag links (section names such as `منوعات`), and form labels
/// (`Nama (wajib)`, `Имя *`).
pub(super) fn structural_non_bylines(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for sel in [
        "form label",
        "nav a",
        "[class*=breadcrumb] a",
        "a[rel~=category]",
        "a[rel~=tag]",
        "a[href*='/category/']",
        "a[href*='/section/']",
        "a[href*='/tag/']",
        "a[href*='/topics/']",
    ] {
        for node in doc
            .select(sel)
            .nodes()
            .iter()
            .take(MAX_ELEMENTS_OF_A_KIND / 4)
        {
            let text = collapse(&node.text());
            if !text.is_empty() && text.chars().count() <= MAX_BYLINE_CHARS {
                out.push(text);
            }
        }
    }
    out
}

/// Section names a site may show where a byline would be (whole bylines
/// only; compared case-insensitively).
const SECTION_NAMES: &[&str] = &[
    "منوعات",
    "متفرقات",
    "أخبار",
    "اخبار",
    "سياسة",
    "اقتصاد",
    "رياضة",
    "ثقافة",
    "فن",
    "فنون",
    "ثقافة وفنون",
    "تكنولوجيا",
    "علوم",
    "صحة",
    "محليات",
    "دولي",
    "عربي",
    "عربي ودولي",
    "العالم",
    "عالم",
    "آراء",
    "رأي",
    "مقالات",
    "تقارير",
    "حوادث",
    "مجتمع",
    "سياحة",
    "الرئيسية",
    "عاجل",
    "news",
    "world",
    "politics",
    "business",
    "sport",
    "sports",
    "entertainment",
    "lifestyle",
    "opinion",
    "health",
    "technology",
    "tech",
    "science",
    "culture",
    "travel",
    "home",
    "local",
    "breaking news",
    "latest news",
    "uncategorized",
    "general",
];

/// Labels that open a byline (`By`, `Posted by`, `بقلم:`, `Текст:`); the
/// words that could also start a name (`Text`, `Author`) only with a colon.
static LEADING_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:(?:(?:posted|written|reported|story|words|analysis|photos?|compiled|edited|updated)\s+)?by|por|oleh|بقلم|كتبت?)\b\s*[:：\-–—]?|(?:text|texto|author|autor|текст|автор|إعداد|اعداد|تحرير|متابعة|كتابة)\s*[:：])\s*",
    )
    .expect("valid regex")
});

/// A date or time glued to a name without a space (`ArnoldNovember 15`).
static GLUED_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(\p{{Ll}})((?:{MONTHS}|{WEEKDAYS})\b)")).expect("valid regex")
});

/// An upper-case name glued to the next capitalised word
/// (`ERIC TUCKERAssociated Press`).
static GLUED_CAPS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\p{Lu}{2,})(\p{Lu}\p{Ll}{2,})").expect("valid regex"));

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
const WEEKDAYS: &str = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun";

/// A run of date and time words to the end of the byline (`November 15,
/// 2019`, `- 2018-09-16`, `Monday, Nov 18, 2019, 9:02 AM ET`, `٢٥ ديسمبر
/// ٢٠٢٥`): it must hold a digit.
static DATE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    let word = format!(
        r"(?:{MONTHS}|{WEEKDAYS}|January|February|[0-9٠-٩]{{1,4}}(?:st|nd|rd|th)?|\d{{4}}-\d{{2}}-\d{{2}}(?:T[0-9:.+Z-]*)?|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|[ap]\.?m\.?|at|on|updated|published|posted|last|modified|GMT|UTC|[ECMP][SD]?T|BST|CES?T|IST|ص|م|الساعة|في|نشر|تحديث|آخر|يناير|فبراير|مارس|أبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر|نوفمبر|ديسمبر|كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين|الأول|الثاني|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد)"
    );
    Regex::new(&format!(
        r"(?i)^[\s,;|·•/()\-–—:.]*(?:{word}[\s,;|·•/()\-–—:.]*)+$"
    ))
    .expect("valid regex")
});

/// Form-field markers: a byline ending in one is a comment form's label.
const REQUIRED_MARKERS: &[&str] = &[
    "(required)",
    "(wajib)",
    "(obligatoire)",
    "(requerido)",
    "(obligatorio)",
    "(erforderlich)",
    "(обязательно)",
    "(مطلوب)",
    "(إجباري)",
];

/// Form labels that are never a name.
const FORM_LABELS: &[&str] = &[
    "name",
    "nama",
    "имя",
    "nom",
    "nombre",
    "الاسم",
    "اسم",
    "email",
    "e-mail",
    "website",
    "comment",
    "author",
    "admin",
    "administrator",
    "webmaster",
];

/// Clean a byline: labels (`By`, `بقلم:`) and glued or trailing dates
/// removed; `None` when nothing of a byline is left, or it is a section
/// name, a form label or one of `not_bylines`.
pub fn clean_byline(raw: &str, not_bylines: &[String]) -> Option<String> {
    let mut s = collapse(raw);
    if s.chars().count() > 4 * MAX_BYLINE_CHARS {
        return None;
    }
    let lower = s.to_lowercase();
    if s.ends_with('*') || REQUIRED_MARKERS.iter().any(|m| lower.contains(m)) {
        return None;
    }
    // Labels, possibly repeated ("By: By Jane").
    for _ in 0..2 {
        let stripped = LEADING_LABEL.replace(&s, "").into_owned();
        if stripped == s {
            break;
        }
        s = stripped;
    }
    s = GLUED_DATE.replace_all(&s, "$1 $2").into_owned();
    s = GLUED_CAPS.replace_all(&s, "$1, $2").into_owned();
    // Cut at the first word from which the rest is a date.
    let starts: Vec<usize> = s
        .char_indices()
        .filter(|&(i, c)| {
            i > 0 && !c.is_whitespace() && s[..i].ends_with(|p: char| !p.is_alphanumeric())
        })
        .map(|(i, _)| i)
        .collect();
    if let Some(&cut) = starts.iter().find(|&&i| {
        let tail = &s[i..];
        tail.chars()
            .any(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
            && DATE_TAIL.is_match(tail)
    }) {
        s.truncate(cut);
    }
    let s = s
        .trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | ':' | '|' | '-' | '–' | '—' | '·' | '•')
        })
        .to_string();
    let lower = s.to_lowercase();
    let bare = lower.trim_end_matches(['*', ':', ' ']);
    let rejected = s.is_empty()
        || !s.chars().any(char::is_alphabetic)
        || s.chars().count() > MAX_BYLINE_CHARS
        || s.contains("://")
        || FORM_LABELS.contains(&bare)
        || SECTION_NAMES.contains(&bare)
        || not_bylines.iter().any(|n| n.to_lowercase() == lower);
    (!rejected).then_some(s)
}

/// Collapse runs of whitespace to one space and trim.
pub(super) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
