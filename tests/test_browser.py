"""The web page in a real browser: Debian's Chromium driven by Playwright.

Skipped when /usr/bin/chromium is absent on a developer's machine; `.ci/run` installs it and
sets CINEREC_REQUIRE_BROWSER=1, so in CI a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from cinerec.api.app import create_app
from cinerec.api.state import ServiceState

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]  # fmt: skip
OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "browser"

if not Path(CHROMIUM).exists():
    if os.environ.get("CINEREC_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"Chromium is required here but {CHROMIUM} does not exist")
    pytest.skip(
        "Chromium not installed (apt-get install -y chromium): browser tests skipped",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def base_url(demo_state: ServiceState) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(state=demo_state), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_search_movie_recommendations_person_and_stats(base_url: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base_url + "/")
        # a title with a typo, typed like a person would
        page.get_by_label("Search a movie").press_sequentially("the dark knigth", delay=20)
        first = page.locator("#results a").first
        expect(first).to_contain_text("The Dark Knight")
        page.screenshot(path=str(OUTPUT / "1-search.png"))
        page.locator("#results a", has_text="The Dark Knight").first.click()
        expect(page.locator("h1")).to_contain_text("The Dark Knight")
        recs = page.locator(".rec")
        expect(recs.first).to_be_visible()
        assert recs.count() >= 5
        assert page.locator(".rec .why li").count() >= 5
        page.screenshot(path=str(OUTPUT / "2-movie.png"), full_page=True)
        # a genre filter
        page.get_by_label("Genre").select_option("Crime")
        page.get_by_role("button", name="Apply").click()
        expect(page).to_have_url(f"{base_url}/#/movie/155?genre=Crime")
        expect(page.locator(".rec").first).to_be_visible()
        page.screenshot(path=str(OUTPUT / "3-filtered.png"), full_page=True)
        # follow a recommendation
        target = page.locator(".rec a").first
        title = target.inner_text()
        target.click()
        expect(page.locator("h1")).to_contain_text(title)
        # a person page from the cast list
        page.locator("article a[href^='#/person/']").first.click()
        expect(page.locator("article h1")).to_be_visible()
        expect(page.locator("article")).to_contain_text("Films as actor")
        page.screenshot(path=str(OUTPUT / "4-person.png"), full_page=True)
        # the stats page
        page.get_by_role("link", name="Stats").click()
        expect(page.locator("h1")).to_contain_text("The catalogue in numbers")
        assert page.locator("svg.chart").count() == 3
        page.screenshot(path=str(OUTPUT / "5-stats.png"), full_page=True)
        # the phone layout
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base_url + "/#/movie/862")
        expect(page.locator("h1")).to_contain_text("Toy Story")
        page.screenshot(path=str(OUTPUT / "6-phone.png"), full_page=True)
        browser.close()
