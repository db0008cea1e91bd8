"""``python -m brochure``: the same as the ``brochure`` command."""

from .cli import run

run()
