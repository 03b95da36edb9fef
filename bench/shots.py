"""Screenshots of the kb pages at 1280 px in headless Chromium, and the clicks a journalist
needs from the home page to the source sentence of the seed's "would soon lift" claim.

    .venv/bin/python bench/shots.py [--db demo.db] [--out bench/shots]

Builds the demo database (offline) unless --db names one, serves it with `kb serve` on a free
local port, opens each page in Debian's /usr/bin/chromium (Playwright, no download), saves a
full-page PNG per page under bench/shots/ (not committed) and reports, per page, whether the
main content needs horizontal scrolling. Then it answers the question by clicking: home ->
search "China lift" -> the claim -> "Show this sentence in its article", and prints the count.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
KB = str(Path(sys.executable).with_name("kb"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, proc: subprocess.Popen, tries: int = 300) -> None:
    """Wait (0.1 s steps) until the server at `base` answers; stop if its process exits."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("kb serve exited")
            time.sleep(0.1)


@contextlib.contextmanager
def served(db: str | None = None) -> Iterator[tuple[str, str]]:
    """(base URL, database name) of `kb serve` on a database (the demo when db is None)."""
    with tempfile.TemporaryDirectory(prefix="kb-shots-") as tmp:
        if db is None:
            db = str(Path(tmp) / "demo.db")
            subprocess.run([KB, "demo", "--no-serve", "--db", db], check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        proc = subprocess.Popen([KB, "serve", "--db", db, "--port", str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, proc)
            yield base, Path(db).stem
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def pages(db: str) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("search", f"/-/kb/search/{db}?q=China+lift"),
        ("claim", f"/-/kb/claim/{db}/1"),
        ("article", f"/-/kb/article/{db}/1?claim=1#claim-1"),
        ("entity", f"/-/kb/entity/{db}/1"),
        ("thread", f"/-/kb/thread/{db}/1"),
        ("claims_view", f"/{db}/claims_view"),
        ("find_claims", f"/{db}/find_claims?entity=China"),
        ("forward_looking", f"/{db}/forward_looking_claims"),
        ("database", f"/{db}"),
        ("not_found", f"/-/kb/entity/{db}/abc"),
        ("not_found_table", f"/{db}/claimz"),
    ]


OVERFLOW = """() => {
  const main = document.querySelector('section.content') || document.body;
  return {page: document.scrollingElement.scrollWidth, view: innerWidth, main: main.scrollWidth,
          mainBox: Math.round(main.getBoundingClientRect().width)};
}"""


def clicks_to_sentence(page, base: str) -> int:
    """Home -> search "China lift" -> the claim card -> its sentence in the article."""
    n = 0
    page.goto(base + "/")
    page.fill("#kb-q", "China lift")
    page.press("#kb-q", "Enter")           # submitting the search: one action
    n += 1
    page.wait_for_selector(".kb-results-claims")
    page.locator("a.kb-claim-link", has_text="would soon lift").first.click()
    n += 1
    page.wait_for_selector("blockquote.kb-sentence")
    page.locator("a.kb-show-in-article").click()
    n += 1
    page.wait_for_selector(".kb-article-text .kb-focus")
    assert "would soon lift" in page.locator(".kb-article-text .kb-focus").first.inner_text()
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=None, help="a kb database (default: build the demo)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "shots"))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    wide = []
    with served(args.db) as (base, db), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for name, path in pages(db):
            response = page.goto(base + path)
            if name == "entity":
                page.wait_for_selector("#kb-graph[data-ready]", timeout=60_000)
            size = page.evaluate(OVERFLOW)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            page.screenshot(path=str(out / f"{name}_top.png"))       # what the first screen shows
            flag = "WIDE" if size["page"] > size["view"] else "ok"
            if flag == "WIDE":
                wide.append(name)
            print(f"{name:16} {response.status if response else '?':>4} width {size['page']:>5}/{size['view']} {flag}")
        if args.db is None:                 # the question is the seed's: asked on the demo
            n = clicks_to_sentence(page, base)
            page.screenshot(path=str(out / "answer.png"), full_page=False)
            print(f"clicks from the home page to the 'would soon lift' sentence: {n}")
        browser.close()
    print(f"screenshots in {out}; pages needing horizontal scrolling: {', '.join(wide) or 'none'}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("KB_NOW", "2014-08-20")
    sys.exit(main())
