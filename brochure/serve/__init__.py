"""The live preview (``brochure serve``): the outputs as pages in a browser, as files change.

In: a data file and a theme. Out: an HTTP server at 127.0.0.1 (:mod:`.server`).
"""

from .server import Server, start

__all__ = ["Server", "start"]
