//! The month, weekday and relative-date words, as written: build.rs folds them (with
//! `quantity::fold::fold_word`) into the static tables `date` reads, with the filters
//! over them and over every form `hit_at` looks further at; `date::tests` checks them
//! against this list.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Head {
    Kanun,
    Tishrin,
    Rabi,
    Jumada,
    Dhu,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Cyc {
    Year,
    Month,
    Week,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum DW {
    /// Gregorian month; `true` when the word has another common meaning.
    Month(u8, bool),
    Hijri(u8, bool),
    Head(Head),
    /// English month (capitalised in text); ambiguous: May, March.
    Eng(u8, bool),
    /// 0 = Monday. Arabic with ال or English capitalised.
    Weekday(u8),
    /// خميس without ال: only after يوم.
    BareWeekday(u8),
    /// Day offset from the article date.
    Rel(i8),
    Cycle(Cyc),
    /// الماضي (−1), الجاري (0), المقبل (+1) …
    Adj(i8),
}

/// Every date word with what it means, unfolded, in order: where two fold alike, the
/// later one holds.
// build.rs runs it; the tests check the tables against it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn date_words(out: &mut dyn FnMut(&str, DW)) {
    use DW::*;
    let mut add = |ws: &[&str], d: DW| {
        for w in ws {
            out(w, d);
        }
    };
    // Egypt/Gulf, Tunisia/Algeria, Morocco (Levantine single words below).
    let greg: [(u8, &[&str], &[&str]); 12] = [
        (1, &["يناير", "جانفي", "جانفييه"], &[]),
        (2, &["فبراير", "فيفري", "فبرير"], &[]),
        (3, &["آذار", "اذار"], &["مارس"]),
        (
            4,
            &["أبريل", "إبريل", "ابريل", "أفريل", "افريل"],
            &["نيسان"],
        ),
        (5, &["مايو", "أيار", "ايار"], &["ماي"]),
        (6, &["يونيو", "يونيه", "حزيران", "جوان"], &[]),
        (
            7,
            &["يوليو", "يوليه", "تموز", "جويلية", "جويلة", "يوليوز"],
            &[],
        ),
        (
            8,
            &["أغسطس", "اغسطس", "آب", "أوت", "اوت", "غشت", "اغسطوس"],
            &[],
        ),
        (9, &["سبتمبر", "سيبتمبر", "أيلول", "ايلول", "شتنبر"], &[]),
        (10, &["أكتوبر", "اكتوبر", "أكتوبر"], &[]),
        (11, &["نوفمبر", "نونبر"], &[]),
        (12, &["ديسمبر", "دجنبر", "دیسمبر"], &[]),
    ];
    for (n, clear, amb) in greg {
        add(clear, Month(n, false));
        add(amb, Month(n, true));
    }
    add(&["شباط"], Month(2, false));
    add(&["كانون"], Head(self::Head::Kanun));
    add(&["تشرين"], Head(self::Head::Tishrin));
    add(&["ربيع"], Head(self::Head::Rabi));
    add(&["جمادى", "جمادي"], Head(self::Head::Jumada));
    add(&["ذو", "ذي", "ذا"], Head(self::Head::Dhu));
    add(&["محرم", "المحرم"], Hijri(1, true));
    add(&["صفر"], Hijri(2, true));
    add(&["رجب"], Hijri(7, true));
    add(&["شعبان"], Hijri(8, true));
    add(&["رمضان"], Hijri(9, true));
    add(&["شوال"], Hijri(10, false));
    let eng = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    for (i, w) in eng.iter().enumerate() {
        let n = i as u8 + 1;
        add(&[w], Eng(n, matches!(n, 3 | 5)));
        if w.len() > 3 && n != 5 {
            add(&[&w[..3]], Eng(n, n == 3));
        }
    }
    add(&["sept"], Eng(9, false));
    let wd: [(u8, &[&str], &[&str], &str); 7] = [
        (0, &["الاثنين", "الإثنين"], &["اثنين", "إثنين"], "monday"),
        (1, &["الثلاثاء"], &["ثلاثاء"], "tuesday"),
        (
            2,
            &["الأربعاء", "الاربعاء"],
            &["أربعاء", "اربعاء"],
            "wednesday",
        ),
        (3, &["الخميس"], &["خميس"], "thursday"),
        (4, &["الجمعة"], &["جمعة"], "friday"),
        (5, &["السبت"], &["سبت"], "saturday"),
        (6, &["الأحد"], &["أحد"], "sunday"),
    ];
    for (n, with_al, bare, en) in wd {
        add(with_al, Weekday(n));
        add(bare, BareWeekday(n));
        add(&[en], Weekday(n));
    }
    add(&["اليوم", "today"], Rel(0));
    add(&["أمس", "البارحة", "yesterday"], Rel(-1));
    add(&["غدا", "غداً", "tomorrow"], Rel(1));
    add(&["العام", "السنة", "year"], Cycle(Cyc::Year));
    add(&["الشهر", "month"], Cycle(Cyc::Month));
    add(&["الأسبوع", "الاسبوع", "week"], Cycle(Cyc::Week));
    add(
        &[
            "الماضي",
            "الماضية",
            "المنصرم",
            "المنصرمة",
            "الفائت",
            "الفائتة",
            "السابق",
            "السابقة",
            "last",
        ],
        Adj(-1),
    );
    add(&["الجاري", "الجارية", "الحالي", "الحالية", "this"], Adj(0));
    add(
        &["المقبل", "المقبلة", "القادم", "القادمة", "التالي", "next"],
        Adj(1),
    );
}

/// A folded date word and the forms `strip_clitic(k, 3)` in `maybe_date_word` undoes:
/// after و، ف، ب، ل or ك, for words of three letters or more.
// build.rs runs it; the tests check the tables against it.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn clitic_forms(w: &str, out: &mut dyn FnMut(String)) {
    out(w.to_string());
    if w.chars().count() >= 3 {
        for c in ['و', 'ف', 'ب', 'ل', 'ك'] {
            out(format!("{c}{w}"));
        }
    }
}
