"""The app in a real browser: `streamlit run app.py` headless on 127.0.0.1, driven by Debian's
Chromium through Playwright (never a downloaded browser).

It asks a question and waits for the answer and a citation to render (not Streamlit's loading
skeleton), follows one decision to its outcome by clicking, opens a training scenario, and saves
screenshots of a 1280x900 window under screenshots/ (git-ignored; one is copied to docs/ by hand).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app_support import app_environment
from assistant.config import PROJECT_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = PROJECT_ROOT / "screenshots"
OUTCOMES = ("You can share", "Do not share", "Seek advice before sharing")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"streamlit did not become healthy in {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed: run `make browser` (apt-get install chromium chromium-driver)")
    tmp = tmp_path_factory.mktemp("browser")
    env = {**os.environ, **app_environment(request, tmp / "var")}
    port, log = _free_port(), tmp / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(server, browser):
    SHOTS.mkdir(exist_ok=True)
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    tab.set_default_timeout(60_000)
    tab.goto(server)
    yield tab
    tab.close()


def _wait_until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def _ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")


def _settle(page) -> None:
    """Wait until Streamlit has finished the current run (no "running" status widget)."""
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=60_000)


def _open_expander(page, label: str, inside) -> None:
    """Open the expander headed `label` until `inside` shows. On a slow machine a click that lands
    while Streamlit re-renders the expander can be lost, so it is clicked again (at most three times)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        page.get_by_text(label).click()
        try:
            inside.wait_for(timeout=15_000)
            return
        except PlaywrightTimeout:  # the click was lost; the next one retries
            _settle(page)
    inside.wait_for()


def test_question_answer_and_citation_render(page):
    page.get_by_text("Ask about sharing information").first.wait_for()
    page.get_by_role("button", name="What does the guidance say about consent?").wait_for()
    page.screenshot(path=str(SHOTS / "00-empty-state.png"))
    _ask(page, "What does the guidance say about consent?")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    answer.get_by_text("Here is what").wait_for()
    citation = answer.get_by_test_id("stExpander").first
    citation.wait_for()
    assert "[1]" in citation.inner_text()
    _settle(page)
    page.screenshot(path=str(SHOTS / "01-answer.png"))
    links = answer.locator('a[href^="#src-0-"]')  # each [n] links to its source
    assert links.count() >= 1
    for href in {links.nth(i).get_attribute("href") for i in range(links.count())}:
        assert page.locator(href).count() == 1, f"no source with the id {href}"
    last = links.last
    target = page.locator(last.get_attribute("href"))
    page.evaluate("window.scrollTo(0, 0)")
    last.click()
    page.wait_for_timeout(500)
    box = target.locator("xpath=..").bounding_box() or target.bounding_box()
    assert box is not None and 0 <= box["y"] <= page.viewport_size["height"], box
    citation.locator("summary").click()
    citation.locator("strong").first.wait_for()  # the quoted sentence, highlighted in its passage
    page.wait_for_timeout(400)
    page.screenshot(path=str(SHOTS / "01b-citation.png"))


def test_decision_clicked_through_to_an_outcome(page):
    _ask(page, "Can I share a pupil's disclosure with social care if the parents say no?")
    page.get_by_text("I'll follow the flowchart of").wait_for()
    clicks = 0
    reached = page.get_by_role("heading", name=re.compile("^(" + "|".join(OUTCOMES) + ")$"))
    for clicks in range(10):
        _settle(page)
        if reached.count():
            break
        if clicks == 1:
            page.screenshot(path=str(SHOTS / "02a-decision-question.png"))
        page.get_by_role("button", name="Yes", exact=True).last.click()
    else:
        pytest.fail("no outcome after ten answers")
    assert clicks >= 1  # at least one question was answered by clicking
    reached.first.wait_for()
    _settle(page)
    _open_expander(page, "Fill in and download the decision record", page.get_by_role("button", name="Markdown"))
    assert page.get_by_test_id("stGraphVizChart").count() >= 1
    page.get_by_text("I'll follow the flowchart of").last.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "02-decision.png"))


def test_trainer_scenario_steps_and_reveals(page):
    page.get_by_role("link", name="Training scenarios").click()
    page.get_by_role("heading", name="Training scenarios").wait_for()
    answered = page.get_by_text(re.compile(r"^Question \d+: "))
    for step in range(12):
        _settle(page)
        if page.get_by_role("button", name="Reveal the outcome").count():
            break
        page.get_by_role("button", name="Reveal the answer").click()
        _wait_until(lambda: answered.count() > step, f"answer {step + 1} to be revealed")
    assert answered.count() >= 1  # questions were stepped through one at a time before the outcome
    page.get_by_role("button", name="Reveal the outcome").click()
    page.get_by_text("What the guidance says").wait_for()
    _settle(page)
    page.screenshot(path=str(SHOTS / "03-scenario.png"))


def test_topics_and_documents_pages(page):
    page.get_by_role("link", name="What each document says").click()
    page.get_by_text("Hertfordshire 2024").first.wait_for()
    _settle(page)
    page.screenshot(path=str(SHOTS / "04-topics.png"))
    page.get_by_role("link", name="Documents").click()
    page.get_by_text("Browse a document").wait_for()
    _settle(page)
    page.screenshot(path=str(SHOTS / "05-documents.png"))


