//! Page furniture learned from the store: five article pages (Arabic and
//! English) on one local server (127.0.0.1, port 0), inside furniture that
//! changes on every request, checked again and again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::common::*;

/// One article of the test site.
struct Story {
    path: &'static str,
    arabic: bool,
    title: &'static str,
    byline: &'static str,
    paragraphs: [&'static str; 5],
}

const STORIES: [Story; 5] = [
    Story {
        path: "/ar/politics/2025/03/05/ceasefire-talks",
        arabic: true,
        title: "استئناف محادثات وقف إطلاق النار في القاهرة وسط ضغوط دولية",
        byline: "بقلم: سامر الخطيب",
        paragraphs: [
            "قال مسؤول مصري مطلع إن وفدين يضمان 12 مفاوضاً وصلا إلى القاهرة مساء الثلاثاء لاستئناف المحادثات المتعثرة منذ أسابيع حول وقف إطلاق النار وتبادل الأسرى.",
            "وأضاف المسؤول، الذي طلب عدم الكشف عن هويته، أن الوسطاء قدموا مقترحاً جديداً يتضمن هدنة لمدة ستة أسابيع قابلة للتمديد وانسحاباً تدريجياً من المناطق المأهولة.",
            "وأكد المتحدث باسم وزارة الخارجية أن بلاده \"ستواصل جهودها حتى التوصل إلى اتفاق شامل\"، مشيراً إلى أن الاتصالات مستمرة مع جميع الأطراف على مدار الساعة.",
            "وتأتي المحادثات بعد أن أعلنت الأمم المتحدة أن أكثر من 1.7 مليون شخص نزحوا من منازلهم منذ بداية النزاع، وأن المساعدات الإنسانية لا تغطي سوى جزء ضئيل من الاحتياجات.",
            "ومن المتوقع أن تستمر جولة المفاوضات الحالية ثلاثة أيام على الأقل، بحسب ما أفادت به مصادر دبلوماسية غربية مطلعة على سير المحادثات في العاصمة المصرية.",
        ],
    },
    Story {
        path: "/ar/economy/2025/03/05/oil-prices",
        arabic: true,
        title: "أسعار النفط ترتفع لأعلى مستوى في شهرين بعد قرار أوبك بلس",
        byline: "بقلم: ليلى منصور",
        paragraphs: [
            "ارتفعت أسعار النفط بنسبة 3 في المئة في تعاملات يوم الأربعاء لتصل إلى أعلى مستوى لها منذ شهرين، بعد أن قرر تحالف أوبك بلس تمديد تخفيضات الإنتاج حتى نهاية العام.",
            "وبلغ سعر خام برنت القياسي 86 دولاراً للبرميل في العقود الآجلة، فيما صعد خام غرب تكساس الوسيط إلى 82 دولاراً، وفق بيانات بورصة لندن للعقود الآجلة.",
            "وقال محللون في بنك استثماري كبير إن السوق \"تعاني من شح واضح في المعروض\"، متوقعين أن تواصل الأسعار ارتفاعها خلال الربع الثاني من العام الجاري.",
            "في المقابل، حذرت وكالة الطاقة الدولية في تقريرها الشهري من أن تباطؤ النمو الاقتصادي في الصين قد يحد من الطلب العالمي على الخام خلال الأشهر المقبلة.",
            "ويترقب المستثمرون صدور بيانات المخزونات الأمريكية الأسبوعية التي قد تعطي مؤشرات إضافية على اتجاه الطلب في أكبر سوق مستهلكة للنفط في العالم.",
        ],
    },
    Story {
        path: "/ar/health/2025/03/05/cholera",
        arabic: true,
        title: "الصحة العالمية تحذر من تفشي الكوليرا في ثلاث محافظات",
        byline: "بقلم: هالة يوسف",
        paragraphs: [
            "حذرت منظمة الصحة العالمية من تفشي وباء الكوليرا في ثلاث محافظات جنوبية، مؤكدة تسجيل 450 إصابة مؤكدة و27 حالة وفاة خلال الأسبوعين الماضيين وفق أحدث الإحصاءات الرسمية.",
            "وقال ممثل المنظمة في مؤتمر صحفي إن شح المياه النظيفة وتضرر شبكات الصرف الصحي يفاقمان انتشار المرض، داعياً إلى تمويل عاجل لحملات التطعيم في المناطق المتضررة.",
            "وأعلنت وزارة الصحة المحلية أنها افتتحت مراكز علاج مؤقتة في المستشفيات الرئيسية، وأن فرقاً طبية متنقلة ستجوب القرى النائية لرصد الحالات المشتبه بها مبكراً.",
            "وأشارت المنظمة إلى أن الأطفال دون سن الخامسة يمثلون نحو ثلث الإصابات المسجلة، وهو ما يستدعي بحسبها تعزيز برامج التوعية الصحية في المدارس والمخيمات.",
            "ويعاني القطاع الصحي في البلاد من نقص حاد في الأدوية والمستلزمات الطبية منذ سنوات، بحسب تقارير منظمات إنسانية تعمل في المنطقة.",
        ],
    },
    Story {
        path: "/en/world/2025/03/05/earthquake",
        arabic: false,
        title: "Strong earthquake shakes coastal region, rescuers search rubble",
        byline: "By Daniel Moreau",
        paragraphs: [
            "A magnitude 6.4 earthquake struck the coastal region early on Wednesday, killing at least 38 people and injuring more than 200, according to the national disaster agency.",
            "Rescue teams worked through the night to pull survivors from collapsed buildings in the port city, where several apartment blocks and a school were badly damaged.",
            "\"We are doing everything we can to reach the people still trapped,\" the regional governor told reporters at a briefing outside the main hospital on Wednesday morning.",
            "The agency said aftershocks of up to magnitude 4.9 were recorded in the hours after the main quake and warned residents to stay away from damaged structures.",
            "Neighbouring countries offered to send search and rescue teams, and the United Nations said it was ready to help coordinate the international relief effort.",
        ],
    },
    Story {
        path: "/en/business/2025/03/05/rate-decision",
        arabic: false,
        title: "Central bank holds rates steady, signals cuts later this year",
        byline: "By Priya Raman",
        paragraphs: [
            "The central bank kept its benchmark interest rate unchanged at 4.5 percent on Wednesday, but said it expected to begin lowering borrowing costs in the second half of the year.",
            "Policymakers voted 7 to 2 to hold rates, with two members favouring an immediate cut of a quarter of a percentage point, according to minutes released with the decision.",
            "\"Inflation is moving in the right direction, but we need more evidence that it will stay there,\" the governor said at a press conference after the announcement.",
            "Markets had widely expected the decision, and the currency was little changed in afternoon trading while government bond yields edged slightly lower.",
            "Economists said the bank's guidance suggested a first cut could come as early as September if wage growth continues to slow over the coming months.",
        ],
    },
];

/// Headlines of articles the test does not track (the related-links box
/// draws from them too).
const OTHER_HEADLINES: [&str; 3] = [
    "Ten photos that defined the week",
    "مهرجان الربيع يعود إلى العاصمة بعد غياب ثلاث سنوات",
    "How to protect your savings when prices rise",
];

const ADS_AR: [&str; 3] = [
    "إعلان: احصل على خصم 30% على اشتراكك السنوي في الخبر بريميوم",
    "إعلان: حمّل الآن تطبيق الخبر واستمتع بتجربة قراءة أسرع",
    "إعلان: عروض رمضان تبدأ من 99 ريالاً فقط لفترة محدودة",
];
const ADS_EN: [&str; 3] = [
    "Advertisement: Get 30% off your first year of Premium",
    "Advertisement: Download our app for breaking news alerts",
    "Advertisement: Spring sale, laptops from $499 this week only",
];

/// A small deterministic generator: the furniture of request `hit` of
/// story `story` (so the test does not depend on the order of requests).
fn random(story: usize, hit: usize, salt: u64) -> u64 {
    let mut x = (story as u64 + 1)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add((hit as u64 + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9))
        .wrapping_add(salt.wrapping_mul(0x94d0_49bb_1331_11eb));
    x ^= x >> 31;
    x = x.wrapping_mul(0xd6e8_feb8_6659_fd93);
    x ^= x >> 32;
    x
}

/// The page of story `i` at its request number `hit`: the article inside a
/// news site's page whose furniture changes on every request (update time,
/// view and share counters, read time, comment count, a rotating ad,
/// random related links), as Arabic and English news sites lay them out.
fn render(i: usize, hit: usize, edited: bool) -> String {
    let s = &STORIES[i];
    let r = |salt| random(i, hit, salt);
    let minute = (hit * 7 + i * 13) % 60;
    let hour = 8 + (hit / 8 + i) % 10;
    let views = 1000 + r(1) % 50_000;
    let shares = r(2) % 900;
    let comments = (r(3) % 200) + hit as u64;
    let read = 3 + (hit + i) % 5;
    let ad = (hit + i) % 3;
    // Related links: two headlines of the site's other articles, picked anew on every request.
    let mut pool: Vec<&str> = STORIES
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, s)| s.title)
        .chain(OTHER_HEADLINES)
        .collect();
    let first = pool.remove((r(4) % pool.len() as u64) as usize);
    let second = pool.remove((r(5) % pool.len() as u64) as usize);
    let mut paragraphs: Vec<String> = s.paragraphs.iter().map(|p| p.to_string()).collect();
    if edited {
        paragraphs[0] = paragraphs[0].replace("12 مفاوضاً", "14 مفاوضاً");
    }
    let (lang, dir, site, updated, stats, read_time, comments_line, also, ad_text, nav, footer) =
        if s.arabic {
            (
                "ar",
                "rtl",
                "الخبر",
                format!("آخر تحديث: {hour:02}:{minute:02}"),
                format!("{views} مشاهدة · {shares} مشاركة"),
                format!("قراءة {read} دقائق"),
                format!("{comments} تعليقاً"),
                "اقرأ أيضاً:",
                ADS_AR[ad],
                "<a href=\"/\">الرئيسية</a> <a href=\"/ar/politics\">سياسة</a> <a href=\"/ar/economy\">اقتصاد</a>",
                "جميع الحقوق محفوظة لموقع الخبر 2025",
            )
        } else {
            (
                "en",
                "ltr",
                "The Herald",
                format!("Updated {}:{minute:02} GMT", hour),
                format!("{views} views · {shares} shares"),
                format!("{read} min read"),
                format!("{comments} comments"),
                "Read more:",
                ADS_EN[ad],
                "<a href=\"/\">Home</a> <a href=\"/en/world\">World</a> <a href=\"/en/business\">Business</a>",
                "© 2025 The Herald. All rights reserved.",
            )
        };
    let p = |t: &str| format!("<p>{t}</p>\n");
    let mut body = String::new();
    body.push_str(&format!("<h1>{}</h1>\n", s.title));
    body.push_str(&format!(
        "<div class=\"byline\"><span>{}</span></div>\n",
        s.byline
    ));
    body.push_str(&p(&updated));
    body.push_str(&p(&format!("{read_time} · {stats}")));
    body.push_str(&p(&paragraphs[0]));
    body.push_str(&p(&paragraphs[1]));
    body.push_str(&p(&format!(
        "<strong>{also}</strong> <a href=\"/x/{}\">{first}</a>",
        r(6) % 1000
    )));
    body.push_str(&p(&paragraphs[2]));
    body.push_str(&p(ad_text));
    body.push_str(&p(&paragraphs[3]));
    body.push_str(&p(&paragraphs[4]));
    body.push_str(&p(&format!(
        "<strong>{also}</strong> <a href=\"/x/{}\">{second}</a>",
        r(7) % 1000
    )));
    body.push_str(&p(&comments_line));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <title>{} | {site}</title><meta property=\"og:site_name\" content=\"{site}\"></head>\n\
         <body><header><nav>{nav}</nav></header>\n<main><article>\n{body}</article></main>\n\
         <footer><p>{footer}</p></footer></body></html>",
        s.title
    )
}

