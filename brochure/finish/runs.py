"""Print runs: the finished flyers of a language mode and profile as one PDF, fonts shared.

A print shop takes one file per run rather than one per flyer, and a thousand flyers each
carrying its own copy of the same fonts make a needlessly large one. The flyers are merged as
built, not laid out again: pikepdf copies their pages, then each face's fonts become one. That
works because every flyer embeds a subset of the same font program with the font's own glyph
ids (WeasyPrint keeps them, and names a face the same in every file), so the merged font is one
of the subsets with the glyphs of all the others copied in, and the widths and the text
mapping of all of them.

The run is for printers: the pages keep their boxes, the file its PDF/X identification and
output intent, but not the flyers' structure tags or bookmarks (a screen reader reads the
flyers themselves).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Name

from ..data.model import Dataset
from ..lang.modes import LanguageMode
from ..lang.typography import blank_glyphs
from ..render.html import Titles
from .pdfobjects import drawings, keep_metadata, save, unicode_map
from .tagging import write_metadata

CMAP_CHUNK = 100  # entries per bfchar block, the most a CMap block may hold
UNDECODED = {Name.Length, Name.Filter, Name.DecodeParms}  # how a stream is stored, not what


def merge(pdfs: Sequence[bytes], lang: str, titles: Mapping[str, Titles]) -> bytes:
    """One PDF of the pages of ``pdfs``, in order, each face's fonts merged into one.

    ``titles`` are the run's title and subject by language, ``lang`` the document's language.
    """
    with ExitStack() as stack:
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(pdf))) for pdf in pdfs]
        run = pikepdf.new()
        keep_metadata(sources[0], run)
        if Name.OutputIntents in sources[0].Root:
            intents = sources[0].make_indirect(sources[0].Root.OutputIntents)
            run.Root.OutputIntents = run.copy_foreign(intents)
        for source in sources:
            for page in source.pages:
                run.pages.append(page)
        for page in run.pages:
            for key in (Name.StructParents, Name.Tabs):  # the structure stays behind
                if key in page.obj:
                    del page.obj[key]
        for faces in _faces(run).values():
            _share(run, faces)
        _share_alike(run)
        write_metadata(run, lang, titles, b"".join(hashlib.sha256(pdf).digest() for pdf in pdfs))
        run.docinfo[Name.Title] = pikepdf.String(titles[lang].title)
        run.docinfo[Name.Subject] = pikepdf.String(titles[lang].subject)
        return save(run, sources[0].pdf_version)


def titles(dataset: Dataset, mode: LanguageMode) -> dict[str, Titles]:
    """A run's title and subject in each language of its mode: the city and its network."""
    order = dataset.languages
    named = {lang: f"{dataset.city.name.resolve(lang, order).text} · "
                   f"{dataset.network.name.resolve(lang, order).text}" for lang in mode.languages}
    return {lang: Titles(name, name) for lang, name in named.items()}


