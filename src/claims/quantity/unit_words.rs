//! The counted nouns and currency words, as written: build.rs folds them (with
//! `fold::fold_word`) into the static tables `units` reads; `units::tests` checks them
//! against these lists.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Cur {
    Dollar,
    Euro,
    Pound,
    Riyal,
    Dinar,
    Dirham,
    Lira,
    Yen,
    Ruble,
    Yuan,
    Won,
}

/// Counted nouns: (singular, plural forms, whether its -ين/-ان form is a dual).
pub(crate) const NOUN_ROWS: &[(&str, &[&str], bool)] = &[
    ("جندي", &["جنود"], true),
    ("قتيل", &["قتلى"], true),
    ("شخص", &["أشخاص"], true),
    ("يوم", &["أيام"], true),
    ("عام", &["أعوام"], true),
    ("سنة", &["سنوات", "سنين"], true),
    ("شهر", &["أشهر", "شهور"], true),
    ("أسبوع", &["أسابيع"], true),
    ("ساعة", &["ساعات"], true),
    ("دقيقة", &["دقائق"], true),
    ("طفل", &["أطفال"], true),
    ("رجل", &["رجال"], true),
    ("امرأة", &["نساء", "سيدات"], false),
    ("مدني", &["مدنيين", "مدنيون"], false),
    ("جريح", &["جرحى"], true),
    ("مصاب", &["مصابين", "مصابون"], false),
    ("صاروخ", &["صواريخ"], true),
    ("طائرة", &["طائرات"], true),
    ("دولة", &["دول"], true),
    ("بلد", &["بلدان", "بلاد"], true),
    ("طرف", &["أطراف"], true),
    ("ضابط", &["ضباط"], true),
    ("عنصر", &["عناصر"], true),
    ("سفينة", &["سفن"], true),
    ("دبابة", &["دبابات"], true),
    ("قذيفة", &["قذائف"], true),
    ("مرة", &["مرات"], true),
    ("منزل", &["منازل"], true),
    ("مدينة", &["مدن"], true),
    ("قرية", &["قرى"], true),
    ("أسير", &["أسرى"], true),
    ("رهينة", &["رهائن"], true),
    ("قائد", &["قادة"], true),
    ("وزير", &["وزراء"], true),
    ("مقاتل", &["مقاتلين", "مقاتلون"], false),
    ("معتقل", &["معتقلين", "معتقلون"], false),
    ("لاجئ", &["لاجئين", "لاجئون"], false),
    ("مسلح", &["مسلحين", "مسلحون"], false),
    ("فرد", &["أفراد"], true),
    ("ضحية", &["ضحايا"], true),
    ("طن", &["أطنان"], true),
    ("كيلومتر", &["كيلومترات", "كلم"], true),
    ("متر", &["أمتار"], true),
    ("مبنى", &["مباني", "مبان"], false),
    ("مستشفى", &["مستشفيات"], false),
    ("مدرسة", &["مدارس"], true),
    ("مسيرة", &["مسيرات"], true),
    ("صحفي", &["صحفيين", "صحفيون"], false),
    ("شرطي", &["شرطيين", "شرطيون"], false),
    ("عسكري", &["عسكريين", "عسكريون"], false),
    ("مواطن", &["مواطنين", "مواطنون"], false),
    ("نازح", &["نازحين", "نازحون"], false),
    ("مهاجر", &["مهاجرين", "مهاجرون"], false),
    ("برميل", &["براميل"], true),
    ("جولة", &["جولات"], true),
    ("هجوم", &["هجمات"], true),
    ("غارة", &["غارات"], true),
    ("مليون", &["ملايين"], false),
    // English irregulars (regular -s plurals are handled by rule).
    ("person", &["people", "persons"], false),
    ("child", &["children"], false),
    ("man", &["men"], false),
    ("woman", &["women"], false),
    ("casualty", &["casualties"], false),
    ("country", &["countries"], false),
    ("city", &["cities"], false),
];

/// Each noun form, folded by `fold`, with its folded lemma and whether it reads as a
/// dual, in order: where two fold alike, the later one holds.
// build.rs runs it; the tests check the tables against it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn noun_entries(fold: &dyn Fn(&str) -> String, out: &mut dyn FnMut(String, &str, bool)) {
    for (sing, plurals, dual_ok) in NOUN_ROWS {
        let lemma = fold(sing);
        out(lemma.clone(), &lemma, *dual_ok);
        for p in *plurals {
            // Plural forms never count as duals.
            out(fold(p), &lemma, false);
        }
    }
}

/// Currency words by currency.
// build.rs reads it; the tests check the table against it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) const CURRENCY_ROWS: &[(Cur, &[&str])] = {
    use Cur::*;
    &[
        (
            Dollar,
            &[
                "دولار",
                "دولارا",
                "دولارات",
                "دولاراً",
                "dollar",
                "dollars",
                "usd",
            ],
        ),
        (Euro, &["يورو", "euro", "euros", "eur"]),
        (
            Pound,
            &[
                "جنيه",
                "جنيها",
                "جنيهات",
                "استرليني",
                "pound",
                "pounds",
                "sterling",
                "gbp",
            ],
        ),
        (
            Riyal,
            &["ريال", "ريالا", "ريالات", "riyal", "riyals", "rial", "rials"],
        ),
        (Dinar, &["دينار", "دينارا", "دنانير", "dinar", "dinars"]),
        (Dirham, &["درهم", "درهما", "دراهم", "dirham", "dirhams"]),
        (Lira, &["ليرة", "ليرات", "lira", "liras", "lire"]),
        (Yen, &["ين", "yen"]),
        (
            Ruble,
            &[
                "روبل",
                "روبلا",
                "روبلات",
                "ruble",
                "rubles",
                "rouble",
                "roubles",
            ],
        ),
        (Yuan, &["يوان", "yuan"]),
        (Won, &["وون"]),
    ]
};