/// The article part of a rendered page as plain text: a block per element.
fn text_of(html: &str) -> String {
    let start = html.find("<article>").map_or(0, |i| i + "<article>".len());
    let end = html.find("</article>").unwrap_or(html.len());
    let mut blocks = Vec::new();
    for line in html[start..end].lines() {
        let mut text = String::new();
        let mut in_tag = false;
        for c in line.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.trim();
        if !text.is_empty() {
            blocks.push(text.to_string());
        }
    }
    blocks.join("\n\n")
}

/// The site: every story's page, re-rendered on every request.
struct Site {
    port: u16,
    edited: Arc<AtomicBool>,
}

impl Site {
    fn start() -> Site {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
        let port = server.server_addr().to_ip().expect("ip").port();
        let edited = Arc::new(AtomicBool::new(false));
        let hits: Arc<Mutex<HashMap<usize, usize>>> = Arc::default();
        let flag = Arc::clone(&edited);
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                // `PATH.txt`: the same page as the plain text a scraper
                // command would print (no extraction: only the store's
                // learning stands between its furniture and a version).
                let url = request.url().to_string();
                let (path, as_text) = match url.strip_suffix(".txt") {
                    Some(p) => (p.to_string(), true),
                    None => (url.clone(), false),
                };
                let Some(i) = STORIES.iter().position(|s| s.path == path) else {
                    let _ = request.respond(tiny_http::Response::empty(404));
                    continue;
                };
                let hit = {
                    let mut hits = hits.lock().unwrap();
                    let n = hits.entry(i).or_default();
                    *n += 1;
                    *n
                };
                // Only the first story is ever edited.
                let page = render(i, hit, i == 0 && flag.load(Ordering::SeqCst));
                let (page, kind) = if as_text {
                    (text_of(&page), &b"text/plain; charset=utf-8"[..])
                } else {
                    (page, &b"text/html; charset=utf-8"[..])
                };
                let mut response = tiny_http::Response::from_data(page.into_bytes());
                response
                    .add_header(tiny_http::Header::from_bytes(&b"Content-Type"[..], kind).unwrap());
                let _ = request.respond(response);
            }
        });
        Site { port, edited }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

