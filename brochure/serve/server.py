"""``brochure serve``: a live preview of every output in a browser, at 127.0.0.1 only.

Organisers and designers change the data or the theme and want to see the result without a
build: each output is an HTML page styled with the theme's own stylesheets, which reloads by
itself when a file changes, with a link to its PDF made fresh on request. The server reads
through the same rules as the renderer (:class:`brochure.pdf.SafeFetcher`): the theme's files
and the data's ``images/`` folder, nothing else. Bad data never stops it: the pages show the
error lines ``brochure build`` prints, and come back by themselves once the data is fixed.
"""

from __future__ import annotations

import hashlib
import html
import json
import mimetypes
import posixpath
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import tinycss2
from weasyprint.css.computed_values import PAGE_SIZES

from ..build.workshop import Workshop
from ..data.loading import Loaded, load
from ..data.pictures import DATA_IMAGES
from ..errors import BrochureError, RenderError, error_lines
from ..plan.jobs import Job, plan
from ..plan.kinds import KINDS
from ..plan.profiles import PROFILES
from ..render.html import job_html
from ..render.pdf import SafeFetcher
from ..render.pictures import PICTURE_SCHEME
from ..settings import HOST, POLL_MS
from ..theme import FOLDERS, Theme

PROFILE = PROFILES["screen"]  # the preview shows the screen files
THEME_PREFIX = "theme"  # /theme/styles/flyer.css is the theme's styles/flyer.css
VERSION_PATH = "/__version"
TYPOGRAPHY_PATH = "/__typography.css"
SCREEN_PREFIX = "__screen"  # /__screen/flyer.css: what flyer.css's @page rules say, for a screen

# The page asks for the version about once a second and reloads when it changes. It starts
# from the version the page was made from, so a change made while it loaded is not missed.
POLL_SCRIPT = """<script>
(function () {
  var shown = %s;
  function poll() {
    fetch("%s", {cache: "no-store"})
      .then(function (answer) { return answer.ok ? answer.text() : shown; })
      .then(function (now) { if (now !== shown) { location.reload(); } else { later(); } },
            later);
  }
  function later() { setTimeout(poll, %d); }
  later();
})();
</script>"""

# On screen there are no pages: the output is one long sheet on a grey desk, as wide as its
# paper (screen_css adds what the stylesheets' @page rules say).
SCREEN_CSS = """html { background: #5f6568; }
body { box-sizing: border-box; max-width: 148mm; min-height: 100mm; margin: 64px auto 32px;
       background: #fff; box-shadow: 0 2px 14px rgba(0, 0, 0, 0.45); overflow: hidden; }
#brochure-preview { position: fixed; z-index: 2147483647; top: 0; left: 0; right: 0;
  display: flex; gap: 1.5em; align-items: baseline; padding: 10px 18px; margin: 0;
  background: #1f2426; color: #eef3f1; font: 15px/1.4 system-ui, sans-serif; }
#brochure-preview a { color: #9fd8cc; text-decoration: underline; }
#brochure-preview .note { margin-left: auto; color: #a9b4b1; font-size: 13px; }
"""

PAGE_CSS = """<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em;
       color: #1e2a2b; }
a { color: #2f6b62; }
li { margin: 0.3em 0; }
pre { white-space: pre-wrap; background: #fbeaea; color: #7a1414; padding: 1em;
      border-left: 4px solid #b32121; }
.warnings { color: #6b5310; }
</style>"""


