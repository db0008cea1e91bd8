"""After WeasyPrint: the language of each tagged element, and titles in every language.

WeasyPrint tags a PDF's structure (headings, paragraphs, lists) but records only the document's
language, so a screen reader would read the Korean half of a bilingual brochure in an English
voice. This step marks every structure element whose text is in another language with /Lang,
by aligning the text of each piece of marked content (read with pdfium) with the language runs
of the HTML it came from, and writes the title and subject in each language into the XMP
metadata. It also takes out of the bookmarks the word joiners that keep Korean words whole
(:func:`brochure.lang.typography.keep_words`), and gives the file an identifier made from its
content, so equal inputs still give equal bytes.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from xml.etree import ElementTree

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium_c

from ..lang.typography import without_marks
from ..render.html import Titles
from .pdfobjects import save

NS = {
    "x": "adobe:ns:meta/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
LANG_ATTRIBUTE = re.compile(r'\blang="([^"]*)"')
SKIPPED = {"head", "title", "style", "script", "svg"}  # no text of theirs is drawn as text


def tagged(pdf: bytes, html: Sequence[str], trees: Sequence[ElementTree.Element], lang: str,
           titles: Mapping[str, Titles]) -> bytes:
    """The PDF with /Lang on its foreign-language elements and titles in every language.

    ``html`` is the document's HTML, one string per rendered part (the sides of a flyer), and
    ``trees`` the same as WeasyPrint parsed it; ``lang`` is the document's language, ``titles``
    the title and subject by language.
    """
    # Reading the text back is needed only where an element is in another language.
    several = len({value for part in html for value in LANG_ATTRIBUTE.findall(part)}) > 1
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if "/StructTreeRoot" in document.Root:
            adopt_running_elements(document.Root.StructTreeRoot)
        if "/StructTreeRoot" in document.Root and several:
            pages = {page.objgen: index for index, page in enumerate(document.pages)}
            marker = _Marker(LanguageRuns(trees), _marked_texts(pdf), pages)
            for element in _children(document.Root.StructTreeRoot):
                marker.languages(element)
                marker.mark(element, lang)
        for bookmark in _bookmarks(document):
            title = str(bookmark.get("/Title", ""))
            if (plain := without_marks(title)) != title:
                bookmark.Title = pikepdf.String(plain)
        write_metadata(document, lang, titles, "\0".join([lang, *html]).encode("utf-8"))
        # PDF/X-4 gets a random /ID from WeasyPrint, whose first half a save would keep.
        if "/ID" in document.trailer:
            del document.trailer.ID
        return save(document)


class LanguageRuns:
    """The drawn text of parsed HTML documents, without white space, with the language of each
    letter."""

    def __init__(self, documents: Sequence[ElementTree.Element]) -> None:
        letters: list[str] = []
        langs: list[str] = []
        for root in documents:
            for text, lang in _texts(root, root.get("lang", "")):
                kept = "".join(without_marks(text).split()).casefold()
                letters.append(kept)
                langs.extend([lang] * len(kept))
        self.text = "".join(letters)
        self.langs = langs
        self._cursor = 0

    def lang_of(self, fragment: str) -> str | None:
        """The language of a piece of drawn text, found next in reading order; None if unsure."""
        needle = "".join(fragment.split()).casefold().rstrip("-\ufffe\u00ad")
        if not needle:
            return None
        found = self.text.find(needle, self._cursor)
        if found < 0:
            found = self.text.find(needle)
            if found < 0:
                return None
        else:
            self._cursor = found + len(needle)
        langs = set(self.langs[found:found + len(needle)])
        return langs.pop() if len(langs) == 1 else None


def _texts(element: ElementTree.Element, lang: str) -> Iterator[tuple[str, str]]:
    """(text, language) of every text node, in document order."""
    tag = element.tag.rpartition("}")[2]
    if tag in SKIPPED:
        return
    lang = element.get("lang") or lang
    if element.text:
        yield element.text, lang
    for child in element:
        yield from _texts(child, lang)
        if child.tail:
            yield child.tail, lang


def _marked_texts(pdf: bytes) -> dict[tuple[int, int], str]:
    """The text of each piece of marked content, by (page index, MCID)."""
    texts: dict[tuple[int, int], str] = {}
    document = pypdfium2.PdfDocument(pdf)
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        for obj in page.get_objects(max_depth=4):
            if obj.type != pdfium_c.FPDF_PAGEOBJ_TEXT:
                continue
            mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj.raw)
            if mcid < 0:
                continue
            size = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
            buffer = (ctypes.c_ushort * (size // 2 + 1))()
            pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
            text = bytes(buffer).decode("utf-16-le", errors="replace").split("\x00", 1)[0]
            texts[index, mcid] = texts.get((index, mcid), "") + text
    return texts


def _bookmarks(document: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every bookmark (outline item), each before its children and its next sibling."""
    outlines = document.Root.get("/Outlines")
    stack = [outlines.get("/First")] if outlines is not None else []
    while stack:
        if (item := stack.pop()) is not None:
            yield item
            stack += [item.get("/Next"), item.get("/First")]


GENERATED = {"/NonStruct", "/Span"}  # all a margin box's generated text (a page number) is


