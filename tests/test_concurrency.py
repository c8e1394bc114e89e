"""One loaded assistant shared by many threads (as the Streamlit app shares its cached one across
sessions): 8 threads x 100 questions, no errors, and every answer identical to the answer the same
question gets single-threaded. Some items are follow-ups in a per-thread conversation, as each
app session keeps its own ``Conversation`` while sharing the assistant.
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.answer.assistant import Assistant
from assistant.answer.conversation import Conversation
from eval import cases

THREADS = 8
PER_THREAD = 100


def _items() -> list[tuple[str | None, str]]:
    """100 (earlier question or None, question) pairs covering every route: passages, myths,
    decisions, urgent, out of scope, and follow-ups."""
    routes = (
        [m["question"] for m in cases.myth_items()[::4]][:15]
        + [s["question"] for s in cases.scenario_cases()][:10]
        + [u["question"] for u in cases.urgent_cases()[::4]][:8]
        + [o["question"] for o in cases.out_of_scope_cases()[::3]][:7]
    )
    passages = [c["question"] for c in cases.retrieval_cases()]
    questions = routes + passages[: PER_THREAD - 15 - len(routes)]
    follow_ups = [
        ("Can I share information without consent?", "what about with the police?"),
        ("Should I share this with social care?", "consent: no, there is a risk of significant harm"),
        ("What is the seven golden rules?", "and the first one?"),
        ("Do I need consent to share with a GP?", "and for a school?"),
        ("GDPR stops me sharing information about children.", "why?"),
    ]
    items = [(None, q) for q in questions] + follow_ups * 3
    assert len(items) == PER_THREAD, len(items)
    return items


def _ask(assistant: Assistant, item: tuple[str | None, str]) -> dict:
    earlier, question = item
    history = None
    if earlier is not None:
        history = Conversation()
        assistant.remember(history, assistant.answer(earlier, history))
    return assistant.answer(question, history).to_dict()


@pytest.fixture(scope="module")
def assistant(real_settings, real_retriever) -> Assistant:
    return Assistant.load(real_settings)


def test_eight_threads_get_the_single_threaded_answers(assistant):
    items = _items()
    expected = [_ask(assistant, item) for item in items]
    assert len({e["mode"] for e in expected}) == 4, "the items cover every route"
    assert any(e["follow_up"] for e in expected) and any(e["urgent"] for e in expected)

    start = threading.Barrier(THREADS)

    def worker(seed: int) -> list[tuple[int, dict]]:
        order = list(range(len(items)))
        random.Random(seed).shuffle(order)  # each thread asks in its own order: real interleaving
        start.wait()
        return [(i, _ask(assistant, items[i])) for i in order]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))  # any exception in a thread is raised here

    assert sum(len(r) for r in results) == THREADS * PER_THREAD
    for per_thread in results:
        for i, got in per_thread:
            assert got == expected[i], items[i]


# ---------------------------------------------------------------- the app: one cached assistant, many sessions
def test_app_sessions_share_one_assistant_and_keep_their_own_conversations(request, tmp_path, monkeypatch):
    """Four app sessions ask different questions: the assistant is loaded at most once for all of
    them (st.cache_resource), and each session's chat holds only its own question, answered exactly
    as the assistant answers it.

    The sessions run one after another: Streamlit's AppTest keeps per-process testing state and is
    not safe to run concurrently (concurrent instances race on it: a KeyError inside AppTest). That
    many threads can use the one shared assistant at once is what the 8-thread test above shows."""
    from streamlit.testing.v1 import AppTest

    from app_support import APP, app_environment
    from assistant.config import Settings

    for key, value in app_environment(request, tmp_path / "var").items():
        monkeypatch.setenv(key, value)
    loads: list[int] = []
    real_load = Assistant.load.__func__

    def counting_load(cls, settings=None):
        loaded = real_load(cls, settings)
        loads.append(id(loaded))
        return loaded

    monkeypatch.setattr(Assistant, "load", classmethod(counting_load))
    questions = ["Can I share information without consent?", "GDPR stops me sharing information about children.",
                 "What is the weather in Leeds?", "What are the seven golden rules?"]

    def session(question: str) -> list[dict]:
        app = AppTest.from_file(str(APP), default_timeout=120)
        app.run()
        app.chat_input[0].set_value(question).run()
        assert not app.exception, [e.value for e in app.exception]
        return app.session_state["turns"]

    sessions = [session(question) for question in questions]
    assert len(loads) <= 1, "one assistant for every session"
    reference = Assistant.load(Settings.from_env())
    for question, turns in zip(questions, sessions):
        assert [t["question"] for t in turns] == [question]
        expected = reference.answer(question).to_dict()
        assert {k: turns[0][k] for k in expected} == expected
