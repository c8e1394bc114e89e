"""``python -m bench``: build, cold start, warm latency, throughput and memory, ours against the naive
llama-index baseline, each in fresh child processes. Writes bench/results.json and bench/results.md.

    python -m bench              the full run (about 10 minutes on 2 cores)
    python -m bench --quick      no x10 builds, one cold start each (a smoke run)

Numbers are only meaningful on an otherwise idle machine: the load average before and after is
recorded, and a warning is printed when something else is running.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

from bench import report
from bench.corpus_copies import replicate
from bench.processes import PROJECT_ROOT, ChildFailed, import_costs, run_child

BENCH_DIR = PROJECT_ROOT / "bench"
WORK = BENCH_DIR / "work"  # git-ignored scratch: indexes and corpus copies, removed at the end
BUSY_LOAD = 1.0


class Progress:
    def __init__(self, steps: int) -> None:
        self.steps, self.step, self.started = steps, 0, time.perf_counter()

    def __call__(self, text: str) -> None:
        self.step += 1
        elapsed = time.perf_counter() - self.started
        print(f"[bench {self.step}/{self.steps} +{elapsed:5.0f}s] {text}", file=sys.stderr, flush=True)


def _cold(task: str, args: dict, runs: int, progress: Progress) -> dict:
    progress(f"{task}: {runs} fresh processes, each to its first answer (median), then one with -X importtime")
    samples = [run_child(task, args, timeout=300) for _ in range(runs)]
    ready = [s["ready_s"] for s in samples]
    median = samples[ready.index(sorted(ready)[len(ready) // 2])]
    profiled = run_child(task, args, timeout=300, python_flags=("-X", "importtime"))
    return {"median_s": statistics.median(ready), "runs_s": ready, "import_s": median["import_s"],
            "load_s": median["load_s"], "first_answer_s": median["first_answer_s"],
            "heavy_modules": median["heavy_modules"], "peak_rss_mb": max(s["peak_rss_mb"] for s in samples),
            "import_costs": import_costs(profiled["stderr"])}


def _model_missing() -> bool:
    from assistant import Settings
    from assistant.indexing import models

    return not models.is_ready(Settings.from_env())


def _ensure_model(progress: Progress) -> None:
    if _model_missing():
        from assistant import Settings
        from assistant.indexing import models

        progress("preparing the embedding model once (not timed)")
        models.prepare(Settings.from_env(), progress=False)


def run(args: argparse.Namespace) -> dict:
    steps = 3 + (not args.quick) + (0 if args.skip_baseline else 3 + (not args.quick)) + _model_missing()
    progress = Progress(steps)
    load_before = os.getloadavg()[0]
    if load_before > BUSY_LOAD:
        print(f"[bench] warning: load average is {load_before:.2f}; other work is running and the numbers "
              "will be noisy", file=sys.stderr)
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    corpus = PROJECT_ROOT / "corpus"
    results: dict = {"machine": {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
                                 "platform": platform.platform(terse=True), "python": platform.python_version(),
                                 "load_before": load_before},
                     "ours": {}, "baseline": {}, "notes": []}
    ours, base = results["ours"], results["baseline"]
    _ensure_model(progress)
    one = {"corpus": str(corpus), "index": str(WORK / "ours-1x" / "index")}

    progress("ours: index build, five documents")
    ours["build_1x"] = run_child("build-ours", one, timeout=600)
    if not args.quick:
        progress("ours: index build, corpus replicated x10 (the longest step)")
        ten = replicate(corpus, WORK / "corpus-10x", 10)
        ours["build_10x"] = run_child("build-ours", {"corpus": str(ten), "index": str(WORK / "ours-10x" / "index")},
                                      timeout=1800)
        shutil.rmtree(WORK / "ours-10x", ignore_errors=True)
    ours["cold_start"] = _cold("cold-ours", one, args.cold_runs, progress)
    progress("ours: warm latency and 8-thread throughput")
    ours["serve"] = run_child("serve-ours", one | {"threads": 8, "rounds": args.rounds}, timeout=900)

    if not args.skip_baseline:
        persist = str(WORK / "baseline-1x" / "storage")
        progress("baseline: build (llama-index, SentenceSplitter, HuggingFaceEmbedding) and persist")
        base["build_1x"] = run_child("build-baseline", {"corpus": str(corpus), "persist": persist}, timeout=900)
        if not args.quick:
            progress("baseline: build, corpus replicated x10")
            base["build_10x"] = run_child("build-baseline", {"corpus": str(WORK / "corpus-10x")}, timeout=1800)
        base["cold_start"] = _cold("cold-baseline", {"persist": persist}, args.cold_runs, progress)
        progress("baseline: warm latency and 8-thread throughput")
        base["serve"] = run_child("serve-baseline", {"persist": persist, "threads": 8, "rounds": args.rounds},
                                  timeout=1800)

    results["linearity"] = report.linearity(ours.get("build_1x"), ours.get("build_10x"))
    results["machine"]["load_after"] = os.getloadavg()[0]
    results["targets"] = report.check_targets(results)
    busiest = max(load_before, results["machine"]["load_after"])
    if busiest > BUSY_LOAD:
        results["notes"].append(f"Other work was running (load average up to {busiest:.2f} on "
                                f"{os.cpu_count()} CPUs): these numbers are pessimistic.")
    if args.quick:
        results["notes"].append("Quick run: no x10 builds, one cold start each.")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the x10 builds; one cold start each")
    parser.add_argument("--skip-baseline", action="store_true", help="measure this assistant only")
    parser.add_argument("--cold-runs", type=int, default=None, help="fresh processes per cold start (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the questions for throughput")
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="folder for results.json and results.md")
    parser.add_argument("--report-only", action="store_true", help="rewrite results.md from results.json")
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
        (args.out / "results.md").write_text(report.markdown(results), encoding="utf-8")
        return 0
    args.cold_runs = args.cold_runs or (1 if args.quick else 3)
    try:
        results = run(args)
    except ChildFailed as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(report.markdown(results), encoding="utf-8")
    print(report.markdown(results))
    missed = [t["name"] for t in results["targets"] if t["met"] is False]
    print(f"[bench] wrote {args.out / 'results.json'} and {args.out / 'results.md'}"
          + (f"; targets missed: {', '.join(missed)}" if missed else "; every measured target met"), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