/// What may never be left in an article's text: the furniture of its page.
fn furniture_words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for needle in [
        "آخر تحديث",
        "مشاهدة",
        "مشاركة",
        "تعليقاً",
        "قراءة",
        "اقرأ أيضاً",
        "إعلان",
        "Updated",
        "views",
        "shares",
        "comments",
        "min read",
        "Read more",
        "Advertisement",
    ] {
        if text.contains(needle) {
            found.push(needle.to_string());
        }
    }
    for headline in OTHER_HEADLINES {
        if text.contains(headline) {
            found.push(headline.to_string());
        }
    }
    found
}

#[test]
fn furniture_that_changes_on_every_request_never_makes_a_version() {
    let site = Site::start();
    let ws = Workspace::new();
    let sources: String = STORIES
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "[[source]]\nname = \"story{i}\"\nurl = \"{}\"\nevery = \"15m\"\n\n",
                site.url(s.path)
            )
        })
        .collect();
    let config = ws.path("sources.toml");
    std::fs::write(&config, sources).unwrap();
    let config = s(&config).to_string();

    for pass in 1..=10 {
        let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
        assert_eq!(code, 0, "pass {pass}: {err}");
        assert!(
            out.trim().is_empty(),
            "pass {pass}: no event expected: {out}"
        );
        let versions = ws.versions();
        assert_eq!(versions.len(), 5);
        assert!(
            versions.iter().all(|(_, n)| *n == 1),
            "pass {pass}: every article has one version: {versions:?}"
        );
    }

    for (i, story) in STORIES.iter().enumerate() {
        let key = site.url(story.path);
        let (code, text, err) = ws.run(&["show", &key]);
        assert_eq!(code, 0, "{err}");
        let left = furniture_words(&text);
        assert!(left.is_empty(), "story {i}: furniture {left:?} in\n{text}");
        // The article itself is all there, title first.
        assert!(text.starts_with(story.title), "{text}");
        for p in story.paragraphs {
            assert!(
                text.contains(p),
                "story {i}: paragraph missing: {p}\n{text}"
            );
        }
        // The other stories' headlines (related links) are not in it.
        for (j, other) in STORIES.iter().enumerate() {
            if j != i {
                assert!(
                    !text.contains(other.title),
                    "story {i}: teaser of {j} in\n{text}"
                );
            }
        }
        // Everything is still stored; what extraction already left out of
        // the text (an "Updated" line) is in the raw page.
        let (_, whole, _) = ws.run(&["show", "--with-furniture", &key]);
        if whole != text {
            assert!(
                err.contains("furniture"),
                "show says what it left out: {err}"
            );
        }
        let (_, raw, _) = ws.run(&["show", "--raw", &key]);
        assert!(raw.contains("<footer>"), "the raw page is kept");
        assert!(raw.contains(if story.arabic {
            "آخر تحديث"
        } else {
            "Updated"
        }));
    }

    // What was learned is listed, with evidence.
    let host = format!("127.0.0.1:{}", site.port);
    let learned = ws.json(&["furniture", &host, "--format", "json"]);
    // Extraction's own furniture model leaves most of these pages' furniture
    // out before the store sees it; whatever the store learned on top is
    // listed with its rule (the learning itself is tested on texts that
    // keep their furniture, in the other tests here and in src/furniture.rs).
    let learned = learned.as_array().unwrap();
    assert!(
        learned
            .iter()
            .all(|e| e["status"] != "learned" || e["rule"].is_string()),
        "{learned:?}"
    );

    // One real edit: a number in the first story's lead.
    site.edited.store(true, Ordering::SeqCst);
    let (code, out, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    let first = site.url(STORIES[0].path);
    let versions: HashMap<String, u64> = ws.versions().into_iter().collect();
    for story in &STORIES {
        let key = site.url(story.path);
        let expected = if key == first { 2 } else { 1 };
        assert_eq!(versions[&key], expected, "{key}: {versions:?}");
    }
    let events: Vec<Value> = out
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 1, "{out}");
    assert_eq!(events[0]["counts"]["edited"], 1, "{}", events[0]);

    let diff = ws.json_any(&["diff", &first, "--format", "json"]);
    let changed: Vec<&Value> = diff["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "unchanged")
        .collect();
    assert_eq!(changed.len(), 1, "{diff}");
    assert_eq!(changed[0]["status"], "changed");
    let change = &changed[0]["changes"][0];
    assert_eq!(change["slot"], "quantity", "{diff}");
    assert_eq!(
        (
            change["from"]["value"].as_f64(),
            change["to"]["value"].as_f64()
        ),
        (Some(12.0), Some(14.0))
    );
    let edited: Vec<&Value> = diff["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["op"] != "unchanged")
        .collect();
    assert_eq!(edited.len(), 1, "only the edited sentence: {diff}");
}

/// The same site scraped as plain text (no extraction model): the store's
/// own learning keeps every counter, clock, ad and teaser out of versions.
#[test]
fn furniture_in_plain_text_scrapes_is_learned_by_the_store() {
    let site = Site::start();
    let ws = Workspace::new();
    let sources: String = STORIES
        .iter()
        .enumerate()
        .map(|(i, s)| {
            format!(
                "[[source]]\nname = \"story{i}\"\nurl = \"{}.txt\"\nkey = \"{}\"\nevery = \"15m\"\n\n",
                site.url(s.path),
                site.url(s.path)
            )
        })
        .collect();
    let config = ws.path("sources.toml");
    std::fs::write(&config, sources).unwrap();
    let config = s(&config).to_string();
    for pass in 1..=10 {
        let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
        assert_eq!(code, 0, "pass {pass}: {err}");
        let versions = ws.versions();
        assert!(
            versions.iter().all(|(_, n)| *n == 1),
            "pass {pass}: every article has one version: {versions:?}"
        );
    }
    let host = format!("127.0.0.1:{}", site.port);
    let learned = ws.json(&["furniture", &host, "--format", "json"]);
    assert!(
        learned
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["rule"] == "volatile" && e["status"] == "learned"),
        "{learned:?}"
    );
    for story in &STORIES {
        let (code, text, err) = ws.run(&["show", &site.url(story.path)]);
        assert_eq!(code, 0, "{err}");
        let left = furniture_words(&text);
        assert!(left.is_empty(), "furniture {left:?} in\n{text}");
    }
    // One real edit: exactly that article gets v2.
    site.edited.store(true, Ordering::SeqCst);
    let (code, _, err) = ws.run(&["check", "--config", &config, "--all"]);
    assert_eq!(code, 0, "{err}");
    let first = site.url(STORIES[0].path);
    for (key, n) in ws.versions() {
        assert_eq!(n, if key == first { 2 } else { 1 }, "{key}");
    }
}

