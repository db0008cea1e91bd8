"""`brochure serve`: the live preview over HTTP, in a real headless Chromium, and its command."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from brochure import serve
from brochure.theme import Theme

import pdfs

PROJECT = Path(__file__).resolve().parent.parent
NAME = "Korea Ceramic Foundation"
RENAMED = "Icheon Clay Foundation"
OUTPUTS = ["brochure", *(f"{kind}-{item}" for kind in ("flyer", "card")
                         for item in ("cerawork", "doyego", "kocef", "kicet"))]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CONSOLE_MARK = "brochure test: console read"
INSTALL = ("headless Chromium is needed for this test: install it with "
           "`sudo apt-get install chromium chromium-driver` (see system-packages.txt)")


def get(url: str) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=60) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def rename(data: Path, old: str, new: str) -> None:
    text = data.read_text(encoding="utf-8")
    assert old in text
    data.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def server(data_copy: Path) -> Iterator[serve.Server]:
    """A preview of a private copy of the sample data, on a free port."""
    running = serve.start(data_copy, Theme.with_user_theme(), port=0)
    yield running
    running.stop()


def test_the_index_lists_every_output_with_its_page_and_pdf(server: serve.Server) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    status, content_type, body = get(server.url)
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    page = body.decode()
    for mode in ("en", "ko", "en+ko"):
        for name in OUTPUTS:
            assert f'href="/{mode}/{name}.html"' in page
            assert f'href="/{mode}/{name}.pdf"' in page
    assert f"flyer: {NAME}" in page
    assert "/__version" in page  # the index reloads too


def test_a_flyer_page_shows_the_institution_styled_by_the_theme(server: serve.Server) -> None:
    status, _, body = get(server.url + "en/flyer-kocef.html")
    page = body.decode()
    assert status == 200
    assert NAME in page
    assert 'href="/en/flyer-kocef.pdf"' in page
    assert 'href="/">All outputs' in page
    assert 'href="/theme/styles/flyer.css"' in page and 'href="/__typography.css"' in page
    status, content_type, css = get(server.url + "theme/styles/flyer.css")
    assert (status, content_type) == (200, "text/css")
    assert css == (PROJECT / "styles" / "flyer.css").read_bytes()
    status, _, css = get(server.url + "__typography.css")
    assert status == 200 and b"NanumGothic" in css


def test_the_sheet_on_screen_follows_the_page_rules(server: serve.Server) -> None:
    status, content_type, body = get(server.url + "__screen/brochure.css")
    css = body.decode()
    assert (status, content_type) == (200, "text/css; charset=utf-8")
    assert "body { max-width: 148mm; min-height: 210mm; }" in css  # A5
    assert ".cover { background: var(--accent);" in css  # from @page cover, through .cover
    assert "body { max-width: 105mm; min-height: 148mm; }" in get(  # A6
        server.url + "__screen/card.css")[2].decode()
    page = get(server.url + "en/card-kocef.html")[2].decode()
    assert 'href="/__screen/card.css"' in page


def test_the_pdf_is_made_fresh_from_the_data(server: serve.Server, data_copy: Path,
                                             tmp_path: Path) -> None:
    status, content_type, body = get(server.url + "en/flyer-kocef.pdf")
    assert (status, content_type) == (200, "application/pdf")
    pdf = tmp_path / "flyer.pdf"
    pdf.write_bytes(body)
    assert NAME in pdfs.text(pdf)

    rename(data_copy, f"en: {NAME}", f"en: {RENAMED}")
    pdf.write_bytes(get(server.url + "en/flyer-kocef.pdf")[2])
    assert RENAMED in pdfs.text(pdf)


def test_nothing_outside_the_theme_and_the_data_images_is_served(
        server: serve.Server, data_copy: Path, tmp_path: Path) -> None:
    secret = (PROJECT / "pyproject.toml").read_bytes()
    (data_copy.parent / "notes.txt").write_bytes(secret)
    images = data_copy.parent / "images"  # the sample's pictures are there already
    (images / "mark.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>',
                                     encoding="utf-8")
    (images / "escape.txt").symlink_to(PROJECT / "pyproject.toml")
    assert get(server.url + "images/mark.svg")[:2] == (200, "image/svg+xml")
    assert get(server.url + "images/kiln.jpg?srgb")[:2] == (200, "image/jpeg")  # as pages ask
    refused = ["../pyproject.toml", "styles/../../pyproject.toml",
               "theme/styles/../../pyproject.toml", "theme/styles/%2E%2E/%2E%2E/pyproject.toml",
               f"theme/styles/{PROJECT}/pyproject.toml",
               "theme/styles/" + str(PROJECT / "pyproject.toml").replace("/", "%2F"),
               f"/{PROJECT}/pyproject.toml", "pyproject.toml", "theme/pyproject.toml",
               "images/../notes.txt", "images/escape.txt", "theme/styles/", "theme/styles",
               "images/", "data/icheon.yaml", "en/", "en/nothing.html", "en/flyer-kocef.txt",
               "__screen/%2E%2E%2F%2E%2E%2Fpyproject.toml", "__version/../pyproject.toml"]
    for path in refused:
        status, _, body = get(server.url + path)
        assert status in (403, 404), path
        assert b"[project]" not in body and b"selenium" not in body, path


def test_bad_data_shows_the_error_line_and_the_preview_recovers(
        server: serve.Server, data_copy: Path) -> None:
    good = data_copy.read_text(encoding="utf-8")
    rename(data_copy, 'homepage: "www.cerawork.or.kr"', 'hompage: "www.cerawork.or.kr"')
    line = (f"error: {data_copy}:112: institution 1 (cerawork): hompage: unknown key; "
            "did you mean &#x27;homepage&#x27;?")
    for path in ("", "en/flyer-kocef.html", "en/flyer-kocef.pdf"):
        status, content_type, body = get(server.url + path)
        assert (status, content_type) == (500, "text/html; charset=utf-8"), path
        assert line in body.decode(), path
        assert "/__version" in body.decode(), path  # it keeps polling
    assert get(server.url + "__version")[0] == 200

    data_copy.write_text(good, encoding="utf-8")
    status, _, body = get(server.url + "en/flyer-kocef.html")
    assert status == 200 and NAME in body.decode()


def test_a_broken_template_shows_its_error(data_copy: Path, tmp_path: Path) -> None:
    flyer = tmp_path / "theme" / "templates" / "flyer.html"
    flyer.parent.mkdir(parents=True)
    flyer.write_text("{% extends '!default/flyer.html' %}{% block title %}{{ nmae }}{% endblock %}",
                     encoding="utf-8")
    running = serve.start(data_copy, Theme.with_user_theme(tmp_path / "theme"), port=0)
    try:
        status, _, body = get(running.url + "en/flyer-kocef.html")
        assert status == 500
        assert "error: template flyer.html: &#x27;nmae&#x27; is undefined" in body.decode()
        assert get(running.url + "en/card-kocef.html")[0] == 200
    finally:
        running.stop()


# In a real browser --------------------------------------------------------------------------


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[object]:
    """Headless Chromium driven by ChromeDriver. Missing, it fails: the test set-up installs it."""
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.fail(INSTALL)
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--disable-sync", f"--user-data-dir={tmp_path / 'chrome'}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    except WebDriverException as error:
        pytest.fail(f"{INSTALL}; starting it failed: {error.msg}")
    yield driver
    driver.quit()


def test_the_page_in_a_browser_follows_the_data_without_a_reload(
        server: serve.Server, data_copy: Path, chromium: object) -> None:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = chromium
    driver.get(server.url + "en/flyer-kocef.html")
    assert NAME in driver.find_element(By.TAG_NAME, "body").text
    accent = driver.execute_script(
        "return getComputedStyle(document.querySelector('h1.flyer-name')).color")
    assert accent == "rgb(47, 107, 98)"  # the theme's --accent: its stylesheets were applied
    assert "NanumGothic" in driver.execute_script(
        "return getComputedStyle(document.documentElement).fontFamily")  # and the typography
    driver.execute_script("window.notReloadedYet = true")

    rename(data_copy, f"en: {NAME}", f"en: {RENAMED}")

    def renamed(browser: object) -> bool:
        return RENAMED in browser.find_element(By.TAG_NAME, "body").text

    WebDriverWait(driver, 15, poll_frequency=0.2, ignored_exceptions=(WebDriverException,)).until(
        renamed, f"the page did not show {RENAMED!r} within 15 s")
    assert RENAMED in driver.find_element(By.TAG_NAME, "body").text
    assert driver.find_element(By.CSS_SELECTOR, "h1.flyer-name").text == RENAMED
    assert driver.execute_script("return window.notReloadedYet === undefined")  # it reloaded
    # The page's console, with a line of ours in it: a log that reads as empty proves nothing.
    driver.execute_script(f"console.info({CONSOLE_MARK!r})")
    log = driver.get_log("browser")
    assert [entry for entry in log if entry["level"] == "SEVERE"] == []
    assert any(CONSOLE_MARK in entry["message"] for entry in log), log


# The command ----------------------------------------------------------------------------------


def test_the_command_prints_its_address_serves_and_stops_cleanly_on_ctrl_c(
        data_copy: Path, tmp_path: Path) -> None:
    environment = {**os.environ, "PYTHONUNBUFFERED": "1",
                   "PYTHONPATH": os.pathsep.join([str(PROJECT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "brochure", "serve", "--port", "0", "--data", str(data_copy)],
        cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A shell running the tests in the background ignores Ctrl+C for its children: undo it.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        ready, _, _ = select.select([process.stdout], [], [], 30)
        assert ready, "no line from brochure serve in 30 s"
        first = process.stdout.readline().rstrip("\n")
        prefix, _, rest = first.partition(" at ")
        url = rest.removesuffix(" (Ctrl+C to stop)")
        assert prefix == f"serving {data_copy}", first
        assert url.startswith("http://127.0.0.1:") and url.endswith("/") and rest.endswith(
            " (Ctrl+C to stop)"), first
        status, _, body = get(url + "en/flyer-kocef.html")
        assert status == 200 and NAME in body.decode()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Traceback" not in out
    assert out.strip() == "stopped"


def test_the_command_refuses_a_missing_data_file(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.yaml"
    process = subprocess.run(
        [sys.executable, "-m", "brochure", "serve", "--port", "0", "--data", str(missing)],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert process.returncode == 1
    assert process.stderr == f"error: {missing}: no such file\n"
