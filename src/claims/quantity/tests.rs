//! Quantities found in whole sentences: numbers, hedges, ranges, units, and what is
//! not a quantity.

use super::*;
use crate::claims::{Qualifier, QuantityKind, Slot};

/// (value, upper, unit, qualifier, kind, text)
type Q = (
    f64,
    Option<f64>,
    Option<String>,
    Qualifier,
    QuantityKind,
    String,
);

fn q(s: &str) -> Vec<Q> {
    find_quantities(s)
        .into_iter()
        .map(|x| match x {
            Slot::Quantity {
                text,
                value,
                upper,
                unit,
                qualifier,
                kind,
                ..
            } => (value, upper, unit, qualifier, kind, text),
            _ => unreachable!(),
        })
        .collect()
}

fn one(s: &str) -> Q {
    let v = q(s);
    assert_eq!(v.len(), 1, "{s}: {v:?}");
    v.into_iter().next().unwrap()
}

fn val(s: &str) -> f64 {
    one(s).0
}

#[test]
fn acceptance() {
    assert_eq!(val("ألفي"), 2000.0);
    let r = one("نحو ألفي جندي");
    assert_eq!(
        (r.0, r.3, r.2.as_deref()),
        (2000.0, Qualifier::About, Some("جندي"))
    );
    let r = one("تسعة جنود");
    assert_eq!(
        (r.0, r.2.as_deref(), r.4),
        (9.0, Some("جنود"), QuantityKind::Count)
    );
    let r = one("أكثر من 10 آلاف جندي");
    assert_eq!(
        (r.0, r.3, r.2.as_deref()),
        (10000.0, Qualifier::MoreThan, Some("جندي"))
    );
    assert_eq!(r.5, "أكثر من 10 آلاف جندي");
    assert_eq!(val("١٢"), 12.0);
    assert_eq!(val("خمسة وعشرون"), 25.0);
    assert_eq!(val("ثلاثمئة"), 300.0);
    assert_eq!(val("مئتين"), 200.0);
    assert_eq!(val("خمس مئة"), 500.0);
    assert_eq!(val("مليون ونصف"), 1_500_000.0);
    assert_eq!(val("1.5 مليون"), 1_500_000.0);
    assert_eq!(val("10,000"), 10000.0);
    assert_eq!(val("١٢٫٥"), 12.5);
    for s in ["50%", "٥٠٪", "50 بالمئة"] {
        let r = one(s);
        assert_eq!(
            (r.0, r.4, r.2.as_deref()),
            (50.0, QuantityKind::Percent, Some("%")),
            "{s}"
        );
    }
    let r = one("3 ملايين دولار");
    assert_eq!(
        (r.0, r.4, r.2.as_deref()),
        (3e6, QuantityKind::Money, Some("دولار"))
    );
    let r = one("جنديين");
    assert_eq!((r.0, r.2.as_deref()), (2.0, Some("جنديين")));
    let r = one("مقتل تسعة جنود على الأقل");
    assert_eq!((r.0, r.3), (9.0, Qualifier::AtLeast));
    assert_eq!(r.5, "تسعة جنود على الأقل");
    let r = one("بين 10 و20 قتيلاً");
    assert_eq!(
        (r.0, r.1, r.3, r.2.as_deref()),
        (10.0, Some(20.0), Qualifier::Range, Some("قتيلاً"))
    );
    let r = one("more than ten thousand soldiers");
    assert_eq!(
        (r.0, r.3, r.2.as_deref()),
        (10000.0, Qualifier::MoreThan, Some("soldiers"))
    );
    let r = one("at least 9 soldiers");
    assert_eq!((r.0, r.3), (9.0, Qualifier::AtLeast));
    // An article between the hedge and its number.
    let r = one("need at least an 8.5 average");
    assert_eq!((r.0, r.3), (8.5, Qualifier::AtLeast));
    assert!(q("عام 2024").is_empty());
}

