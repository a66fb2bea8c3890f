#!/usr/bin/env python3
"""Would another model family do better on the same pair features? Gradient-boosted trees
(LightGBM) against the committed design's networks, on the inner validation.

`claims_model` writes every pair's features (both readings, as inference reads them) and the
networks' probabilities; this script trains boosted trees on the same training pairs, with the
same two models (two short texts; a claim or headline against an article), the same weights
(each labelled set capped at 3,000, made-up examples at 3,000 / 25, headline pairs with a
sentence of another story beside them at 3,000 / 5) and the same readings
(probabilities averaged over a pair's readings), and scores both on the held-out fifth:

    cargo run --release --example claims_model -- train --inner --maps held-out --dump-pairs /tmp/pairs.jsonl
    pip install lightgbm numpy        # for this experiment only; nothing in the crate needs them
    python3 scripts/compare_gbdt.py /tmp/pairs.jsonl [--lr 0.05] [--leaves 15] [--rounds 300]

Prints ANS macro-F1 / accuracy, ArNLI macro-F1 / accuracy, ArbTEDS accuracy and the FNC-1 score
for the networks and the trees. Never reads a dev set: `--inner` holds out a fifth of each
training split instead.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

import lightgbm as lgb
import numpy as np

MADE_UP = {"shuffled", "hard negatives", "identical"}
CONTEXT = "with context"
CAP = 3000.0
PAIR_NEGATIVES_DIVISOR = 25.0
CONTEXT_DIVISOR = 5.0


def cap_of(dataset: str) -> float:
    """A set's total weight, as `claims_model` caps it for the pair models."""
    if dataset == CONTEXT:
        return CAP / CONTEXT_DIVISOR
    if dataset in MADE_UP:
        return CAP / PAIR_NEGATIVES_DIVISOR
    return CAP


def macro_f1(gold: list[int], pred: list[int], k: int) -> float:
    scores = []
    for c in range(k):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        pp = sum(1 for p in pred if p == c)
        gg = sum(1 for g in gold if g == c)
        prec = tp / pp if pp else 0.0
        rec = tp / gg if gg else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / k


def score(rows: list[dict], prob: list) -> dict[str, str]:
    out = {}
    for name in ["ANS", "ArNLI", "ArbTEDS", "FNC-1"]:
        idx = [i for i, r in enumerate(rows) if r["split"] == "Dev" and r["set"] == name]
        if not idx:
            continue
        gold = [rows[i]["label"] for i in idx]
        pred = [int(np.argmax(prob[i])) for i in idx]
        if name in ("ANS", "ArNLI"):
            # agree, disagree, other (related and unrelated are "other").
            g3, p3 = [min(x, 2) for x in gold], [min(x, 2) for x in pred]
            acc = np.mean([a == b for a, b in zip(g3, p3)])
            out[name] = f"{macro_f1(g3, p3, 3):.3f} / {acc:.3f}"
        elif name == "ArbTEDS":
            out[name] = f"{np.mean([(a != 0) == (b != 0) for a, b in zip(gold, pred)]):.3f}"
        else:
            best = got = 0.0
            for a, b in zip(gold, pred):
                best += 1.0 if a != 3 else 0.25
                if (a != 3) == (b != 3):
                    got += 0.25
                if a != 3 and a == b:
                    got += 0.75
            out[name] = f"{100 * got / best:.1f} %"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dump")
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--leaves", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=300)
    args = ap.parse_args()
    with open(args.dump, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    if not any(r["split"] == "Dev" for r in rows):
        raise SystemExit("no held-out pairs in the dump")
    params = dict(objective="multiclass", num_class=4, learning_rate=args.lr,
                  num_leaves=args.leaves, min_data_in_leaf=20, feature_fraction=0.8,
                  bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, verbose=-1, seed=7,
                  num_threads=2, deterministic=True)
    trees: list = [None] * len(rows)
    for short in (True, False):
        train = [i for i, r in enumerate(rows)
                 if r["short"] == short and (r["split"] == "Train" or r["set"] == "Baly")]
        x, y, sets = [], [], []
        for i in train:
            for reading in rows[i]["x"]:
                x.append(reading)
                y.append(rows[i]["label"])
                sets.append(rows[i]["set"])
        count = Counter(sets)
        weights = [min(1.0, cap_of(s) / count[s]) for s in sets]
        data = lgb.Dataset(np.array(x, dtype=np.float32), np.array(y), weight=np.array(weights))
        model = lgb.train(params, data, num_boost_round=args.rounds)
        for i, r in enumerate(rows):
            if r["short"] == short:
                trees[i] = model.predict(np.array(r["x"], dtype=np.float32)).mean(axis=0)
    print("networks (committed design):", score(rows, [r["p"] for r in rows]))
    print(f"boosted trees (lr {args.lr}, {args.leaves} leaves, {args.rounds} rounds):",
          score(rows, trees))


if __name__ == "__main__":
    main()
