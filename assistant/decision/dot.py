"""Graphviz DOT text for a flowchart, with a decision's path highlighted.

The Streamlit app draws this with ``st.graphviz_chart``; building it here as a plain string keeps
the drawing testable and free of any graphics library. Questions are boxes, outcomes are ovals,
edges are labelled yes / no / unsure; the path taken is drawn bold and blue, the outcome reached
is outlined thickly, and the question waiting for an answer is yellow with a double border.
"""

from __future__ import annotations

import textwrap

from assistant.decision.engine import Decision
from assistant.errors import BadInput
from assistant.decision.models import ANSWERS, ENDPOINTS, load_flowchart


_OUTCOME_STYLE = {
    "share": ("Share", "#d1e7dd"),
    "do_not_share": ("Do not share", "#f8d7da"),
    "seek_advice": ("Seek advice", "#e2e3e5"),
}
_TAKEN = "#0b5ed7"


def _quote(text: str) -> str:
    """A DOT double-quoted string; line breaks become centred \\n breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


def _wrap(text: str, width: int = 26) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def to_dot(flowchart_id: str, decision: "Decision | None" = None) -> str:
    chart = load_flowchart(flowchart_id)
    if decision is not None and decision.flowchart != chart.id:
        raise BadInput(f"That decision was made with flowchart {decision.flowchart!r}, not {chart.id!r}")
    visited = {step.node for step in decision.path} if decision else set()
    taken = {(step.node, step.answer) for step in decision.path} if decision else set()
    current = decision.next_question.node if decision and decision.next_question else None
    reached = decision.outcome if decision and decision.outcome in ENDPOINTS else None

    lines = [
        f"digraph {_quote(chart.id)} {{",
        f"  graph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label={_quote(chart.title)}];",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=16, margin="0.15,0.08"];',
        '  edge [fontname="Helvetica", fontsize=14];',
    ]
    for node in chart.nodes:
        attrs = [f"label={_quote(_wrap(node.question))}"]
        if node.id == current:
            attrs += ['fillcolor="#fff3cd"', "peripheries=2", "penwidth=2"]
        elif node.id in visited:
            attrs += ['fillcolor="#cfe2ff"', f'color="{_TAKEN}"', "penwidth=2"]
        lines.append(f"  {_quote(node.id)} [{', '.join(attrs)}];")
    used = {node.edge(answer) for node in chart.nodes for answer in ANSWERS} & set(ENDPOINTS)
    for outcome in ENDPOINTS:
        if outcome not in used:
            continue
        label, colour = _OUTCOME_STYLE[outcome]
        attrs = [f"label={_quote(label)}", "shape=ellipse", f'fillcolor="{colour}"']
        if outcome == reached:
            attrs += [f'color="{_TAKEN}"', "penwidth=3"]
        lines.append(f"  {_quote(outcome)} [{', '.join(attrs)}];")
    for node in chart.nodes:
        for answer in ANSWERS:
            attrs = [f"label={_quote(answer)}"]
            if (node.id, answer) in taken:
                attrs += [f'color="{_TAKEN}"', f'fontcolor="{_TAKEN}"', "penwidth=2.5"]
            lines.append(f"  {_quote(node.id)} -> {_quote(node.edge(answer))} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