#[test]
fn units_and_gender_forms() {
    let rows: &[(&str, f64)] = &[
        ("واحد", 1.0),
        ("اثنان", 2.0),
        ("اثنين", 2.0),
        ("إثنين", 2.0),
        ("اثنتان", 2.0),
        ("اثنتين", 2.0),
        ("ثنتين", 2.0),
        ("ثلاثة", 3.0),
        ("ثلاث", 3.0),
        ("أربعة", 4.0),
        ("أربع", 4.0),
        ("خمسة", 5.0),
        ("خمس", 5.0),
        ("ستة", 6.0),
        ("ست", 6.0),
        ("سبعة", 7.0),
        ("سبع", 7.0),
        ("ثمانية", 8.0),
        ("ثماني", 8.0),
        ("ثمان", 8.0),
        ("تسعة", 9.0),
        ("تسع", 9.0),
        ("عشرة", 10.0),
        ("عشر", 10.0),
    ];
    for (w, v) in rows {
        let s = format!("{w} سيارات");
        let r = one(&s);
        assert_eq!(r.0, *v, "{w}");
    }
    assert_eq!(val("صفر بالمئة"), 0.0);
    assert!(q("في صفر").is_empty());
    let r = one("قتل جندي واحد");
    assert_eq!((r.0, r.2.as_deref()), (1.0, Some("جندي")));
}

#[test]
fn teens() {
    let rows: &[(&str, f64)] = &[
        ("أحد عشر", 11.0),
        ("إحدى عشرة", 11.0),
        ("اثنا عشر", 12.0),
        ("اثني عشر", 12.0),
        ("اثنتا عشرة", 12.0),
        ("اثنتي عشرة", 12.0),
        ("ثلاثة عشر", 13.0),
        ("ثلاث عشرة", 13.0),
        ("أربعة عشر", 14.0),
        ("خمسة عشر", 15.0),
        ("ستة عشر", 16.0),
        ("سبع عشرة", 17.0),
        ("ثمانية عشر", 18.0),
        ("تسعة عشر", 19.0),
        ("تسع عشرة", 19.0),
    ];
    for (w, v) in rows {
        assert_eq!(val(&format!("{w} جنديا")), *v, "{w}");
    }
    assert!(q("أحد المسؤولين").is_empty());
}

#[test]
fn tens() {
    let rows: &[(&str, f64)] = &[
        ("عشرون", 20.0),
        ("عشرين", 20.0),
        ("ثلاثون", 30.0),
        ("ثلاثين", 30.0),
        ("أربعون", 40.0),
        ("أربعين", 40.0),
        ("خمسون", 50.0),
        ("خمسين", 50.0),
        ("ستون", 60.0),
        ("ستين", 60.0),
        ("سبعون", 70.0),
        ("سبعين", 70.0),
        ("ثمانون", 80.0),
        ("ثمانين", 80.0),
        ("تسعون", 90.0),
        ("تسعين", 90.0),
        ("خمسة وعشرون", 25.0),
        ("ثلاث وأربعين", 43.0),
        ("تسعة وتسعون", 99.0),
    ];
    for (w, v) in rows {
        assert_eq!(val(&format!("{w} جنديا")), *v, "{w}");
    }
}

#[test]
fn hundreds() {
    let rows: &[(&str, f64)] = &[
        ("مئة", 100.0),
        ("مائة", 100.0),
        ("مئتان", 200.0),
        ("مئتين", 200.0),
        ("مائتان", 200.0),
        ("مائتين", 200.0),
        ("مئتا", 200.0),
        ("مائتي", 200.0),
        ("ثلاثمئة", 300.0),
        ("ثلاثمائة", 300.0),
        ("أربعمئة", 400.0),
        ("أربعمائة", 400.0),
        ("خمسمئة", 500.0),
        ("خمسمائة", 500.0),
        ("ستمئة", 600.0),
        ("ستمائة", 600.0),
        ("سبعمئة", 700.0),
        ("سبعمائة", 700.0),
        ("ثمانمئة", 800.0),
        ("ثمانمائة", 800.0),
        ("ثمانيمئة", 800.0),
        ("تسعمئة", 900.0),
        ("تسعمائة", 900.0),
        ("ثلاث مئة", 300.0),
        ("خمس مائة", 500.0),
        ("تسع مئة", 900.0),
        ("مائة وعشرين", 120.0),
        ("مئة وخمسة وعشرون", 125.0),
    ];
    for (w, v) in rows {
        assert_eq!(val(&format!("{w} جندي")), *v, "{w}");
    }
}

