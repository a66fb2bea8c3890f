//! The Arabic and English number words, as written: build.rs folds them (with
//! `fold::fold_word`) into the static table `numbers` reads, and the filter over every
//! form `num_word_clitic` looks up; `numbers::tests` checks both against this list.

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum NW {
    /// 0–10 (Arabic and English cardinals).
    Unit(u8),
    /// أحد/إحدى/اثنا/اثني/اثنتا/اثنتي: only numbers inside a teen.
    Construct(u8),
    /// English 11–19.
    Teen(u8),
    /// 20–90.
    Ten(u8),
    /// مئة / hundred: multiplies a preceding unit.
    Hundred,
    /// Fused hundreds 200–900 (مئتان، ثلاثمئة).
    Hundreds(u16),
    Scale(f64),
    ScaleDual(f64),
    /// آلاف/ملايين: × after 3–10; alone it is vague.
    ScalePlural(f64),
    /// ألفا/مليونا: accusative singular after a number, construct dual alone.
    ScaleAmb(f64),
    Frac(f64),
    /// English "dozen".
    Dozen,
    /// English "a"/"an" before hundred/thousand/dozen.
    Article,
    /// Vague plural (hundreds, thousands, dozens): the phrase is skipped.
    Vague,
    /// صفر: only a number before a percent word.
    Zero,
}

/// Every number word with what it means, unfolded, in order: where two fold alike, the
/// later one holds.
// build.rs runs it; the tests check the tables against it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn number_words(out: &mut dyn FnMut(&str, NW)) {
    use NW::*;
    let mut add = |ws: &[&str], nw: NW| {
        for w in ws {
            out(w, nw);
        }
    };
    add(&["صفر"], Zero);
    add(&["واحد", "واحدة", "واحدا"], Unit(1));
    add(&["أحد", "إحدى", "احدى"], Construct(1));
    add(
        &[
            "اثنان",
            "اثنين",
            "إثنان",
            "إثنين",
            "اثنتان",
            "اثنتين",
            "ثنتان",
            "ثنتين",
        ],
        Unit(2),
    );
    add(&["اثنا", "اثني", "اثنتا", "اثنتي"], Construct(2));
    add(&["ثلاثة", "ثلاث"], Unit(3));
    add(&["أربعة", "أربع"], Unit(4));
    add(&["خمسة", "خمس"], Unit(5));
    add(&["ستة", "ست"], Unit(6));
    add(&["سبعة", "سبع"], Unit(7));
    add(&["ثمانية", "ثماني", "ثمان"], Unit(8));
    add(&["تسعة", "تسع"], Unit(9));
    add(&["عشرة", "عشر"], Unit(10));
    for (v, ws) in [
        (20u8, ["عشرون", "عشرين"]),
        (30, ["ثلاثون", "ثلاثين"]),
        (40, ["أربعون", "أربعين"]),
        (50, ["خمسون", "خمسين"]),
        (60, ["ستون", "ستين"]),
        (70, ["سبعون", "سبعين"]),
        (80, ["ثمانون", "ثمانين"]),
        (90, ["تسعون", "تسعين"]),
    ] {
        add(&ws, Ten(v));
    }
    add(&["مئة", "مائة", "مئه", "مائه"], Hundred);
    add(
        &[
            "مئتان",
            "مئتين",
            "مائتان",
            "مائتين",
            "مئتا",
            "مئتي",
            "مائتا",
            "مائتي",
        ],
        Hundreds(200),
    );
    for (v, stems) in [
        (300u16, &["ثلاث"][..]),
        (400, &["أربع"]),
        (500, &["خمس"]),
        (600, &["ست"]),
        (700, &["سبع"]),
        (800, &["ثمان", "ثماني"]),
        (900, &["تسع"]),
    ] {
        for s in stems {
            for h in ["مئة", "مائة"] {
                add(&[&format!("{s}{h}")], Hundreds(v));
            }
        }
    }
    add(&["ألف"], Scale(1e3));
    add(&["ألفان", "ألفين", "ألفي"], ScaleDual(1e3));
    add(&["ألفا"], ScaleAmb(1e3));
    add(&["آلاف", "ألوف"], ScalePlural(1e3));
    add(&["مليون"], Scale(1e6));
    add(&["مليونان", "مليونين", "مليوني"], ScaleDual(1e6));
    add(&["مليونا"], ScaleAmb(1e6));
    add(&["ملايين"], ScalePlural(1e6));
    add(&["مليار", "بليون"], Scale(1e9));
    add(&["ملياران", "مليارين", "ملياري"], ScaleDual(1e9));
    add(&["مليارا", "بليونا"], ScaleAmb(1e9));
    add(&["مليارات", "بلايين"], ScalePlural(1e9));
    add(&["تريليون", "ترليون"], Scale(1e12));
    add(&["تريليونان", "تريليونين", "تريليوني"], ScaleDual(1e12));
    add(&["تريليونا"], ScaleAmb(1e12));
    add(&["تريليونات"], ScalePlural(1e12));
    add(&["نصف"], Frac(0.5));
    add(&["ربع"], Frac(0.25));
    add(&["ثلث"], Frac(1.0 / 3.0));
    add(&["ثلثا", "ثلثي"], Frac(2.0 / 3.0));
    // English.
    for (i, w) in [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ]
    .iter()
    .enumerate()
    {
        add(&[w], Unit(i as u8));
    }
    for (i, w) in [
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ]
    .iter()
    .enumerate()
    {
        add(&[w], Teen(11 + i as u8));
    }
    for (i, w) in [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ]
    .iter()
    .enumerate()
    {
        add(&[w], Ten(20 + 10 * i as u8));
    }
    add(&["hundred"], Hundred);
    add(&["thousand"], Scale(1e3));
    add(&["million"], Scale(1e6));
    add(&["billion"], Scale(1e9));
    add(&["trillion"], Scale(1e12));
    add(&["dozen"], Dozen);
    add(&["a", "an"], Article);
    add(
        &[
            "hundreds",
            "thousands",
            "millions",
            "billions",
            "dozens",
            "tens",
        ],
        Vague,
    );
    add(&["half"], Frac(0.5));
}

/// The forms of a folded number word that `num_word_clitic` may be asked: alone, after
/// و, and, for stems of four letters or more, after ب or ل.
// build.rs runs it; the tests check the tables against it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn clitic_forms(w: &str, out: &mut dyn FnMut(String)) {
    out(w.to_string());
    out(format!("و{w}"));
    if w.chars().nth(3).is_some() {
        out(format!("ب{w}"));
        out(format!("ل{w}"));
    }
}