@dataclass(frozen=True)
class Reply:
    """What the server answers to one request."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Snapshot:
    """The data and the tools made from it, for one version of the files.

    ``errors`` holds the lines ``brochure build`` would print when the data or the theme is
    broken; then there is nothing else.
    """

    version: str
    loaded: Loaded | None = None
    workshop: Workshop | None = None
    jobs: dict[str, Job] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    pdfs: dict[str, bytes] = field(default_factory=dict)


SHEETS = ("*.csv", "*.xlsx")


class Preview:
    """The files a preview watches, and what was made of them while they stay the same.

    Each request checks the version (cheap: the files' sizes and times); when it changed, the
    data is loaded again and a new :class:`Workshop` is set up. Making pages and PDFs takes a
    lock: WeasyPrint is not made to lay out two documents at once in one process.
    """

    def __init__(self, data_path: Path, theme: Theme) -> None:
        self.data_path = data_path
        self.theme = theme
        self.fetcher = SafeFetcher(theme, data_path.parent)
        self.lock = threading.Lock()
        self._snapshot: Snapshot | None = None

    def watched(self) -> Iterator[Path]:
        """Every file whose change changes the outputs: the data and the spreadsheets beside
        it (a data file may take its institutions from one), its images, the theme."""
        yield self.data_path
        yield from sorted(path for pattern in SHEETS
                          for path in self.data_path.parent.glob(pattern))
        folders = [self.data_path.parent / DATA_IMAGES]
        folders += [root / folder for root in self.theme.roots for folder in FOLDERS]
        for folder in folders:
            yield from sorted(folder.rglob("*")) if folder.is_dir() else ()

    def version(self) -> str:
        """A token that changes whenever a watched file is added, removed or changed."""
        hasher = hashlib.sha256()
        for path in self.watched():
            try:
                stat = path.stat()
                hasher.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
            except OSError:  # removed while we looked: the next poll sees the change
                hasher.update(f"{path}\0gone\n".encode())
        return hasher.hexdigest()[:20]

    def snapshot(self) -> Snapshot:
        """The current snapshot, made again if a file changed; call with :attr:`lock` held."""
        version = self.version()
        if self._snapshot is None or self._snapshot.version != version:
            self._snapshot = self._load(version)
        return self._snapshot

    def _load(self, version: str) -> Snapshot:
        """Read the data and set up the workshop; a broken file gives a snapshot of errors."""
        try:
            loaded = load(self.data_path)
            workshop = Workshop(loaded.dataset, loaded.path.parent, self.theme)
        except BrochureError as error:
            return Snapshot(version, errors=error_lines(error))
        modes = list(loaded.dataset.modes.values())
        jobs = plan(loaded.dataset, modes, list(KINDS), [PROFILE])
        return Snapshot(version, loaded, workshop,
                        {job.name.removesuffix(".pdf"): job for job in jobs})


# Pages ----------------------------------------------------------------------------------------


def page(title: str, body: str, version: str | None = None, status: int = 200) -> Reply:
    """One of the server's own pages; with ``version``, it reloads when the files change."""
    script = poll_script(version) if version else ""
    text = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<link rel="icon" href="data:,"><title>{html.escape(title)}</title>{PAGE_CSS}'
            f"</head><body>{body}{script}</body></html>")
    return Reply(status, text.encode("utf-8"))


def poll_script(version: str) -> str:
    """The inline script that reloads the page when the files' version is no longer ``version``."""
    return POLL_SCRIPT % (json.dumps(version), VERSION_PATH, POLL_MS)


def error_page(snapshot: Snapshot, lines: list[str]) -> Reply:
    """The errors that stop an output, as the build prints them; it comes back when fixed."""
    body = (f"<h1>Cannot show this yet</h1><pre>{html.escape(chr(10).join(lines))}</pre>"
            "<p>Fix the file and save it: this page updates by itself. "
            '<a href="/">All outputs</a></p>')
    return page("error", body, snapshot.version, status=500)


def not_found(version: str | None = None) -> Reply:
    """404, with a way back; no hint of what exists on disk."""
    return page("not found", '<h1>Not found</h1><p><a href="/">All outputs</a></p>', version,
                status=404)


def title(snapshot: Snapshot, job: Job) -> str:
    """How the index names an output: its kind, and for flyers and cards the institution."""
    if not job.institution or snapshot.loaded is None:
        return job.kind.name
    dataset = snapshot.loaded.dataset
    name = dataset.institution(job.institution).name.resolve(job.mode.primary, dataset.languages)
    return f"{job.kind.name}: {name.text}"


def index(snapshot: Snapshot) -> Reply:
    """Every output of the data for the screen, per language mode, with its page and its PDF."""
    if snapshot.errors:
        return error_page(snapshot, snapshot.errors)
    assert snapshot.loaded is not None
    sections: dict[str, list[str]] = {}
    for key, job in snapshot.jobs.items():
        sections.setdefault(job.mode.code, []).append(
            f'<li><a href="/{html.escape(key)}.html">{html.escape(title(snapshot, job))}</a> '
            f'· <a href="/{html.escape(key)}.pdf">PDF</a></li>')
    body = [f"<h1>Preview of {html.escape(str(snapshot.loaded.path))}</h1>",
            "<p>Each page updates by itself when you save the data, a template or a style.</p>"]
    if snapshot.loaded.warnings:
        body.append('<pre class="warnings">' + html.escape("\n".join(
            f"warning: {warning}" for warning in snapshot.loaded.warnings)) + "</pre>")
    for mode, items in sections.items():
        body.append(f"<h2>{html.escape(mode)}</h2><ul>{''.join(items)}</ul>")
    return page("brochure preview", "".join(body), snapshot.version)


