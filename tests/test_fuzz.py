"""Generated data files, valid and broken: a PDF set holding their text, or a clean error.

Runs a short profile with the suite. The long profile, recorded in the README:

    BROCHURE_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from brochure.cli import main
from brochure.data import load
from brochure.errors import DataError

import pdfs

EXAMPLES = int(os.environ.get("BROCHURE_FUZZ_EXAMPLES", "25"))
PLAIN = re.compile(r"[A-Za-z0-9\uac00-\ud7a3 .,'()&-]+")  # text that extracts from a PDF as is

odd_texts = st.sampled_from([
    "", " ", "이천시", "Korea <b>Ceramic</b> &amp; <script>", "\u202eevil", "a\u200bb", "x" * 300,
    "line\nbreak", "\x07bell", "tab\there", "🏺 ceramics", "مرحبا", "😀" * 5, "{{ 7*7 }}",
    "{% raw %}", "../../etc/passwd", "file:///etc/passwd", "\ufeffbom",
])
texts = st.one_of(st.text(max_size=40), odd_texts)
language_codes = st.sampled_from(["en", "ko", "ja", "fr", "EN", "", "x-y"])
text_fields = st.one_of(
    texts,
    st.dictionaries(language_codes, texts, max_size=3),
    st.integers(), st.none(), st.booleans(), st.lists(texts, max_size=2),
)
homepages = st.one_of(texts, st.sampled_from([
    "www.kocef.org", "https://www.kocef.org/a b", "https://例え.jp/工房", "ftp://kocef.org",
    "http://", "javascript:alert(1)", "HTTPS://WWW.KOCEF.ORG/Ünï?q=100%", "kocef", "//x.org",
    "http://user:pw@x.org", "https://x.org:99999", "http://127.0.0.1:1/", "https://xn--.org",
]))
phones = st.one_of(texts, st.integers(), st.sampled_from([
    "+82-31-645-6501", "031-645-6501", "+82", "12345", "tel:+82316456501", "+1 202 555 0143",
]))
institutions = st.fixed_dictionaries(
    {"name": st.one_of(texts, text_fields)},
    optional={"id": st.one_of(texts, st.sampled_from(["kocef", "Bad Id", "a--b"])),
              "homepage": homepages, "phone": phones, "address": text_fields,
              "description": text_fields, "hompage": homepages},
)
words = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1,
                max_size=40).filter(str.strip)
good_texts = st.one_of(words, st.fixed_dictionaries({"en": words, "ko": words}),
                       st.dictionaries(st.sampled_from(["en", "ko"]), words, min_size=1))
good_institutions = st.fixed_dictionaries(
    {"name": good_texts, "id": st.from_regex(r"[a-z]{1,8}", fullmatch=True)},
    optional={"homepage": st.sampled_from(["www.kocef.org", "https://例え.jp/工房",
                                           "http://x.org/a?b=1"]),
              "phone": st.sampled_from(["+82-31-645-6501", "031-645-6501", "+1 202 555 0143"]),
              "address": good_texts, "description": good_texts},
)
good_data_files = st.fixed_dictionaries({
    "languages": st.sampled_from([["en", "ko"], ["ko", "en"]]),
    "network": st.fixed_dictionaries({"name": good_texts}),
    "city": st.fixed_dictionaries({"name": good_texts}),
    "institutions": st.lists(good_institutions, min_size=1, max_size=3),
})
broken_data_files = st.fixed_dictionaries(
    {
        "languages": st.one_of(st.just(["en", "ko"]), st.just(["ko"]),
                               st.lists(language_codes, max_size=3)),
        "network": st.fixed_dictionaries({"name": text_fields},
                                         optional={"founded": st.sampled_from(["2004-10", "x"])}),
        "city": st.fixed_dictionaries({"name": text_fields},
                                      optional={"country": st.sampled_from(["KR", "JP", "XX"])}),
        "institutions": st.lists(institutions, max_size=3),
    },
    optional={"netwrok": st.integers()},
)
data_files = st.one_of(good_data_files, broken_data_files)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=data_files)
def test_any_data_file_builds_or_fails_cleanly(data: dict,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        capsys.readouterr()
        code = main(["build", "--data", str(path), "--out", f"{folder}/out", "--only", "flyers",
                     "--profile", "screen"])
        err = capsys.readouterr().err
        event(f"exit code {code}")
        assert "Traceback" not in err
        assert all(line.startswith(("error: ", "warning: ")) for line in err.splitlines()), err
        if code != 0:
            assert code == 1 and "error: " in err
            return
        dataset = load(path).dataset
        lang = dataset.languages[0]
        for institution in dataset.institutions:
            name = institution.name.resolve(lang, dataset.languages).text
            flyer = Path(folder) / "out" / "screen" / lang / f"flyer-{institution.id}.pdf"
            if PLAIN.fullmatch(name):
                # pdfium skips some Hangul syllables that pypdf reads: either will do
                extracted = pdfs.text(flyer) + " " + " ".join(
                    page.extract_text() for page in PdfReader(flyer).pages).replace("\n", " ")
                assert " ".join(name.split()) in extracted


def test_the_sample_survives_the_same_round_trip() -> None:
    """The generator's dump-and-load path keeps a valid file valid (so the fuzz test can pass)."""
    sample = yaml.safe_load((Path(__file__).parent.parent / "data" / "icheon.yaml").read_text())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.yaml"
        path.write_text(yaml.safe_dump(sample, allow_unicode=True), encoding="utf-8")
        try:
            load(path)
        except DataError as error:  # pragma: no cover - shows what broke
            pytest.fail(str(error))
