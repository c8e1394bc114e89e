"""The benchmark's own logic (not its timings): the replicated corpus, the target checks, the table,
and reading ``-X importtime`` output. ``make bench`` runs the measurements themselves."""

from __future__ import annotations

from assistant.config import PROJECT_ROOT
from assistant.ingest.documents import load_documents
from bench import report
from bench.corpus_copies import replicate, variant
from bench.processes import import_costs


def test_replicated_corpus_loads_with_renamed_varied_copies(tmp_path):
    original = load_documents(PROJECT_ROOT / "corpus")
    copies = load_documents(replicate(PROJECT_ROOT / "corpus", tmp_path / "x3", 3))
    assert len(copies) == 3 * len(original) and len({d.id for d in copies}) == len(copies)
    by_id = {d.id: d for d in copies}
    for doc in original:
        assert by_id[f"{doc.id}-copy1"].text == doc.text  # the first copy is the document itself
        second = by_id[f"{doc.id}-copy2"].text
        assert second != doc.text and second.count("\n") == doc.text.count("\n")
    assert variant("The cat and the dog", 2) == "This cat plus this dog"


def test_targets_and_linearity():
    build_1x = {"build_s": 10.0, "texts_embedded": 1000, "passages": 100}
    results = {
        "ours": {"build_1x": build_1x, "cold_start": {"median_s": 5.0},
                 "serve": {"warm": {"p95_ms": 20.0}, "peak_rss_mb": 300.0}},
        "linearity": report.linearity(build_1x, {"build_s": 130.0, "texts_embedded": 10000, "passages": 1000}),
    }
    assert abs(results["linearity"]["ratio"] - 1.3) < 1e-9
    met = {row["name"]: row["met"] for row in report.check_targets(results)}
    assert met == {
        "Warm answer latency p95 (ms)": True,
        "Cold start, fresh process to first answer (s)": False,
        "Peak RSS while serving (MB)": True,
        "Index build, five documents (s)": True,
        "Build growth: s per text at 10x / at 1x": False,
    }
    results["targets"] = report.check_targets(results)
    table = report.markdown(results)
    assert "| Cold start, fresh process to first answer (s) | ≤ 4.00 | 5.00 | **no** |" in table
    assert "| Index build, 5 documents (s, in process) | 10.00 | – | – |" in table


def test_import_costs_ranks_packages_by_cumulative_time():
    stderr = "\n".join([
        "import time: self [us] | cumulative | imported package",
        "import time:       120 |        120 |   numpy.core",
        "import time:       300 |     900000 | chromadb",
        "import time:       200 |     150000 |     chromadb.api",
        "import time:        50 |      40000 | yaml",
        "some other line",
    ])
    assert import_costs(stderr) == [
        {"package": "chromadb", "seconds": 0.9},
        {"package": "yaml", "seconds": 0.04},
        {"package": "numpy", "seconds": 0.0},
    ]
