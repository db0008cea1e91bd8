"""The data stage: a data file (and the spreadsheet it may name) in, a validated data set out.

:func:`load` reads and checks a file, reporting every problem with file, line, record and field
(:mod:`.problems`); :mod:`.model` holds the records. :mod:`.spreadsheet` reads institution lists
kept in .csv or .xlsx, :mod:`.merge` merges one into a data file (``brochure import``),
:mod:`.checks` reports what ``brochure check`` finds beyond errors, and :mod:`.starter` writes a
new city's project (``brochure init``).
"""

from .loading import Loaded, load, load_apart

__all__ = ["Loaded", "load", "load_apart"]
