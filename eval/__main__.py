"""``python -m eval [all|retrieval|heldout|calibrate-scope|calibrate-short-answers|calibrate-readers|tune-embedder|ablation|cross-encoder|quotes|statements]``; no command means ``all``.

``all`` scores the assistant and the naive baseline on every case file and writes report.md,
report.json and report.png (into eval/ unless ``--out`` says otherwise). Exit status 0 when every
target is met, 1 when one is missed, 2 on an error (one line, from assistant.errors).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent


def _all(args) -> int:
    from assistant import Settings
    from eval.runner import run_eval

    report = run_eval(Settings.from_env(), args.out, progress=not args.no_progress, with_baseline=not args.no_baseline)
    return _print(report, args.out)


def _held_out(args) -> int:
    """The same scoring on eval/heldout/ (questions nobody tuned on); its report goes beside it."""
    from assistant import Settings
    from eval.runner import Cases, run_eval

    folder = args.folder
    report = run_eval(Settings.from_env(), folder, cases=Cases.held_out(folder), progress=not args.no_progress,
                      with_baseline=not args.no_baseline)
    return _print(report, folder)


def _print(report: dict, out: Path) -> int:
    print(f"{'metric':<58} {'assistant':>10} {'baseline':>10} {'target':>8}  pass")
    for row in report["metrics"]:
        cells = []
        for system in ("assistant", "baseline"):
            value = row[system]["value"]
            cells.append("n.a." if value is None else f"{value:g}" if row["kind"] == "count" else f"{value:.3f}")
        met = {True: "pass", False: "FAIL", None: "-"}[row["assistant"]["met"]]
        print(f"{row['label']:<58} {cells[0]:>10} {cells[1]:>10} {row['target_text']:>8}  {met}")
    print(f"wrote {out / 'report.md'}, report.json and report.png in {report['seconds']['total']} s")
    return 0 if report["all_targets_met"] else 1


def _retrieval(args) -> int:
    from assistant import Settings, load_retriever
    from eval.cases import retrieval_cases
    from eval.retrieval import score
    from eval.rounds import round_retrieval_cases
    from eval.runner import build_baseline

    settings = Settings.from_env()
    if args.round is not None:
        cases, source = round_retrieval_cases(args.round), f"round {args.round}'s expected phrases"
    elif args.heldout:
        cases, source = retrieval_cases(EVAL_DIR / "heldout"), "eval/heldout/retrieval.yaml"
    else:
        cases, source = retrieval_cases(), "eval/cases/retrieval.yaml"
    retriever = load_retriever(settings)

    def ours(mode):
        return lambda q: [h.passage.section + " " + h.passage.text for h in retriever.search(q, k=5, mode=mode)]

    rows = {mode: score(cases, ours(mode)) for mode in ("hybrid", "dense", "bm25")}
    baseline = build_baseline(settings)
    found = {c["question"]: [chunk.text for chunk in top]
             for c, top in zip(cases, baseline.search_many([c["question"] for c in cases]))}
    rows["naive llama-index baseline"] = score(cases, found.__getitem__)
    print(f"{len(cases)} questions from {source} ({settings.embedder} embedder)")
    print(f"{'retriever':<28} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}")
    for name, row in rows.items():
        print(f"{name:<28} {row['hit@1']:>6.3f} {row['hit@5']:>6.3f} {row['mrr']:>6.3f}")
    if args.verbose:
        print("hybrid misses:", ", ".join(rows["hybrid"]["misses"]) or "none")
    if args.json:
        print(json.dumps({k: {m: v for m, v in r.items() if m != "ranks"} for k, r in rows.items()}))
    return 0


def _calibrate(args) -> int:
    from assistant import Assistant, Settings
    from eval.calibrate import report, score_questions

    assistant = Assistant.load(Settings.from_env())
    print(report(score_questions(assistant), assistant.scope, show=args.show))
    return 0


def _calibrate_short(args) -> int:
    from assistant import Assistant, Settings
    from assistant.answer.guidance import MIN_SIMILARITY
    from eval.calibrate_short import report

    print(report(Assistant.load(Settings.from_env()).guidance, MIN_SIMILARITY))
    return 0


def _calibrate_readers(args) -> int:
    from assistant import Settings
    from assistant.answer.runtime import load_retriever
    from eval.calibrate_readers import report

    print(report(load_retriever(Settings.from_env()).embedder))
    return 0


def _tune_embedder(args) -> int:
    from assistant import Settings
    from eval.tune_embedder import report

    print(report(Settings.from_env(), tuple(args.epochs), with_base=not args.no_base))
    return 0


def _ablation(args) -> int:
    from assistant import Settings
    from eval.ablation import run

    run(Settings.from_env(), args.out, tuple(args.rows), progress=not args.no_progress, cache_dir=args.cache,
        with_rounds=not args.no_rounds)
    print((args.out / "ablation.md").read_text(encoding="utf-8"))
    return 0


def _cross_encoder(args) -> int:
    from assistant import Settings
    from eval.cross_encoder import report

    settings = Settings.from_env()
    print(report(settings, args.cache or settings.model_cache_dir, progress=not args.no_progress))
    return 0


def _quotes(args) -> int:
    from assistant import Assistant, Settings
    from eval.quotes import report

    print(report(Assistant.load(Settings.from_env())))
    return 0


def _statements(args) -> int:
    from eval.statements import ASKS_OUT, OUT, RISK_OUT, URGENT_OUT, write, write_asks, write_risks, write_urgencies

    print(f"wrote {write(through=args.through)} statements to {OUT}")
    print(f"wrote {write_risks(through=args.through)} messages' risks to {RISK_OUT}")
    print(f"wrote {write_urgencies(through=args.through)} messages' urgency to {URGENT_OUT}")
    print(f"wrote {write_asks(through=args.through)} questions' and statements' short answers to {ASKS_OUT}")
    return 0


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=EVAL_DIR, help="folder for the reports (default: eval/)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--no-baseline", action="store_true", help="skip the llama-index baseline (faster)")


def main(argv=None) -> int:
    from assistant import AssistantError

    parser = argparse.ArgumentParser(prog="python -m eval", description="Without a command: all.")
    _report_options(parser)
    parser.set_defaults(func=_all)
    sub = parser.add_subparsers(dest="command")
    a = sub.add_parser("all", help="every metric, assistant and baseline; writes report.md/.json/.png")
    _report_options(a)
    a.set_defaults(func=_all)
    r = sub.add_parser("retrieval", help="hit@1/hit@5/MRR: hybrid, dense, BM25 and the naive baseline")
    r.add_argument("--verbose", action="store_true")
    r.add_argument("--json", action="store_true")
    r.add_argument("--round", type=int, default=None,
                   help="score a fresh round's cases that name expected phrases (eval/heldout/round-N/cases.jsonl)")
    r.add_argument("--heldout", action="store_true", help="score eval/heldout/retrieval.yaml instead")
    r.set_defaults(func=_retrieval)
    h = sub.add_parser("heldout", help="the same scores on eval/heldout/, cases kept apart from all tuning")
    h.add_argument("--folder", type=Path, default=EVAL_DIR / "heldout", help="held-out case folder (default: eval/heldout/)")
    h.add_argument("--no-progress", action="store_true", help="no progress bar")
    h.add_argument("--no-baseline", action="store_true", help="skip the llama-index baseline (faster)")
    h.set_defaults(func=_held_out)
    c = sub.add_parser("calibrate-scope", help="score distributions and refusal rates for the scope thresholds")
    c.add_argument("--show", type=int, default=15, help="how many grid rows to print")
    c.set_defaults(func=_calibrate)
    s = sub.add_parser("calibrate-short-answers", help="leave-one-out precision of the short answers' threshold")
    s.set_defaults(func=_calibrate_short)
    cr = sub.add_parser("calibrate-readers", help="cross-validation of the learned readers on their own examples")
    cr.set_defaults(func=_calibrate_readers)
    t = sub.add_parser("tune-embedder", help="dev-split retrieval of the domain embedder after 1, 2, 3 epochs (trains; slow)")
    t.add_argument("--epochs", type=int, nargs="+", default=[1, 2, 3])
    t.add_argument("--no-base", action="store_true", help="skip scoring the packaged model")
    t.set_defaults(func=_tune_embedder)
    from eval.ablation import ROWS

    ab = sub.add_parser("ablation", help="the evaluation once per variant (embedders, int8, cross-encoder uses); writes ablation.md")
    ab.add_argument("--rows", nargs="+", default=list(ROWS), choices=list(ROWS))
    ab.add_argument("--cache", type=Path, default=None,
                    help="folder for the cross-encoder trained on demand (default: the model cache)")
    ab.add_argument("--no-rounds", action="store_true", help="skip the regression set of graded rounds (faster)")
    ab.add_argument("--out", type=Path, default=EVAL_DIR, help="folder for ablation.md/.json (default: eval/)")
    ab.add_argument("--no-progress", action="store_true")
    ab.set_defaults(func=_ablation)
    xe = sub.add_parser("cross-encoder", help="the cross-encoder's rerank, quote and scope figures by weight (trains on demand)")
    xe.add_argument("--cache", type=Path, default=None, help="folder for the trained model (default: the model cache)")
    xe.add_argument("--no-progress", action="store_true")
    xe.set_defaults(func=_cross_encoder)
    st = sub.add_parser("statements", help="the stance, risk and urgency heads' examples and the short answers' questions from the graded rounds")
    st.add_argument("--through", type=int, default=None, help="only rounds 1 to N (default: every graded round)")
    st.set_defaults(func=_statements)
    qt = sub.add_parser("quotes", help="how often the quoted sentences hold the expected phrases, by weight of meaning")
    qt.set_defaults(func=_quotes)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except AssistantError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
