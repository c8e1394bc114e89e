"""Drawing pieces shared by the pages: citations, answers, outcomes, the compare view.

Rendering only. Text from the corpus or typed by a user reaches st.markdown escaped by
assistant.ui.markdown; nothing here uses unsafe_allow_html.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from assistant.ui.markdown import citation_header, highlight, legal_badges, locate, md_escape
from assistant.ui.state import answer_body, comparison_rows, numbered_conditions, outcome_title, verdict
from assistant.ui.text import ui
from assistant.ui.state import OUTCOME_STYLES


def citations(items: Sequence[Mapping], *, caption: str | None = None) -> None:
    """Each citation: header (title, section, date, legal badge) as the label of an expander
    holding the whole passage with the quoted sentence highlighted."""
    if not items:
        return
    st.caption(caption or ui("ask", "sources"))
    for item in items:
        label = " ".join([citation_header(item), *legal_badges(item)])
        with st.expander(label):
            st.markdown(highlight(item["passage"], item.get("quotes") or item["quote"]))
            for note in item.get("legal_notes") or []:
                st.caption(f"⚠ {md_escape(note['note'])}")


def answer(turn: Mapping) -> None:
    """An assistant answer: the urgent banner, the verdict of a myth, the text, its citations."""
    if turn.get("banner"):
        st.error(turn["banner"], icon=":material/emergency:")
    found = verdict(turn)
    if found:
        colour = "red" if found["is_myth"] else "green"
        st.markdown(f"### :{colour}[{'✗' if found['is_myth'] else '✓'} {found['label']}]")
        st.markdown(f"{ui('ask', 'myth_caption')} *{md_escape(found['statement'])}*")
    st.markdown(answer_body(turn))
    citations(turn.get("citations") or [])


def outcome(decision) -> None:
    """The outcome of a walked flowchart, in the colour of its kind, with the lawful basis."""
    box = {"success": st.success, "error": st.error, "warning": st.warning, "info": st.info}

    text = f"**{outcome_title(decision.outcome)}** — {md_escape(decision.flowchart_title)}"
    if decision.lawful_basis:
        text += f"\n\n{ui('decision', 'lawful_basis')} {md_escape(decision.lawful_basis)}"
    box[OUTCOME_STYLES[decision.outcome]](text)


def _listed(lines) -> str:
    return "\n".join(f"- {md_escape(text)} " + "".join(f"\\[{n}\\]" for n in numbers) for text, numbers in lines)


def conditions(decision, docs: Mapping) -> None:
    """The referral route (when harm is suspected), the conditions, and their sources by passage."""
    referral = list(decision.referral or ())
    lines, sources = numbered_conditions(list(decision.conditions) + referral, lambda d, q: locate(docs[d], q))
    split = len(lines) - len(referral)
    if referral:
        st.warning(f"**{ui('decision', 'referral')}**\n\n" + _listed(lines[split:]), icon=":material/call:")
    st.markdown(f"**{ui('decision', 'conditions')}**")
    st.markdown(_listed(lines[:split]))
    citations(sources)


def compare(facts: Mapping[str, str], reference: str, key: str) -> None:
    """Each flowchart's outcome for the same facts, side by side; the ones that differ stand out."""
    rows = comparison_rows(facts, reference)
    st.caption(ui("decision", "compare_caption", reference=rows[0]["title"]))
    if not any(row["differs"] for row in rows):
        st.info(ui("decision", "compare_same"))
    for column, row in zip(st.columns(len(rows)), rows):
        with column.container(border=True, key=f"{key}_{row['flowchart']}"):
            st.markdown(f"**{md_escape(row['title'])}**")
            if row["is_reference"]:
                st.caption(ui("decision", "compare_reference"))
            badge = "orange" if row["differs"] else "gray"
            st.markdown(f":{badge}-badge[{outcome_title(row['outcome'])}]")
            st.caption(md_escape(row["settled_by"]))
            if row["differs"] and row["why"]:
                st.warning(md_escape(row["why"]), icon=":material/compare_arrows:")