#[test]
fn scales() {
    let rows: &[(&str, f64)] = &[
        ("ألف", 1e3),
        ("ألفان", 2e3),
        ("ألفين", 2e3),
        ("ألفي", 2e3),
        ("ألفا", 2e3),
        ("ثلاثة آلاف", 3e3),
        ("عشرة آلاف", 1e4),
        ("عشرون ألفا", 2e4),
        ("مئة ألف", 1e5),
        ("ثلاثمائة ألف", 3e5),
        ("ألف وتسعمائة وتسعة وتسعون", 1999.0),
        ("مليون", 1e6),
        ("مليونان", 2e6),
        ("مليونين", 2e6),
        ("مليوني", 2e6),
        ("ثلاثة ملايين", 3e6),
        ("ثلاثة ملايين وخمسمائة ألف", 3.5e6),
        ("مليار", 1e9),
        ("ملياران", 2e9),
        ("مليارين", 2e9),
        ("خمسة مليارات", 5e9),
        ("بليون", 1e9),
        ("تريليون", 1e12),
        ("ترليون", 1e12),
        ("تريليونين", 2e12),
        ("نصف مليون", 5e5),
        ("ربع مليون", 2.5e5),
        ("ثلث مليون", 1e6 / 3.0),
        ("مليون ونصف", 1.5e6),
        ("ألف وربع", 1250.0),
        ("10 آلاف", 1e4),
        ("1.5 مليون", 1.5e6),
        ("3 ملايين", 3e6),
        ("2.5 مليار", 2.5e9),
        ("1,5 مليار", 1.5e9),
        ("20 ألفاً", 2e4),
        // A preposition on a long number word.
        ("بملياري", 2e9),
        ("لثلاثة ملايين", 3e6),
    ];
    for (w, v) in rows {
        assert!((val(&format!("{w} شخص")) - v).abs() < 1e-6, "{w}");
    }
    // Vague plurals are skipped.
    assert!(q("آلاف الجنود").is_empty());
    assert!(q("عشرات الآلاف من الأشخاص").is_empty());
    assert!(q("بضعة آلاف").is_empty());
    assert!(q("hundreds of soldiers").is_empty());
    assert!(q("نصف السكان").is_empty());
}

#[test]
fn digits_and_separators() {
    assert_eq!(val("10.000 جندي"), 10000.0);
    assert_eq!(val("1,234,567 شخص"), 1234567.0);
    assert_eq!(val("3.5 شخص"), 3.5);
    assert_eq!(val("۱۲۳ شخص"), 123.0);
    assert_eq!(val("١٬٠٠٠ شخص"), 1000.0);
    assert!(q("الساعة 10:30").is_empty());
    assert!(q("طائرات F-16").is_empty());
    assert!(q("اتصل على +96612345678").is_empty());
    assert!(q("0123456789").is_empty());
    assert!(q("KCNA2 report").is_empty());
    assert!(q("5G").is_empty());
    assert!(q("الأول").is_empty());
    assert!(q("the first soldier").is_empty());
}

