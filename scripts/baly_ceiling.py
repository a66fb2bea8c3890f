#!/usr/bin/env python3
"""How far can Baly's 4-way stance go with the comparison's pair features? A ceiling check.

Baly's claim-against-article pairs are the one dev set far under its target (cross-validated
macro-F1 0.465 against 0.55). This script asks whether that is how the networks combine the
features or what the features can tell: it trains gradient-boosted trees (LightGBM) on Baly
alone, in the same 4-fold cross-validation by claim that `claims_model -- train` uses, on

- the pair features `track` computes (as inference reads them, from a dump),
- six plain overlap readings of the raw texts that the features do not have (a TF-IDF cosine,
  the claim's IDF-weighted words found in the article, in its best sentence, in its best window
  of three sentences, in its first five lines, and the share of its rare words found),
- both together,

each with three class weightings (none, square-root balanced, balanced), and prints the
cross-validated macro-F1 and per-class F1 of each, beside how well each single reading tells
`discuss` from `unrelated` (area under the ROC curve).

    cargo run --release --example claims_model -- eval --dump-pairs /tmp/pairs.jsonl
    pip install lightgbm numpy        # for this experiment only; nothing in the crate needs them
    python3 scripts/baly_ceiling.py /tmp/pairs.jsonl [--data ../shared/data]

The dump's row probabilities come from the committed model, which was trained on Baly: an
optimistic reading of what the features hold, which only makes a low ceiling more telling.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from collections.abc import Container
from pathlib import Path

import lightgbm as lgb
import numpy as np

LABELS = {"agree": 0, "disagree": 1, "discuss": 2, "unrelated": 3}
CLASSES = ["agree", "disagree", "discuss", "unrelated"]
PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف")
SUFFIXES = ("ات", "ون", "ين", "ها", "ه", "ي")
OVERLAP = ["tfidf_cosine", "idf_cover", "best_sentence", "best_window3", "lead_cover", "rare_cover"]


def words(text: str) -> list[str]:
    """Arabic words folded (alef forms, taa marbuta, alef maqsura, diacritics) and crudely
    stripped of one clitic prefix and one suffix: enough for overlap counts."""
    text = re.sub("[إأآا]", "ا", text).replace("ة", "ه").replace("ى", "ي")
    text = re.sub("[\u064b-\u0652\u0640]", "", text)
    out = []
    for w in re.findall(r"[\u0621-\u064a0-9]+", text):
        if len(w) < 2:
            continue
        for p in PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 3:
                w = w[len(p):]
                break
        for s in SUFFIXES:
            if w.endswith(s) and len(w) - len(s) >= 3:
                w = w[: -len(s)]
                break
        out.append(w)
    return out


def overlap_readings(pairs: list[dict]) -> np.ndarray:
    """The six overlap readings of each pair (IDF over the articles of these pairs)."""
    article_counts = [Counter(words(p["article"])) for p in pairs]
    df = Counter(w for counts in article_counts for w in counts)
    n = len(pairs)

    def idf(w: str) -> float:
        return math.log((n + 1) / (df.get(w, 0) + 1))

    out = []
    for p, counts in zip(pairs, article_counts):
        claim = set(words(p["claim"]))
        total = sum(idf(w) for w in claim) or 1.0
        in_article = counts.keys()
        claim_vec = {w: idf(w) for w in claim}
        article_vec = {w: (1 + math.log(c)) * idf(w) for w, c in counts.items()}
        dot = sum(v * article_vec.get(w, 0.0) for w, v in claim_vec.items())
        norms = math.sqrt(sum(v * v for v in claim_vec.values())) * (
            math.sqrt(sum(v * v for v in article_vec.values())) or 1.0
        )
        sentences = [set(words(s)) for s in re.split(r"[.\n!?؟]", p["article"]) if s.strip()]

        def cover(found: Container[str]) -> float:
            return sum(idf(w) for w in claim if w in found) / total

        best_sentence = max((cover(s) for s in sentences), default=0.0)
        best_window = max(
            (cover(set().union(*sentences[i : i + 3])) for i in range(len(sentences))), default=0.0
        )
        lead = set().union(*sentences[:5]) if sentences else set()
        rare = [w for w in claim if idf(w) > 3]
        out.append([
            dot / norms if norms else 0.0,
            cover(in_article),
            best_sentence,
            best_window,
            cover(lead),
            sum(1 for w in rare if w in in_article) / (len(rare) or 1),
        ])
    return np.array(out)


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    scores = np.concatenate([positive, negative])
    ranks = scores.argsort().argsort()
    return float((ranks[: len(positive)].sum() - len(positive) * (len(positive) - 1) / 2)
                 / (len(positive) * len(negative)))


def macro_f1(gold: np.ndarray, pred: np.ndarray) -> tuple[float, list[float]]:
    f1s = []
    for c in range(len(CLASSES)):
        tp = int(((gold == c) & (pred == c)).sum())
        pp, gp = int((pred == c).sum()), int((gold == c).sum())
        p = tp / pp if pp else 0.0
        r = tp / gp if gp else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / len(f1s), f1s


def cross_validated(x: np.ndarray, y: np.ndarray, folds: np.ndarray, balance: float) -> np.ndarray:
    pred = np.zeros(len(y), dtype=int)
    for k in sorted(set(folds.tolist())):
        train, test = folds != k, folds == k
        counts = Counter(y[train].tolist())
        weight = np.array([train.sum() / (len(CLASSES) * counts[c]) for c in y[train]]) ** balance
        params = dict(objective="multiclass", num_class=len(CLASSES), learning_rate=0.03,
                      num_leaves=7, min_data_in_leaf=10, verbose=-1, seed=1, deterministic=True)
        booster = lgb.train(params, lgb.Dataset(x[train], y[train], weight=weight), 200)
        pred[test] = booster.predict(x[test]).argmax(1)
    return pred


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump", type=Path, help="`claims_model -- eval --dump-pairs` output")
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared" / "data")
    args = ap.parse_args()

    dumped = [json.loads(line) for line in args.dump.open(encoding="utf-8") if '"Baly"' in line]
    pairs = [json.loads(line) for line in (args.data / "baly-dev" / "pairs.jsonl").open(encoding="utf-8")]
    y = np.array([d["label"] for d in dumped])
    if len(pairs) != len(dumped) or any(LABELS[p["label"]] != g for p, g in zip(pairs, y)):
        raise SystemExit("the dump's Baly pairs are not those of pairs.jsonl, in order")
    folds = np.array([d["fold"] for d in dumped])
    features = np.array([d["x"][0] for d in dumped])
    overlap = overlap_readings(pairs)

    print("discuss against unrelated, one reading at a time (AUC):",
          ", ".join(f"{name} {auc(overlap[y == 2, j], overlap[y == 3, j]):.2f}"
                    for j, name in enumerate(OVERLAP)))
    committed = macro_f1(y, np.array([int(np.argmax(d["p"])) for d in dumped]))[0]
    print(f"committed model, scored on the pairs it was trained on: macro-F1 {committed:.3f}")
    for name, x in [("pair features", features), ("overlap readings", overlap),
                    ("both", np.hstack([features, overlap]))]:
        for balance in (0.0, 0.5, 1.0):
            score, f1s = macro_f1(y, cross_validated(x, y, folds, balance))
            per = ", ".join(f"{c} {f:.3f}" for c, f in zip(CLASSES, f1s))
            print(f"{name:16} balance {balance:.1f}: 4-fold CV macro-F1 {score:.3f} ({per})")


if __name__ == "__main__":
    main()