def adopt_running_elements(root: pikepdf.Dictionary) -> None:
    """Put the running elements of the page margins into the structure tree.

    WeasyPrint builds the structure of what a margin box shows but leaves it out of the tree, so
    a screen reader skips it: right for a page number, not for a running element, which is the
    document's own content moved into the margin (the flyer's contact panel: its logo, a Figure
    whose /Alt is the institution's name, its address, links and QR code). A margin box's
    structure with more than generated text in it (any element but spans) is a running
    element's, and goes back at the end of the element WeasyPrint names as its parent.
    """
    reached = {element.objgen for element in _descendants(root)}
    adopted: dict[tuple[int, int], pikepdf.Dictionary] = {}
    for _number, marked in pikepdf.NumberTree(root.ParentTree).items():
        for element in marked if isinstance(marked, pikepdf.Array) else [marked]:
            if not isinstance(element, pikepdf.Dictionary) or element.objgen in reached:
                continue
            while "/P" in element and element.P.objgen not in reached:
                element = element.P
            if "/P" in element and any(str(kid.S) not in GENERATED
                                       for kid in [element, *_descendants(element)]):
                adopted.setdefault(element.objgen, element)
    for element in adopted.values():
        kids = element.P.get("/K")
        if not isinstance(kids, pikepdf.Array):
            element.P.K = kids = pikepdf.Array([] if kids is None else [kids])
        kids.append(element)


def _descendants(element: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """The structure elements under ``element``, not its marked content."""
    for kid in _children(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from _descendants(kid)


def _children(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


class _Marker:
    """Finds the language of each structure element from its text, then sets /Lang top down."""

    def __init__(self, runs: LanguageRuns, texts: Mapping[tuple[int, int], str],
                 pages: Mapping[tuple[int, int], int]) -> None:
        self.runs, self.texts, self.pages = runs, texts, pages
        self.found: dict[tuple[int, int], set[str]] = {}

    def languages(self, element: pikepdf.Object) -> set[str]:
        """The languages of an element's text, its own and its children's, in reading order."""
        page = element.get("/Pg")
        page_index = self.pages.get(page.objgen) if page is not None else None
        langs: set[str] = set()
        for kid in _children(element):
            if isinstance(kid, int) and page_index is not None:
                text = self.texts.get((page_index, int(kid)), "")
                lang = self.runs.lang_of(text) if text.strip() else None
                langs |= {lang} if lang else set()
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                langs |= self.languages(kid)
        self.found[element.objgen] = langs
        return langs

    def mark(self, element: pikepdf.Object, inherited: str) -> None:
        """Set /Lang where an element's single language differs from the one around it."""
        langs = self.found.get(element.objgen, set())
        if len(langs) == 1 and (lang := next(iter(langs))) != inherited:
            element.Lang = pikepdf.String(lang)
            inherited = lang
        for kid in _children(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                self.mark(kid, inherited)


def write_metadata(document: pikepdf.Pdf, lang: str, titles: Mapping[str, Titles],
                   content: bytes) -> None:
    """Give ``document`` XMP metadata with its titles, keeping what WeasyPrint wrote, and a
    document identifier made from ``content`` (what the file is made of)."""
    earlier = document.Root.Metadata.read_bytes() if "/Metadata" in document.Root else None
    identity = uuid.uuid5(uuid.NAMESPACE_URL, hashlib.sha256(content).hexdigest())
    document.Root.Metadata = document.make_stream(_xmp(lang, titles, earlier, identity),
                                                  Type=pikepdf.Name.Metadata,
                                                  Subtype=pikepdf.Name.XML)


def _xmp(lang: str, titles: Mapping[str, Titles], earlier: bytes | None,
         identity: uuid.UUID) -> bytes:
    """An XMP packet with the title and subject as language alternatives.

    What WeasyPrint wrote before (the PDF/X identification of press files) is kept, but its
    random document identifier becomes ``identity``, so equal inputs still give equal bytes.
    """
    for prefix, uri in NS.items():
        if prefix != "xml":
            ElementTree.register_namespace(prefix, uri)
    meta = ElementTree.Element(f"{{{NS['x']}}}xmpmeta")
    rdf = ElementTree.SubElement(meta, f"{{{NS['rdf']}}}RDF")
    for kept in _descriptions(earlier):
        for element in kept.iter(f"{{{NS['xmpMM']}}}DocumentID"):
            element.text = f"uuid:{identity}"
        rdf.append(kept)
    description = ElementTree.SubElement(rdf, f"{{{NS['rdf']}}}Description",
                                         {f"{{{NS['rdf']}}}about": ""})
    for field, attribute in (("title", "title"), ("description", "subject")):
        alternatives = ElementTree.SubElement(
            ElementTree.SubElement(description, f"{{{NS['dc']}}}{field}"), f"{{{NS['rdf']}}}Alt")
        for item_lang in ("x-default", *titles):
            item = ElementTree.SubElement(alternatives, f"{{{NS['rdf']}}}li",
                                          {f"{{{NS['xml']}}}lang": item_lang})
            item.text = getattr(titles[lang if item_lang == "x-default" else item_lang],
                                attribute)
    languages = ElementTree.SubElement(
        ElementTree.SubElement(description, f"{{{NS['dc']}}}language"), f"{{{NS['rdf']}}}Bag")
    for item_lang in titles:
        ElementTree.SubElement(languages, f"{{{NS['rdf']}}}li").text = item_lang
    body = ElementTree.tostring(meta, encoding="unicode")
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{body}\n'
            '<?xpacket end="w"?>').encode()


def _descriptions(xmp: bytes | None) -> list[ElementTree.Element]:
    """The rdf:Description elements of an XMP packet, without the Dublin Core ones we write."""
    if not xmp:
        return []
    rdf = ElementTree.fromstring(xmp.decode("utf-8").split("?>", 1)[-1].rsplit("<?xpacket", 1)[0])
    descriptions = list(rdf.iter(f"{{{NS['rdf']}}}Description"))
    for description in descriptions:
        for element in list(description):
            if element.tag.startswith(f"{{{NS['dc']}}}"):
                description.remove(element)
    return descriptions
