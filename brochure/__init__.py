"""Print-ready, bilingual PDF brochures and flyers with QR codes from a creative city's data.

The library entry points are :func:`brochure.data.load` (data file -> validated dataset) and
:func:`brochure.build.build` (dataset -> PDFs and manifest in an output folder); the ``brochure``
command is a thin layer over them.
"""

__version__ = "0.1.0"