def test_several_sessions_at_once_each_get_their_own_answer(server, browser):
    """Three browser sessions (separate contexts, so separate Streamlit sessions) on one server send
    their questions back to back, so the server answers them at the same time from its one cached
    assistant: each gets its own kind of answer, and none sees another's question."""
    sessions = {
        "What does the guidance say about consent?": "Here is what",
        "GDPR stops me sharing information about children": "common myth",
        "What's a good recipe for a vegetarian lasagne?": "won't guess",  # either decline (not covered, or not about sharing)
    }
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in sessions]
    try:
        tabs = {}
        for question, context in zip(sessions, contexts):
            tab = context.new_page()
            tab.set_default_timeout(90_000)
            tab.goto(server)
            tab.get_by_test_id("stChatInputTextArea").fill(question)
            tabs[question] = tab
        for tab in tabs.values():  # all three questions in flight together
            tab.get_by_test_id("stChatInputTextArea").press("Enter")
        for question, tab in tabs.items():
            answer = tab.get_by_test_id("stChatMessage").nth(1)
            answer.get_by_text(sessions[question]).first.wait_for()
            chat = "\n".join(tab.get_by_test_id("stChatMessage").all_inner_texts())
            assert question in chat
            assert not [other for other in sessions if other != question and other in chat]
    finally:
        for context in contexts:
            context.close()


# ---------------------------------------------------------------- a disclosure, on a desktop and on a phone (issue 14)
DISCLOSURE = ("A pupil told me something this morning and I think a child in my class may be at risk of "
              "significant harm. Can I share with the school nurse?")
SIZES = {"desktop": (1400, 1000), "phone": (390, 844)}


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= height


@pytest.mark.parametrize("size", list(SIZES))
def test_a_disclosure_walked_to_its_outcome_keeps_the_outcome_in_view(server, browser, size):
    width, height = SIZES[size]
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(server)
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for()
        page.wait_for_timeout(800)
        right_edge = page.evaluate("() => { const s = document.querySelector('[data-testid=stSidebar]');"
                                  " return s ? s.getBoundingClientRect().right : 0; }")
        if size == "phone":  # collapsed by default, so the chat input is not covered
            assert right_edge <= 10, right_edge
            at = box.bounding_box()
            hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('[data-testid=stChatInput]') !== null",
                                [at["x"] + at["width"] / 2, at["y"] + at["height"] / 2])
            assert hit, "something covers the chat input"
            assert at["x"] >= 0 and at["x"] + at["width"] <= width
        else:
            assert right_edge > 200, right_edge  # open on a desktop
        page.screenshot(path=str(SHOTS / f"10-{size}-empty.png"))
        _ask(page, DISCLOSURE)
        page.get_by_text("I'll follow the flowchart of").wait_for()
        _settle(page)
        advice = page.get_by_test_id("stChatMessage").nth(1).get_by_test_id("stAlert").first
        assert re.search(r"(Don't sit on a worry|Refer now|Act now)", advice.inner_text()), advice.inner_text()
        _wait_until(lambda: _in_viewport(page, advice), "the advice to be scrolled into view after asking", 6)
        page.screenshot(path=str(SHOTS / f"11-{size}-first-question.png"))
        reached = page.get_by_role("heading", name=re.compile("^(" + "|".join(OUTCOMES) + ")$"))
        for clicks in range(10):
            if reached.count():
                break
            page.get_by_role("button", name="Yes", exact=True).last.click()
            _settle(page)
        else:
            pytest.fail("no outcome after ten answers")
        assert clicks >= 1
        outcome = reached.first
        _wait_until(lambda: _in_viewport(page, outcome), "the outcome to be in view after the last click", 6)
        page.screenshot(path=str(SHOTS / f"12-{size}-outcome.png"))
        box = page.get_by_test_id("stChatInputTextArea")
        assert box.is_visible() and box.is_editable()
        marks = page.locator('a[href^="#card-"]')  # the card's [n] markers link to its sources
        assert marks.count() >= 1
        for href in {marks.nth(i).get_attribute("href") for i in range(marks.count())}:
            assert page.locator(href).count() == 1, f"no source with the id {href}"
        if size == "desktop":  # the flowchart's labels are legible on a projector
            sizes = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stGraphVizChart] svg')].map(svg => {
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale));
            })""")
            assert sizes and min(sizes) >= 12, sizes
            page.get_by_text("Compare documents").last.click()
            page.get_by_text("The same facts through each document's flowchart").wait_for()
            _settle(page)
            page.get_by_text("The same facts through each document's flowchart").scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"13-{size}-compare.png"))
            clipped = page.evaluate("""() => [...document.querySelectorAll('[class*="st-key-flow_compare_col_"] span')]
                .filter(s => s.scrollWidth > s.clientWidth + 1 && getComputedStyle(s).overflow !== 'visible')
                .map(s => s.innerText)""")
            assert not clipped, clipped  # whole badges and words, never cut off
    finally:
        context.close()