def output_page(snapshot: Snapshot, key: str, job: Job) -> Reply:
    """The output's HTML, as the screen PDF is made from it, linked to the theme's styles."""
    assert snapshot.loaded is not None and snapshot.workshop is not None
    dataset = snapshot.loaded.dataset
    try:
        text = job_html(snapshot.workshop.env, dataset, job, job.mode)
    except BrochureError as error:
        return error_page(snapshot, error_lines(error))
    return Reply(200, for_screen(text, snapshot, key, job).encode("utf-8"))


def for_screen(text: str, snapshot: Snapshot, key: str, job: Job) -> str:
    """The output's HTML with the styles linked, a bar of links on top and the reload script.

    ``<base>`` makes the templates' relative addresses lead where they lead in the PDF: the
    renderer reads them from the default theme's ``templates/`` folder. The data's pictures
    are asked for from this server's ``/images/``.
    """
    sheets = [TYPOGRAPHY_PATH, *(f"/{THEME_PREFIX}/styles/{name}"
                                 for name in (job.kind.stylesheet, *PROFILE.rendering.stylesheets)),
              f"/{SCREEN_PREFIX}/{job.kind.stylesheet}"]
    base = f'<base href="/{THEME_PREFIX}/templates/">'
    text = text.replace(f'src="{PICTURE_SCHEME}', 'src="/')  # the data's pictures, from here
    head = ('<link rel="icon" href="data:,">'
            + "".join(f'<link rel="stylesheet" href="{html.escape(sheet)}">' for sheet in sheets))
    bar = (f'<nav id="brochure-preview"><a href="/">All outputs</a>'
           f"<span>{html.escape(title(snapshot, job))} ({html.escape(job.mode.code)})</span>"
           f'<a href="/{html.escape(key)}.pdf">PDF</a>'
           '<span class="note">updates by itself when you save</span></nav>')
    text = _insert(text, HEAD_START, base, after=True)
    text = _insert(text, HEAD_END, head, after=False)
    text = _insert(text, BODY_START, bar, after=True)
    return text + poll_script(snapshot.version)


HEAD_START = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


def _insert(text: str, tag: re.Pattern[str], addition: str, after: bool) -> str:
    """``addition`` after (or before) the first ``tag``; at the start if a theme's template has
    none, which browsers read all the same."""
    found = tag.search(text)
    at = (found.end() if after else found.start()) if found else 0
    return text[:at] + addition + text[at:]


def output_pdf(snapshot: Snapshot, key: str, job: Job) -> Reply:
    """The output's screen PDF, made from the current files; kept while they do not change."""
    if key not in snapshot.pdfs:
        assert snapshot.workshop is not None
        product = snapshot.workshop.make(job)
        if isinstance(product, RenderError):
            return error_page(snapshot, error_lines(product))
        snapshot.pdfs[key] = product.files[0].pdf
    return Reply(200, snapshot.pdfs[key], "application/pdf")


# What @page rules do in print, done on screen -------------------------------------------------


@dataclass
class PageRules:
    """What a stylesheet's @page rules say that a screen can show: the paper's size, each page's
    background and side margins, and which elements start a named page (``page: cover``)."""

    size: tuple[str, str] | None = None
    backgrounds: dict[str | None, str] = field(default_factory=dict)  # None: the default page
    margins: dict[str | None, tuple[str, str]] = field(default_factory=dict)  # (left, right)
    selectors: dict[str, list[str]] = field(default_factory=dict)


def screen_css(preview: Preview, stylesheet: str) -> str:
    """The sheet on screen: its width, margins and backgrounds, as the stylesheet's @page rules
    set them for print. Without this, a cover whose colour comes from ``@page cover`` would show
    white text on white."""
    sheet = PageRules()
    for rule in theme_rules(preview, stylesheet, set()):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page":
            read_page_rule(sheet, rule)
        elif rule.type == "qualified-rule":
            for declaration in _declarations(rule.content):
                if declaration.lower_name == "page":
                    sheet.selectors.setdefault(_css(declaration.value), []).append(
                        _css(rule.prelude))
    return SCREEN_CSS + "\n".join(sheet_rules(sheet)) + "\n"


