"""Rendering, pure: a job and its data in, PDF bytes out; nothing is written.

:mod:`.templating` builds the Jinja environment, :mod:`.html` fills in a kind's template,
:mod:`.qr` draws the QR codes, and :mod:`.pdf` lays the HTML out with WeasyPrint.
"""
