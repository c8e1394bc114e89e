"""``python -m eval [retrieval|calibrate-scope|all]``."""

from __future__ import annotations

import argparse
import json
import sys


def _retrieval(args) -> int:
    from assistant.config import Settings
    from assistant.runtime import load_retriever
    from eval.baseline import NaiveBaseline
    from eval.cases import retrieval_cases
    from eval.retrieval import score

    settings = Settings.from_env()
    cases = retrieval_cases()
    retriever = load_retriever(settings)

    def ours(mode):
        return lambda q: [h.passage.section + " " + h.passage.text for h in retriever.search(q, k=5, mode=mode)]

    rows = {mode: score(cases, ours(mode)) for mode in ("hybrid", "dense", "bm25")}
    baseline = NaiveBaseline.build(settings)
    rows["naive llama-index baseline"] = score(cases, baseline.search)
    print(f"{len(cases)} questions from eval/cases/retrieval.yaml")
    print(f"{'retriever':<28} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}")
    for name, row in rows.items():
        print(f"{name:<28} {row['hit@1']:>6.3f} {row['hit@5']:>6.3f} {row['mrr']:>6.3f}")
    if args.verbose:
        print("hybrid misses:", ", ".join(rows["hybrid"]["misses"]) or "none")
    if args.json:
        print(json.dumps({k: {m: v for m, v in r.items() if m != "ranks"} for k, r in rows.items()}))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval")
    sub = parser.add_subparsers(dest="command")
    r = sub.add_parser("retrieval", help="hit@1/hit@5/MRR: hybrid, dense, BM25 and the naive baseline")
    r.add_argument("--verbose", action="store_true")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=_retrieval)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