#[test]
fn qualifiers_arabic() {
    use Qualifier::*;
    let rows: &[(&str, Qualifier)] = &[
        ("نحو", About),
        ("حوالي", About),
        ("حوالى", About),
        ("قرابة", About),
        ("زهاء", About),
        ("ما يقارب", About),
        ("يقارب", About),
        ("ما يناهز", About),
        ("في حدود", About),
        ("بحدود", About),
        ("بنحو", About),
        ("ما يزيد عن", MoreThan),
        ("ما يزيد على", MoreThan),
        ("أكثر من", MoreThan),
        ("اكثر من", MoreThan),
        ("لأكثر من", MoreThan),
        ("أزيد من", MoreThan),
        ("ما يربو على", MoreThan),
        ("يتجاوز", MoreThan),
        ("ما لا يقل عن", AtLeast),
        ("لا يقل عن", AtLeast),
        ("على الأقل", AtLeast),
        ("أقل من", LessThan),
        ("دون", LessThan),
        ("ما يقل عن", LessThan),
        ("لا يزيد عن", AtMost),
        ("ما لا يزيد على", AtMost),
        ("لا يتجاوز", AtMost),
        ("حتى", AtMost),
        ("ما يصل إلى", AtMost),
    ];
    for (w, qu) in rows {
        let s = format!("{w} 40 جنديا");
        let r = one(&s);
        assert_eq!((r.0, r.3), (40.0, *qu), "{w}");
        assert!(
            r.5.ends_with("40 جنديا") && r.5.len() > "40 جنديا".len(),
            "{w}: {}",
            r.5
        );
    }
    let post: &[(&str, Qualifier)] = &[
        ("على الأقل", AtLeast),
        ("تقريباً", About),
        ("على الأكثر", AtMost),
        ("كحد أقصى", AtMost),
    ];
    for (w, qu) in post {
        let r = one(&format!("قتل 40 جنديا {w}"));
        assert_eq!((r.0, r.3), (40.0, *qu), "{w}");
    }
    let r = one("من 10 إلى 20 جنديا");
    assert_eq!((r.0, r.1, r.3), (10.0, Some(20.0), Range));
    let r = one("ما بين عشرة وعشرين جنديا");
    assert_eq!((r.0, r.1, r.3), (10.0, Some(20.0), Range));
    let r = one("10-20 جنديا");
    assert_eq!((r.0, r.1, r.3), (10.0, Some(20.0), Range));
    let r = one("بين 10 و20 ألف جندي");
    assert_eq!((r.0, r.1), (10000.0, Some(20000.0)));
}

#[test]
fn qualifiers_english() {
    use Qualifier::*;
    let rows: &[(&str, Qualifier)] = &[
        ("about", About),
        ("around", About),
        ("nearly", About),
        ("approximately", About),
        ("roughly", About),
        ("some", About),
        ("almost", About),
        ("more than", MoreThan),
        ("over", MoreThan),
        ("at least", AtLeast),
        ("no fewer than", AtLeast),
        ("fewer than", LessThan),
        ("less than", LessThan),
        ("under", LessThan),
        ("up to", AtMost),
        ("at most", AtMost),
        ("no more than", AtMost),
    ];
    for (w, qu) in rows {
        let r = one(&format!("{w} 40 soldiers"));
        assert_eq!(
            (r.0, r.3, r.2.as_deref()),
            (40.0, *qu, Some("soldiers")),
            "{w}"
        );
    }
    let r = one("between 10 and 20 soldiers");
    assert_eq!((r.0, r.1, r.3), (10.0, Some(20.0), Range));
    let r = one("40 soldiers or more");
    assert_eq!(r.3, AtLeast);
}

#[test]
fn english_numbers() {
    assert_eq!(val("ten thousand soldiers"), 10000.0);
    assert_eq!(val("twenty-five soldiers"), 25.0);
    assert_eq!(val("two thousand five hundred troops"), 2500.0);
    assert_eq!(val("one hundred and five people"), 105.0);
    assert_eq!(val("a dozen soldiers"), 12.0);
    assert_eq!(val("2.5 million people"), 2.5e6);
    assert_eq!(val("a thousand people"), 1000.0);
    assert_eq!(val("nineteen people"), 19.0);
    let r = one("9 North Korean soldiers");
    assert_eq!(r.2.as_deref(), Some("soldiers"));
    assert!(q("one of the soldiers").is_empty());
    let r = one("$3 million");
    assert_eq!((r.0, r.4), (3e6, QuantityKind::Money));
    let r = one("40 percent");
    assert_eq!(r.4, QuantityKind::Percent);
    let r = one("40 per cent");
    assert_eq!(r.4, QuantityKind::Percent);
    assert!(q("in 2025 the army").is_empty());
}

