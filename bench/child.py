"""What each benchmark child process does: ``python -m bench.child TASK JSON-ARGS``.

Each task prints progress on stderr and, last, one line ``RESULT {json}`` on stdout. Cold-start
tasks also print ``READY`` the moment the first answer exists, so the parent can time a fresh
process from its start to its first answer. Nothing heavy is imported before a task starts.
"""

from __future__ import annotations

import json
import resource
import sys
import time

STARTED = time.perf_counter()
HEAVY = ("torch", "transformers", "sentence_transformers", "llama_index", "streamlit", "presidio_analyzer",
         "spacy", "sklearn", "pandas", "matplotlib", "scipy", "chromadb", "onnxruntime", "grpc", "opentelemetry")
COLD_QUESTION = "Can I share information about a child without their parents' consent?"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def heavy_modules() -> list[str]:
    return sorted({name.split(".")[0] for name in sys.modules} & set(HEAVY))


def _say(text: str) -> None:
    print(f"    {text}", file=sys.stderr, flush=True)


def _percentiles(samples: list[float]) -> dict:
    import numpy as np

    ms = np.asarray(samples) * 1000
    return {"n": len(samples), "p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
            "mean_ms": float(ms.mean()), "max_ms": float(ms.max())}


def _questions() -> list[str]:
    from eval.cases import retrieval_cases

    return [case["question"] for case in retrieval_cases()]


# ---------------------------------------------------------------- this assistant
def _settings(args: dict):
    from pathlib import Path

    from assistant import Settings

    return Settings.from_env().with_(corpus_dir=Path(args["corpus"]), index_dir=Path(args["index"]))


def build_ours(args: dict) -> dict:
    from assistant.indexing import models
    from assistant.indexing.index import build_index, read_manifest

    from assistant import Settings

    settings = _settings(args)
    # the embedder trained for the project's own corpus (a replicated corpus has other question files)
    embedder = models.load(Settings.from_env())
    ready = time.perf_counter()
    report = build_index(settings, embedder, progress=False)
    manifest = read_manifest(settings)[0]
    return {"build_s": report.seconds, "process_s": time.perf_counter() - STARTED, "model_load_s": ready - STARTED,
            "documents": report.documents, "passages": report.passages,
            "records": report.passages + manifest["sentence_count"], "texts_embedded": report.embedded,
            "peak_rss_mb": peak_rss_mb()}


def _cold(load, ask) -> dict:
    """Time a cold start the same way for both systems: imports, then load, then the first answer."""
    imported = time.perf_counter()
    system = load()
    loaded = time.perf_counter()
    ask(system, COLD_QUESTION)
    answered = time.perf_counter()
    print("READY", flush=True)
    return {"import_s": imported - STARTED, "load_s": loaded - imported, "first_answer_s": answered - loaded,
            "in_process_s": answered - STARTED, "heavy_modules": heavy_modules(), "peak_rss_mb": peak_rss_mb()}


def cold_ours(args: dict) -> dict:
    from assistant import Assistant

    return _cold(lambda: Assistant.load(_settings(args)), lambda assistant, q: assistant.answer(q))


def serve_ours(args: dict) -> dict:
    from assistant import Assistant

    assistant = Assistant.load(_settings(args))
    questions = _questions()
    assistant.answer(COLD_QUESTION)  # the first answer is the cold one; the rest are warm
    return _serve(lambda q: assistant.answer(q), questions, args) | {
        "search_only": _warm(lambda q: assistant.retriever.search(q, k=5), questions),
    }


# ---------------------------------------------------------------- the naive baseline
def _baseline(persist: str):
    from assistant import offline_environment

    offline_environment()
    from llama_index.core import Settings as LlamaSettings, StorageContext, load_index_from_storage
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    from assistant.indexing.embedder import packaged_model_dir
    from eval.baseline import NaiveBaseline

    LlamaSettings.llm = None
    embed = HuggingFaceEmbedding(model_name=str(packaged_model_dir()), device="cpu", show_progress_bar=False)
    index = load_index_from_storage(StorageContext.from_defaults(persist_dir=persist), embed_model=embed)
    return NaiveBaseline(index.as_retriever(similarity_top_k=5), embed, 0.0, len(index.docstore.docs))


def build_baseline(args: dict) -> dict:
    from assistant import Settings
    from pathlib import Path

    from eval.baseline import NaiveBaseline

    baseline = NaiveBaseline.build(Settings(corpus_dir=Path(args["corpus"])))
    built = time.perf_counter()
    if args.get("persist"):
        baseline.retriever._index.storage_context.persist(persist_dir=args["persist"])
    return {"build_s": baseline.build_seconds, "process_s": built - STARTED, "chunks": baseline.chunks,
            "persist_s": time.perf_counter() - built, "peak_rss_mb": peak_rss_mb()}


def cold_baseline(args: dict) -> dict:
    return _cold(lambda: _baseline(args["persist"]), lambda baseline, q: baseline.search(q))


def serve_baseline(args: dict) -> dict:
    baseline = _baseline(args["persist"])
    baseline.search(COLD_QUESTION)
    return _serve(lambda q: baseline.search(q, k=5), _questions(), args)


# ---------------------------------------------------------------- shared measurements
def _warm(ask, questions: list[str]) -> dict:
    samples = []
    for question in questions:
        started = time.perf_counter()
        ask(question)
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _serve(ask, questions: list[str], args: dict) -> dict:
    from concurrent.futures import ThreadPoolExecutor

    _say(f"warm latency over {len(questions)} questions")
    warm = _warm(ask, questions)
    threads, rounds = int(args.get("threads", 8)), int(args.get("rounds", 2))
    work = questions * rounds
    _say(f"throughput: {len(work)} questions on {threads} threads")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(ask, work))
    seconds = time.perf_counter() - started
    return {"warm": warm, "throughput": {"threads": threads, "questions": len(work), "seconds": seconds,
                                         "per_second": len(work) / seconds},
            "peak_rss_mb": peak_rss_mb(), "heavy_modules": heavy_modules()}


TASKS = {f.__name__.replace("_", "-"): f for f in (build_ours, cold_ours, serve_ours, build_baseline, cold_baseline,
                                                   serve_baseline)}


def main(argv: list[str]) -> int:
    task, args = argv[0], json.loads(argv[1]) if len(argv) > 1 else {}
    result = TASKS[task](args)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
