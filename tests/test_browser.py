"""The entity and thread pages in a real headless Chromium (Debian's, driven by Playwright).

A real `datasette serve` runs on 127.0.0.1 with the project's metadata and plugin; the
entity page must draw the neighbourhood graph (vis-network, served locally) and a click on
a node must show that entity's claims; a thread page must show its status, history and
claims, and its links must lead to the claim that caused a change. Skipped only when
/usr/bin/chromium is absent.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from playwright import sync_api

from kb.serving import metadata_for
from test_datasette import build_sample_db
from test_thread_page import build_story

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    db = build_sample_db(tmp / "news.db")
    story = build_story(tmp / "story.db")
    meta = tmp / "metadata.json"
    meta.write_text(json.dumps(metadata_for(db)), encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "datasette", "serve", str(db), str(story), "--metadata", str(meta),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"datasette exited: {proc.stderr.read().decode()[-500:]}")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


NODE_POSITION = """(name) => {
  const net = window.kbNetwork, nodes = net.body.data.nodes;
  const id = nodes.getIds().find((i) => nodes.get(i).label === name);
  const p = net.canvasToDOM(net.getPositions([id])[id]);
  const box = document.getElementById('kb-graph').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}"""

DRAWN_PIXELS = """() => {
  const c = document.querySelector('#kb-graph canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++; }
  return n;
}"""


def watched_page(browser, server: str):
    """A new page, with the script errors it raises and the requests it makes outside `server`."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server) else external.append(r.url))
    return page, errors, external


def test_entity_page_draws_graph_and_click_shows_claims(server: str, browser) -> None:
    page, errors, external = watched_page(browser, server)
    page.goto(f"{server}/-/kb/entity/news?name=Line")
    page.wait_for_selector("#kb-graph[data-ready]", timeout=30_000)
    assert page.locator("h1").inner_text().startswith("Line")
    assert int(page.get_attribute("#kb-graph", "data-nodes")) == 8
    assert page.evaluate("() => window.kbNetwork.body.data.nodes.length") == 8
    assert page.evaluate(DRAWN_PIXELS) > 2000  # nodes, labels and edges are on the canvas

    pos = page.evaluate(NODE_POSITION, "Naver")
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_selector("#kb-panel h3", timeout=10_000)
    panel = page.locator("#kb-panel")
    assert panel.locator("h3 a").inner_text() == "Naver"
    assert "Claims by Naver (1)" in panel.inner_text()
    assert "Line could resume service in China if the restrictions are lifted" in panel.inner_text()

    pos = page.evaluate(NODE_POSITION, "Korean diplomat")
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_function("() => document.querySelector('#kb-panel h3 a')?.textContent === 'Korean diplomat'")
    assert "Claims by Korean diplomat (2)" in panel.inner_text()
    assert "have not lifted the blockage" in panel.inner_text()
    assert errors == [] and external == []
    page.close()


def test_thread_page_shows_history_and_links_to_the_causing_claim(server: str, browser) -> None:
    with urllib.request.urlopen(f"{server}/story/claim_threads.json?_shape=array&event=pay") as r:
        [thread] = json.load(r)
    page, errors, external = watched_page(browser, server)
    page.goto(f"{server}/-/kb/thread/story/{thread['id']}")
    assert page.locator("h1").inner_text() == "Greece, International Monetary Fund: pay (by 2015-06-30)"
    badge = page.locator(".kb-status-line .kb-status")
    assert badge.inner_text() == "contradicted"
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(246, 196, 196)"  # thread.css loaded
    history = page.locator("table.kb-history tbody tr")
    assert history.count() == 2
    assert history.nth(1).locator("td").nth(3).inner_text() == "the latest statements deny it"
    claims = page.locator("table.kb-thread-claims tbody tr")
    assert claims.count() == 5
    assert claims.nth(4).locator("td").nth(2).inner_text().strip() == "the article itself"

    history.nth(1).locator("a.kb-cite").click()               # the claim that contradicted it
    target = page.locator("table.kb-thread-claims tr:target")
    assert "Greece will not pay the IMF today" in target.inner_text()
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 247, 214)"
    assert target.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")

    page.locator("text=Alexis Tsipras").first.click()         # entities link to their pages
    page.wait_for_url("**/-/kb/entity/story/*")
    assert page.locator("h1").inner_text().startswith("Alexis Tsipras")
    assert errors == [] and external == []
    page.close()


def test_question_answered_by_clicking_from_the_home_page(server: str, browser) -> None:
    """Who claimed China would lift the block, when, and where is the sentence? Three clicks."""
    page, errors, external = watched_page(browser, server)
    page.goto(f"{server}/")
    assert page.locator("h2", has_text="Newest claims").count() == 1
    page.fill("#kb-q", "China lift")
    page.press("#kb-q", "Enter")                                          # 1: search
    page.wait_for_selector(".kb-results-claims")
    page.locator("a.kb-claim-link", has_text="would soon lift").first.click()   # 2: the claim card
    page.wait_for_selector("blockquote.kb-sentence")
    assert "a Korean diplomat" in page.locator("blockquote.kb-sentence strong.kb-speaker").inner_text()
    assert "2014-08-04" in page.locator(".kb-kicker").inner_text()
    page.locator("a.kb-show-in-article").click()                          # 3: the sentence in its article
    focus = page.locator(".kb-article-text .kb-focus").first
    assert "would soon lift" in focus.inner_text()
    assert focus.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    assert errors == [] and external == []
    page.close()


NO_SIDEWAYS = "() => document.scrollingElement.scrollWidth <= innerWidth"


def test_kb_pages_need_no_horizontal_scrolling(server: str, browser) -> None:
    page, errors, external = watched_page(browser, server)
    for path in ("/", "/-/kb/search/news?q=China+lift", "/-/kb/claim/news/1", "/-/kb/article/news/1",
                 "/-/kb/entity/news/1", "/news/find_claims", "/-/kb/entity/news/abc"):
        page.goto(server + path)
        assert page.evaluate(NO_SIDEWAYS), path
    assert errors == [] and external == []
    page.close()