class _Face:
    """Where one embedded copy of a font is used: the font and the resource names it has."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.font = font
        self.uses: list[tuple[pikepdf.Dictionary, str]] = []


def _faces(run: pikepdf.Pdf) -> dict[str, dict[tuple[int, int], _Face]]:
    """Every embedded TrueType composite font, by face (its base name), then by object."""
    faces: dict[str, dict[tuple[int, int], _Face]] = {}
    for page in run.pages:
        for resources, _contents in drawings(page.obj):
            for name, font in resources.get(Name.Font, {}).items():
                if _mergeable(font):
                    face = faces.setdefault(str(font.BaseFont), {}).setdefault(
                        font.objgen, _Face(font))
                    face.uses.append((resources.Font, name))
    return faces


def _mergeable(font: pikepdf.Object) -> bool:
    """A composite font with a TrueType program whose codes are its glyph ids, as WeasyPrint
    writes them."""
    if font.get(Name.Subtype) != Name.Type0 or font.get(Name.Encoding) != Name("/Identity-H"):
        return False
    descendant = font.DescendantFonts[0]
    return (descendant.get(Name.CIDToGIDMap) == Name.Identity
            and Name.FontFile2 in descendant.get(Name.FontDescriptor, {}))


def _share(run: pikepdf.Pdf, faces: Mapping[tuple[int, int], _Face]) -> None:
    """Make one copy of a face hold every copy's glyphs, and use it everywhere.

    Copies are read one at a time, so a long run does not hold them all. WeasyPrint names a
    face by its description, not its file, so two copies that disagree on a glyph or a width
    are not the same font (a fallback font updated between builds, say): the face is then left
    as it is, each flyer with its own copy. Where two copies map a glyph to different text
    (a space and a no-break space share a glyph), the first copy's mapping is kept.
    """
    if len(faces) < 2:
        return
    first = max(faces.values(), key=lambda face: _program(face.font, lazy=True)["maxp"].numGlyphs)
    merged = _program(first.font)
    empty = blank_glyphs(merged)  # as the copies fill them, no longer empty
    widths = dict(_widths(first.font.DescendantFonts[0].get(Name.W, [])))
    text = unicode_map(first.font)
    for face in faces.values():
        if face is first:
            continue
        own = dict(_widths(face.font.DescendantFonts[0].get(Name.W, [])))
        if any(widths.get(gid, width) != width for gid, width in own.items()):
            return
        if not _copy_glyphs(_program(face.font), merged, empty):
            return
        widths.update(own)
        for code, characters in unicode_map(face.font).items():
            text.setdefault(code, characters)
    output = io.BytesIO()
    merged.save(output)
    program = output.getvalue()
    descendant = first.font.DescendantFonts[0]
    descendant.FontDescriptor.FontFile2 = run.make_stream(program, Length1=len(program))
    descendant.W = pikepdf.Array(_width_array(widths))
    first.font.ToUnicode = run.make_stream(_to_unicode(text))
    for face in faces.values():
        for fonts, name in face.uses:
            fonts[name] = first.font


def _share_alike(run: pikepdf.Pdf) -> None:
    """Keep one copy of each stream that many flyers carry alike: the press profile's colour
    profile (167 KB), an emblem every flyer shows. Only streams that refer to nothing else are
    compared, so equal bytes and keys mean equal objects."""
    kept: dict[bytes, pikepdf.Object] = {}
    same: dict[tuple[int, int], pikepdf.Object] = {}
    for stream in run.objects:
        if not isinstance(stream, pikepdf.Stream) or any(
                isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
                for value in stream.stream_dict.values()):
            continue
        keys = sorted((str(key), repr(value)) for key, value in stream.stream_dict.items()
                      if key not in UNDECODED)
        digest = hashlib.sha256(repr(keys).encode() + _content(stream)).digest()
        if (first := kept.setdefault(digest, stream)).objgen != stream.objgen:
            same[stream.objgen] = first
    for item in list(run.objects) if same else ():
        _point_to_kept(item, same)


def _content(stream: pikepdf.Stream) -> bytes:
    """A stream's data without its compression, which differs between writers (the output
    intent's profile and a page's are compressed differently); as stored if pikepdf cannot
    undo its filter."""
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:
        return stream.read_raw_bytes()


def _point_to_kept(item: pikepdf.Object, same: Mapping[tuple[int, int], pikepdf.Object]) -> None:
    """Replace in ``item`` and the direct objects within it every reference to a copy."""
    if isinstance(item, pikepdf.Stream):
        item = item.stream_dict
    if isinstance(item, pikepdf.Dictionary):
        entries = list(item.items())
    elif isinstance(item, pikepdf.Array):
        entries = list(enumerate(item))
    else:
        return
    for key, value in entries:
        if not isinstance(value, pikepdf.Object):
            continue
        if value.is_indirect:
            if value.objgen in same:
                item[key] = same[value.objgen]
        else:
            _point_to_kept(value, same)


def _program(font: pikepdf.Dictionary, lazy: bool | None = None) -> TTFont:
    program = font.DescendantFonts[0].FontDescriptor.FontFile2.read_bytes()
    return TTFont(io.BytesIO(program), recalcTimestamp=False, lazy=lazy)


def _copy_glyphs(source: TTFont, target: TTFont, empty: set[int]) -> bool:
    """Copy into ``target`` each glyph that ``source`` draws and ``target`` has ``empty``
    (taken out of it); False, and ``target`` not to be used, if a glyph both draw differs:
    they are not the same font. A glyph copied from an earlier copy counts as drawn, though
    the table of offsets that fontTools read says otherwise until the font is saved.

    Glyphs are copied as their raw data, never decoded: a composite glyph names its parts by
    glyph id, and the ids are the same in every subset.
    """
    source_order, target_order = source.getGlyphOrder(), target.getGlyphOrder()
    source_glyphs, target_glyphs = source["glyf"].glyphs, target["glyf"].glyphs
    source_metrics, target_metrics = source["hmtx"].metrics, target["hmtx"].metrics
    for gid in sorted(set(range(min(len(source_order), len(target_order)))) - blank_glyphs(source)):
        glyph = source_glyphs[source_order[gid]]
        if gid in empty:
            empty.discard(gid)
            target_glyphs[target_order[gid]] = glyph
            target_metrics[target_order[gid]] = source_metrics[source_order[gid]]
        elif _raw(glyph) != _raw(target_glyphs[target_order[gid]]):
            return False
    return True


def _raw(glyph: object) -> bytes:
    """A glyph's data as stored, without the padding that aligns it in its table."""
    return bytes(getattr(glyph, "data", b"")).rstrip(b"\0")


def _widths(array: Sequence[pikepdf.Object]) -> Iterator[tuple[int, int]]:
    """(glyph id, width) pairs of a /W array: ``first [w w ...]`` or ``first last w``."""
    items = list(array)
    index = 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            for offset, width in enumerate(items[index + 1]):
                yield first + offset, int(width)
            index += 2
        else:
            for gid in range(first, int(items[index + 1]) + 1):
                yield gid, int(items[index + 2])
            index += 3


def _width_array(widths: Mapping[int, int]) -> list[object]:
    """A /W array of runs of consecutive glyph ids: ``first [w w ...]``."""
    array: list[object] = []
    for gid in sorted(widths):
        if array and isinstance(array[-1], list) and array[-2] + len(array[-1]) == gid:
            array[-1].append(widths[gid])
        else:
            array += [gid, [widths[gid]]]
    return [pikepdf.Array(item) if isinstance(item, list) else item for item in array]


def _to_unicode(text: Mapping[int, bytes]) -> bytes:
    """A /ToUnicode CMap of ``text``, as WeasyPrint writes them."""
    codes = sorted(text)
    blocks = []
    for start in range(0, len(codes), CMAP_CHUNK):
        chunk = codes[start:start + CMAP_CHUNK]
        lines = "\n".join(f"<{code:04x}> <{text[code].decode()}>" for code in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
            + "\n".join(blocks)
            + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend").encode()