def theme_rules(preview: Preview, name: str, seen: set[str]) -> Iterator[Any]:
    """The rules of a theme stylesheet, with those of the ones it ``@import``s in their place."""
    if name in seen or (body := read_theme_file(preview, "styles", name)) is None:
        return
    seen.add(name)
    rules, _ = tinycss2.parse_stylesheet_bytes(body, skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            target = next((token.value for token in rule.prelude
                           if token.type in ("string", "url")), "")
            if target and ":" not in target.split("/")[0]:  # a theme file, not an address
                yield from theme_rules(preview, posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), target)), seen)
        else:
            yield rule


def read_page_rule(sheet: PageRules, rule: Any) -> None:
    """Note the size, background and side margins of one @page rule (``:first`` and other
    page selectors mean nothing on a screen)."""
    prelude = [token for token in rule.prelude if token.type != "whitespace"]
    if prelude and prelude[0].type != "ident":
        return
    name = prelude[0].lower_value if prelude else None
    for declaration in _declarations(rule.content):
        values = [token for token in declaration.value if token.type != "whitespace"]
        if declaration.lower_name == "size" and name is None:
            sheet.size = paper_size(values) or sheet.size
        elif declaration.lower_name in ("background", "background-color"):
            sheet.backgrounds[name] = _css(declaration.value)
        elif declaration.lower_name == "margin" and 1 <= len(values) <= 4:
            sides = [_css([value]) for value in values]
            sides = ["0px" if side == "0" else side for side in sides]  # calc() wants units
            right = sides[1] if len(sides) > 1 else sides[0]
            sheet.margins[name] = (sides[3] if len(sides) == 4 else right, right)


def paper_size(values: list[Any]) -> tuple[str, str] | None:
    """(width, height) of a ``size`` value: ``A5``, ``A4 landscape``, ``148mm 210mm``."""
    words = [value.lower_value for value in values if value.type == "ident"]
    lengths = [_css([value]) for value in values if value.type == "dimension"]
    if lengths:
        width, height = lengths[0], lengths[-1]
    elif paper := next((PAGE_SIZES[word] for word in words if word in PAGE_SIZES), None):
        width, height = (f"{side.value}{side.unit}" for side in paper)
    else:
        return None
    return (height, width) if "landscape" in words else (width, height)


def sheet_rules(sheet: PageRules) -> list[str]:
    """CSS for a screen: the body is the sheet; elements that start a named page get its
    background, and its margins instead of the default page's."""
    left, right = sheet.margins.get(None, ("0px", "0px"))
    rules = [f"body {{ padding-left: {left}; padding-right: {right}; }}"]
    if sheet.size:
        rules.append(f"body {{ max-width: {sheet.size[0]}; min-height: {sheet.size[1]}; }}")
    if None in sheet.backgrounds:
        rules.append(f"body {{ background: {sheet.backgrounds[None]}; }}")
    for name, selectors in sheet.selectors.items():
        declarations = []
        if name in sheet.backgrounds:
            declarations.append(f"background: {sheet.backgrounds[name]};")
        if name in sheet.margins:
            own_left, own_right = sheet.margins[name]
            declarations.append(f"margin-left: calc({own_left} - {left}); "
                                f"margin-right: calc({own_right} - {right});")
        if declarations:
            rules.append(f"{', '.join(selectors)} {{ {' '.join(declarations)} }}")
    return rules


def _declarations(content: list[Any] | None) -> Iterator[Any]:
    """The declarations of a rule's block (nested rules such as margin boxes left out)."""
    for item in tinycss2.parse_blocks_contents(content or [], skip_comments=True,
                                               skip_whitespace=True):
        if item.type == "declaration":
            yield item


def _css(tokens: list[Any]) -> str:
    """Tokens as CSS text, without the spaces around."""
    return tinycss2.serialize(tokens).strip()


# Routes ---------------------------------------------------------------------------------------


def segments(target: str) -> list[str] | None:
    """The request path's decoded parts; None when one could climb out or start from the root.

    ``..``, ``.``, empty parts (``//``, an absolute path after decoding ``%2F``), backslashes
    and NUL are refused here, before any file is looked at.
    """
    parts = unquote(target.split("?", 1)[0].split("#", 1)[0]).split("/")
    if parts == ["", ""]:  # the index
        return []
    if parts[0] != "" or any(part in ("", ".", "..") or "\\" in part or "\0" in part
                             for part in parts[1:]):
        return None
    return parts[1:]


