"""The report's chart: each rate metric as a pair of bars (this assistant, the baseline) with its
target marked, and the dangerous-error count in the title. Matplotlib with the Agg backend, so it
draws without a display.
"""

from __future__ import annotations

from pathlib import Path

ASSISTANT, BASELINE, TARGET = "#1f6f8b", "#b0b0b0", "#d1495b"


def write_chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = [r for r in report["metrics"] if r["kind"] == "rate"]
    counts = [r for r in report["metrics"] if r["kind"] == "count"]
    height = 0.38
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(rows) + 1.6), dpi=110)
    for i, row in enumerate(rows):
        y = len(rows) - 1 - i
        for offset, system, colour in ((height / 2, "assistant", ASSISTANT), (-height / 2, "baseline", BASELINE)):
            value = row[system]["value"]
            if value is None:
                ax.text(0.01, y + offset, "n.a.", va="center", fontsize=7, color="#666666")
                continue
            ax.barh(y + offset, value, height=height, color=colour)
            ax.text(min(value, 1.0) + 0.01, y + offset, f"{value:.2f}", va="center", fontsize=7)
        if row["target"] is not None:
            met = row["assistant"]["met"]
            ax.plot([row["target"]] * 2, [y - 0.45, y + 0.45], color=TARGET, linewidth=2)
            ax.text(1.12, y, "pass" if met else "FAIL", va="center", fontsize=8,
                    color="#2e7d32" if met else TARGET, fontweight="bold")
    labels = [r["label"] + (" (lower is better)" if r["lower_is_better"] else "") for r in rows]
    ax.set_yticks(range(len(rows)), labels[::-1], fontsize=8)
    ax.set_xlim(0, 1.2)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    handles = [Patch(color=ASSISTANT, label="this assistant"), Patch(color=BASELINE, label="naive llama-index baseline"),
               Line2D([], [], color=TARGET, linewidth=2, label="target")]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8, frameon=False)
    title = "; ".join(f"{r['label']}: {r['assistant']['value']:g} (target {r['target_text']})" for r in counts
                      if r["assistant"]["value"] is not None)
    fig.suptitle(title, fontsize=9, y=0.995)
    ax.grid(axis="x", linestyle=":", alpha=0.5)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