/// `track furniture`: hosts, entries with their evidence, and the user's
/// overrides; `show` and `claims` read the article without its furniture.
#[test]
fn furniture_is_listed_and_the_user_overrides_it() {
    let ws = Workspace::new();
    let promo = "اشترك في النشرة البريدية لتصلك أهم الأخبار كل صباح";
    for (n, story) in STORIES[..3].iter().enumerate() {
        let mut blocks = vec![story.title.to_string()];
        blocks.extend(story.paragraphs.iter().map(|p| p.to_string()));
        blocks.push(promo.to_string());
        let path = ws.path(&format!("s{n}.txt"));
        std::fs::write(&path, blocks.join("\n\n")).unwrap();
        ws.add(&[
            "--url",
            &format!("https://www.news.example{}", story.path),
            s(&path),
        ]);
    }
    // A page of another site with the same block, and scrapes without a URL.
    let other = ws.path("other.txt");
    std::fs::write(
        &other,
        format!("Other site\n\nIts own text here.\n\n{promo}"),
    )
    .unwrap();
    ws.add(&["--url", "https://other.example/a", s(&other)]);

    let hosts = ws.json(&["furniture", "--format", "json"]);
    let names: Vec<&str> = hosts
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["news.example", "other.example"]);
    assert_eq!(hosts[0]["pages"], 3);
    assert_eq!(hosts[0]["learned"], 1);
    assert_eq!(hosts[1]["learned"], 0);

    let entries = ws.json(&["furniture", "https://news.example/any", "--format", "json"]);
    let entry = &entries[0];
    assert_eq!(entry["status"], "learned");
    assert_eq!(entry["rule"], "recurring");
    assert_eq!(entry["articles"], 3);
    assert_eq!(entry["text"], promo);
    let id = entry["id"].as_str().unwrap().to_string();
    let (_, listing, _) = ws.run(&["furniture", "news.example"]);
    assert!(
        listing.contains(&id) && listing.contains("recurring"),
        "{listing}"
    );

    let key = format!("https://www.news.example{}", STORIES[0].path);
    let (_, text, err) = ws.run(&["show", &key]);
    assert!(!text.contains(promo), "{text}");
    assert!(err.contains("1 block of page furniture"), "{err}");
    let shown = ws.json(&["show", &key, "--format", "json"]);
    assert!(
        shown["text"].as_str().unwrap().contains(promo),
        "the stored text, exactly"
    );
    assert!(!shown["article_text"].as_str().unwrap().contains(promo));
    assert_eq!(shown["furniture"][0]["id"], id.as_str());
    let other_key = "https://other.example/a";
    let (_, text, err) = ws.run(&["show", other_key]);
    assert!(text.contains(promo), "another host: article text: {text}");
    assert!(err.is_empty(), "{err}");

    // Kept: article text again.
    let (code, out, err) = ws.run(&["furniture", "news.example", "--keep", &id]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("kept"), "{out}");
    let (_, text, _) = ws.run(&["show", &key]);
    assert!(text.contains(promo), "{text}");
    let entries = ws.json(&["furniture", "news.example", "--format", "json"]);
    assert_eq!(entries[0]["status"], "kept");

    // Added by hand, as a shape: every comment count.
    let (code, _, err) = ws.run(&["furniture", "news.example", "--add", "12 تعليقاً", "--shape"]);
    assert_eq!(code, 0, "{err}");
    let entries = ws.json(&["furniture", "news.example", "--format", "json"]);
    assert!(
        entries
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["status"] == "added" && e["kind"] == "shape")
    );

    // Forgotten, and an id that names nothing.
    let (code, out, _) = ws.run(&["furniture", "news.example", "--forget", &id]);
    assert_eq!(code, 0);
    assert!(out.contains("forgot"), "{out}");
    let (code, _, err) = ws.run(&["furniture", "news.example", "--forget", &id]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no furniture entry"), "{err}");
    let (code, _, _) = ws.run(&["furniture", "--keep", &id]);
    assert_eq!(code, 2, "an override needs a host");
}