#[test]
fn money_and_percent() {
    let rows: &[(&str, &str)] = &[
        ("5 دولارات", "dollar"),
        ("5 يورو", "euro"),
        ("5 جنيهات", "pound"),
        ("5 ريالات", "riyal"),
        ("5 دنانير", "dinar"),
        ("5 دراهم", "dirham"),
        ("5 ليرات", "lira"),
        ("€5", "euro"),
        ("£5", "pound"),
        ("5 dollars", "dollar"),
    ];
    for (s, k) in rows {
        let v = find_quantities(s);
        match &v[..] {
            [
                Slot::Quantity {
                    kind,
                    unit_key,
                    value,
                    ..
                },
            ] => {
                assert_eq!(
                    (*kind, unit_key.as_deref(), *value),
                    (QuantityKind::Money, Some(*k), 5.0),
                    "{s}"
                )
            }
            _ => panic!("{s}: {v:?}"),
        }
    }
    for s in ["50 بالمائة", "50 في المئة", "50 في المائة", "50 ٪"] {
        assert_eq!(one(s).4, QuantityKind::Percent, "{s}");
    }
}

#[test]
fn years_and_dates_are_not_quantities() {
    assert!(q("خلال عام 2024").is_empty());
    assert!(q("منذ بداية الحرب في 2022، تقاربت").is_empty());
    assert!(q("ديسمبر 25, 2025").is_empty());
    assert!(q("يوم 27 ديسمبر").is_empty());
    assert!(q("في 25/12/2025").is_empty());
    let r = one("نحو 2000 جندي كوري شمالي");
    assert_eq!(
        (r.0, r.2.as_deref(), r.3),
        (2000.0, Some("جندي"), Qualifier::About)
    );
    let r = one("واستمرت المهمة 120 يوماً مع خسائر");
    assert_eq!((r.0, r.2.as_deref()), (120.0, Some("يوماً")));
}

#[test]
fn years_counted_and_labels() {
    // `عام` after a number counts years, with or without a space.
    for s in ["توفي عن عمر يناهز 25عام", "توفي عن عمر يناهز 25 عام"]
    {
        let r = one(s);
        assert_eq!(
            (r.0, r.2.as_deref(), r.3),
            (25.0, Some("عام"), Qualifier::About),
            "{s}"
        );
    }
    // ... but `عام` before a year introduces it.
    assert_eq!(one("قتل 5 عام 2011 في المدينة").2, None);
    // A number after `رقم` is a label, not a figure.
    assert!(q("القانون رقم 10 يثير الجدل").is_empty());
    assert!(q("Resolution number 2254 was adopted").is_empty());
}

#[test]
fn duals() {
    for (w, k) in [
        ("جنديين", "جندي"),
        ("دولتين", "دوله"),
        ("يومين", "يوم"),
        ("الجنديين", "جندي"),
        ("عامين", "عام"),
    ] {
        let v = find_quantities(w);
        match &v[..] {
            [
                Slot::Quantity {
                    value, unit_key, ..
                },
            ] => assert_eq!((*value, unit_key.as_deref()), (2.0, Some(k)), "{w}"),
            _ => panic!("{w}: {v:?}"),
        }
    }
    for w in [
        "بوتين",
        "الكوريين",
        "المدنيين",
        "بين",
        "فلسطين",
        "باكستان",
        "بلدان",
        "الذين",
        "مدعومين",
    ] {
        assert!(q(w).is_empty(), "{w}");
    }
}
#[test]
fn seed_sentence() {
    let s = "وتشير تقديرات وكالات الاستخبارات الكورية الجنوبية والغربية إلى أن بيونج يانج أرسلت أكثر من 10 آلاف جندي إلى روسيا خلال عام 2024، مدعومين بكميات ضخمة";
    let r = one(s);
    assert_eq!((r.0, r.3), (10000.0, Qualifier::MoreThan));
}

proptest::proptest! {
    #[test]
    fn never_panics(s in "\\PC{0,60}") {
        let _ = find_quantities(&s);
    }
    #[test]
    fn never_panics_numeric(s in "[0-9٠-٩۰-۹٫٬,.:/%$ -]{0,20}( ?(ألف|آلاف|مليون|و|نحو|بين|جندي|عشر|ثلاثة|مئة|F|-)){0,6}") {
        let _ = find_quantities(&s);
    }
}
