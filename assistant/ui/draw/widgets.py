"""Drawing pieces shared by the pages: citations, answers, outcomes, the compare view.

Rendering only. Text from the corpus or typed by a user reaches st.markdown escaped by
assistant.ui.markdown; nothing here uses unsafe_allow_html.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from assistant.ui.markdown import (
    citation_header, first_of_each_document, highlight, legal_badges, linked, locate, md_escape,
)
from assistant.ui.browse import place
from assistant.ui.card import numbered_conditions
from assistant.ui.draw.common import documents
from assistant.ui.state import answer_body, comparison_rows, outcome_title, verdict
from assistant.ui.text import ui
from assistant.ui.state import OUTCOME_STYLES


def citations(items: Sequence[Mapping], *, caption: str | None = None, anchor: str | None = None) -> None:
    """Each citation: header (title, section, date) as the label of an expander holding the whole
    passage with the quoted sentences highlighted. A document's legal-currency note is shown once,
    on its first source. With ``anchor``, each source gets the id ``{anchor}-{n}``, which the
    answer's [n] markers link to."""
    if not items:
        return
    st.caption(caption or ui("ask", "sources"))
    for number, (item, first) in enumerate(zip(items, first_of_each_document(items)), 1):
        label = " ".join([citation_header(item), *(legal_badges(item) if first else [])])
        with st.container(gap=None):
            if anchor and item.get("n") is not None:
                st.html(f'<span id="{anchor}-{int(item["n"])}"></span>')
            with st.expander(label):
                st.markdown(highlight(item["passage"], item.get("quotes") or item["quote"]))
                for note in (item.get("legal_notes") or []) if first else []:
                    st.caption(f"⚠ {md_escape(note['note'])}")
                if anchor:
                    st.button(ui("ask", "open_in_documents"), key=f"open-{anchor}-{number}", type="tertiary",
                              icon=":material/description:", on_click=_open_document,
                              args=(item["doc_id"], item["passage_start"]))


def _open_document(doc_id: str, start: int) -> None:
    """Open the Documents page at the section holding a source (its selectboxes read these keys)."""
    doc = documents()[doc_id]
    st.session_state["browse_doc"] = doc_id
    st.session_state[f"browse_section_{doc_id}"] = place(doc, start)
    st.session_state["open_documents"] = True


def answer(turn: Mapping, anchor: str | None = None) -> None:
    """An assistant answer: the urgent banner, the verdict of a myth, the text, its citations."""
    if turn.get("banner"):
        st.error(linked(turn["banner"], turn.get("citations") or [], anchor), icon=":material/emergency:")
    found = verdict(turn)
    if found:  # a myth is good news ("you may share"): blue, never a red stop sign
        colour, icon = ("blue", ":material/lightbulb:") if found["is_myth"] else ("green", ":material/check_circle:")
        st.markdown(f"### :{colour}[{icon} {found['label']}]")
        st.markdown(f"{ui('ask', 'myth_caption')} *{md_escape(found['statement'])}*")
    st.markdown(linked(answer_body(turn), turn.get("citations") or [], anchor))
    citations(turn.get("citations") or [], anchor=anchor)


def outcome(decision) -> None:
    """The outcome of a walked flowchart, large and in the colour of its kind, with the lawful basis."""
    box = {"success": st.success, "error": st.error, "warning": st.warning, "info": st.info}
    icons = {"success": ":material/check_circle:", "error": ":material/block:", "warning": ":material/help:",
             "info": ":material/info:"}
    style = OUTCOME_STYLES[decision.outcome]
    text = f"## {outcome_title(decision.outcome)}\n\n{ui('decision', 'following', flowchart=md_escape(decision.flowchart_title))}"
    if decision.lawful_basis:
        text += f"\n\n**{ui('decision', 'lawful_basis')}** {md_escape(decision.lawful_basis)}"
    box[style](text, icon=icons[style])


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


def compare(facts: Mapping[str, str], reference: str, key: str, on_answer=None) -> None:
    """Each flowchart's outcome for the same facts, two to a row; the ones that differ stand out and
    say why in plain words. A flowchart still missing an answer asks for it here (``on_answer(fact,
    value)`` is called with it)."""
    rows = comparison_rows(facts, reference)
    st.caption(ui("decision", "compare_caption", reference=rows[0]["title"]))
    if not any(row["differs"] for row in rows):
        st.info(ui("decision", "compare_same"))
    labels = ui("decision", "buttons")
    for start in range(0, len(rows), 2):
        for column, row in zip(st.columns(2), rows[start:start + 2]):
            with column.container(border=True, key=f"{key}_{row['flowchart']}"):
                st.markdown(f"**{md_escape(row['title'])}**")
                if row["is_reference"]:
                    st.caption(ui("decision", "compare_reference"))
                badge = "orange" if row["differs"] else "gray"
                st.markdown(f":{badge}-badge[{outcome_title(row['outcome'])}]")
                st.caption(md_escape(row["settled_by"]))
                if row["differs"] and row["why"]:
                    st.warning(md_escape(row["why"]), icon=":material/compare_arrows:")
                if row["next_fact"] and on_answer is not None:
                    st.caption(ui("decision", "answer_missing"))
                    with st.container(horizontal=True):
                        for value in ("yes", "no", "unsure"):
                            st.button(labels[value], key=f"{key}_{row['flowchart']}_{value}", on_click=on_answer,
                                      args=(row["next_fact"], value))
