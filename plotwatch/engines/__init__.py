"""Engines that run the pipeline: ``local`` (``plotwatch.pipeline``, one process) and ``spark``.

Every engine ingests, extracts and resolves with the same stage code and stores
and merges with ``plotwatch.pipeline``'s functions, so the records are the
same whichever engine wrote them. ``spark`` needs the ``spark`` extra
(``pip install 'plotwatch[spark]'``) and Java 17.
"""

from __future__ import annotations

ENGINES = ("local", "spark")
