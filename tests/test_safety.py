"""Rendering reads only the project's own files: no network, no other file, no markup from data."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from brochure.build import build
from brochure.data import load
from brochure.errors import ThemeError
from brochure.lang.modes import language_modes
from brochure.render.pdf import SafeFetcher
from brochure.theme import Theme

import pdfs

SECRET = "top-secret-canary-7f3a"


@pytest.fixture
def canary() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it gets (it must get none)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(SECRET.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()


def decoded(stream: pikepdf.Stream) -> bytes:
    """A stream's bytes, decoded where qpdf can (a picture's JPEG stays as it is)."""
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:
        return stream.read_raw_bytes()


def secret_inside(path: Path) -> bool:
    """Whether the canary's secret is anywhere in a PDF: its bytes or any decoded stream."""
    with pikepdf.open(path) as document:
        streams = [decoded(obj) for obj in document.objects if isinstance(obj, pikepdf.Stream)]
        attached = "/EmbeddedFiles" in document.Root.get("/Names", {})
    return attached or any(SECRET.encode() in data for data in [path.read_bytes(), *streams])


def test_the_secret_check_finds_an_attached_file(tmp_path: Path) -> None:
    """The check above would see the secret if the fetcher let it through."""
    from weasyprint import HTML

    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    pdf = tmp_path / "leak.pdf"
    HTML(string=f'<link rel="attachment" href="{secret_file.as_uri()}"><p>x</p>').write_pdf(pdf)
    assert secret_inside(pdf)


def build_flyer(data: Path, theme_dir: Path, out: Path):
    loaded = load(data)
    mode = language_modes(loaded.dataset.languages)["en"]
    return build(loaded, out, [mode], ["flyer"], Theme.with_user_theme(theme_dir))


def test_a_theme_cannot_pull_in_outside_files_or_the_network(
        tmp_path: Path, data_copy: Path, canary: tuple[str, list[str]]) -> None:
    url, requests = canary
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    beside_data = data_copy.parent / "notes.txt"  # the data folder is not the project's to show
    beside_data.write_text(SECRET, encoding="utf-8")
    (data_copy.parent / "images").mkdir(exist_ok=True)
    (data_copy.parent / "images" / "mark.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
        'height="10"/></svg>', encoding="utf-8")
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "styles").mkdir()
    (theme / "styles" / "escape.txt").symlink_to(secret_file)
    (theme / "templates" / "flyer.html").write_text(f"""
{{% extends "!default/flyer.html" %}}
{{% block content %}}{{{{ super() }}}}
<link rel="attachment" href="file://{secret_file}">
<link rel="attachment" href="../../secret.txt">
<link rel="stylesheet" href="{url}/style.css">
<img src="{url}/pixel.png"><img src="file:///etc/passwd">
<link rel="attachment" href="file://{theme}/styles/escape.txt">
<link rel="attachment" href="file://{beside_data}">
<img alt="mark" src="file://{data_copy.parent}/images/mark.svg">
{{% endblock %}}""", encoding="utf-8")
    (theme / "styles" / "flyer.css").write_text(
        f'@import "common.css";\n@import "{url}/import.css";\n'
        f'body {{ background: url("file://{secret_file}"); }}\n', encoding="utf-8")

    report = build_flyer(data_copy, theme, tmp_path / "out")

    assert requests == []
    pdf = tmp_path / "out" / "screen" / "en" / "flyer-kocef.pdf"
    assert not secret_inside(pdf)
    assert "Korea Ceramic Foundation" in pdfs.text(pdf)
    refused = [w for w in report.warnings if w.startswith("en/flyer-kocef.pdf")]
    assert any(f"{url}/import.css: only the project's own files may be used" in w for w in refused)
    outside = "outside the theme and the data's images folder"
    assert any(f"/etc/passwd: {outside}" in w for w in refused)
    assert any(f"escape.txt: {outside}" in w for w in refused)
    assert any(f"notes.txt: {outside}" in w for w in refused)
    assert not any("mark.svg" in w for w in refused)  # the data's images are the project's


def test_an_image_on_every_flyer_is_read_once_and_a_refused_one_warns_in_each(
        tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mark = data_copy.parent / "images" / "mark.svg"
    mark.parent.mkdir(exist_ok=True)
    mark.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect '
                    'width="10" height="10"/></svg>', encoding="utf-8")
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "flyer.html").write_text(
        '{% extends "!default/flyer.html" %}{% block header %}{{ super() }}'
        f'<img alt="mark" src="file://{mark}"><img alt="" src="file:///etc/passwd">'
        '{% endblock %}', encoding="utf-8")
    reads: list[str] = []
    fetch = SafeFetcher.fetch

    def counted(self: SafeFetcher, url: str, headers: dict[str, str] | None = None) -> Any:
        reads.append(url)
        return fetch(self, url, headers)

    monkeypatch.setattr(SafeFetcher, "fetch", counted)
    report = build_flyer(data_copy, theme, tmp_path / "out")
    assert report.failed == [] and len(report.built) == 8  # screen and office
    assert reads.count(f"file://{mark}") == 1
    refused = sorted(warning.split(":")[0] for warning in report.warnings
                     if "/etc/passwd" in warning)
    assert refused == [f"en/flyer-{name}.pdf" for name in ("cerawork", "doyego", "kicet",
                                                           "kocef")]


def test_data_prints_as_text_never_as_markup(tmp_path: Path, data_copy: Path) -> None:
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("en: Korea Ceramic Foundation",
                                      'en: "Korea <b>Ceramic</b> & <script>x</script> Foundation"'),
                         encoding="utf-8")
    theme = tmp_path / "empty-theme"
    theme.mkdir()
    build_flyer(data_copy, theme, tmp_path / "out")
    content = pdfs.text(tmp_path / "out" / "screen" / "en" / "flyer-kocef.pdf")
    # Line breaks may fall anywhere in the long name: compare without spaces.
    assert "Korea<b>Ceramic</b>&<script>x</script>Foundation" in content.replace(" ", "")


def test_a_theme_cannot_reach_python_internals(tmp_path: Path, data_copy: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "flyer.html").write_text(
        "{{ dataset.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(ThemeError) as caught:
        build_flyer(data_copy, theme, tmp_path / "out")
    assert str(caught.value) == ("template flyer.html: access to attribute '__class__' of "
                                 "'Dataset' object is unsafe.")
    assert list((tmp_path / "out").rglob("*.pdf")) == []


def test_a_template_typo_fails_loudly(tmp_path: Path, data_copy: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "flyer.html").write_text(
        '{% extends "!default/flyer.html" %}{% block title %}{{ institutoin.name }}{% endblock %}',
        encoding="utf-8")
    with pytest.raises(ThemeError) as caught:
        build_flyer(data_copy, theme, tmp_path / "out")
    assert str(caught.value) == "template flyer.html: 'institutoin' is undefined"