def static_file(preview: Preview, parts: list[str]) -> Reply | None:
    """A theme file (``theme/FOLDER/NAME``) or a data image (``images/NAME``), if allowed.

    The file is read through the renderer's :class:`SafeFetcher`, so the server shows exactly
    what a PDF may: the user's theme first, then ours; nothing outside; no symbolic link out.
    """
    if len(parts) >= 3 and parts[0] == THEME_PREFIX and parts[1] in FOLDERS:
        body = read_theme_file(preview, parts[1], "/".join(parts[2:]))
    elif len(parts) >= 2 and parts[0] == DATA_IMAGES:
        body = read_safely(preview, preview.data_path.resolve().parent.joinpath(*parts))
    elif len(parts) == 2 and parts[0] == SCREEN_PREFIX:
        return Reply(200, screen_css(preview, parts[1]).encode(), "text/css; charset=utf-8")
    else:
        return None
    if body is None:  # refused or missing: the same answer
        return not_found()
    return Reply(200, body, mimetypes.guess_type(parts[-1])[0] or "application/octet-stream")


def read_theme_file(preview: Preview, folder: str, name: str) -> bytes | None:
    """A file of the theme's ``folder`` (the user's first), or None if missing or refused."""
    return read_safely(preview, preview.theme.roots[-1] / folder / name)


def read_safely(preview: Preview, path: Path) -> bytes | None:
    """The file's bytes if the renderer's fetcher may read it, else None."""
    try:
        return preview.fetcher.fetch(path.as_uri()).read()
    except (ValueError, BrochureError):
        return None


def answer(preview: Preview, target: str) -> Reply:
    """The reply to ``GET target``."""
    if target.split("?", 1)[0] == VERSION_PATH:
        return Reply(200, preview.version().encode(), "text/plain; charset=utf-8")
    parts = segments(target)
    if parts is None:
        return not_found()
    if (reply := static_file(preview, parts)) is not None:
        return reply
    with preview.lock:
        snapshot = preview.snapshot()
        if not parts:
            return index(snapshot)
        if "/".join(parts) == TYPOGRAPHY_PATH[1:]:
            css = snapshot.workshop.base_css if snapshot.workshop else ""
            return Reply(200, css.encode(), "text/css; charset=utf-8")
        key, dot, extension = "/".join(parts).rpartition(".")
        if snapshot.errors and dot and extension in ("html", "pdf"):
            return error_page(snapshot, snapshot.errors)
        if (job := snapshot.jobs.get(key)) is None:
            return not_found(snapshot.version)
        if extension == "html":
            return output_page(snapshot, key, job)
        if extension == "pdf":
            return output_pdf(snapshot, key, job)
        return not_found(snapshot.version)


# The server -----------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """Answers GET requests from :func:`answer`; anything else is refused by the base class."""

    server: _HTTPServer

    def do_GET(self) -> None:
        try:
            reply = answer(self.server.preview, self.path)
        except Exception as error:  # a bug, not the user's: say so in one line, keep serving
            print(f"error: {self.path}: {type(error).__name__}: {error} (a bug in brochure; "
                  "please report it)", file=sys.stderr)
            reply = page("internal error", "<h1>Internal error</h1><p>See the terminal.</p>",
                         status=500)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(reply.body)
        except ConnectionError:  # the browser left (a reload) before the answer was sent
            pass

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the page polls every second, and the terminal is for errors."""


class _HTTPServer(ThreadingHTTPServer):
    """The HTTP server, holding the preview its handlers answer from."""

    daemon_threads = True

    def __init__(self, port: int, preview: Preview) -> None:
        self.preview = preview
        super().__init__((HOST, port), _Handler)


@dataclass
class Server:
    """A running preview: its address, and how to stop it."""

    httpd: _HTTPServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        """The index page's address."""
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    def wait(self) -> None:
        """Block until the server stops (Ctrl+C interrupts the wait in the main thread)."""
        while self.thread.is_alive():
            self.thread.join(0.5)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def start(data_path: Path, theme: Theme, port: int = 0) -> Server:
    """Serve the preview in a background thread at 127.0.0.1:``port`` (0: any free port).

    A data file that does not exist is an error at once (most likely a mistyped ``--data``);
    one that exists but is broken is shown in the pages, so that it can be fixed while they
    watch.
    """
    if not data_path.is_file():
        load(data_path)  # raises the DataError `brochure build` would give
    try:
        httpd = _HTTPServer(port, Preview(data_path, theme))
    except OSError as error:
        raise BrochureError(f"cannot serve at {HOST}:{port}: {error.strerror}; choose another "
                            "port with --port") from None
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                              name="brochure-serve", daemon=True)
    thread.start()
    return Server(httpd, thread)
