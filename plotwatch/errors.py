"""One exception hierarchy: every error the library raises on purpose.

Messages name the input and say what to do; the CLI prints them on one line
without a traceback (``--debug`` shows it).
"""

from __future__ import annotations


class PlotwatchError(Exception):
    """Base class of every error plotwatch raises on purpose."""


class InputError(PlotwatchError):
    """An input file or document could not be read."""

    def __init__(self, origin: str, problem: str, hint: str = "") -> None:
        self.origin = origin
        self.problem = problem
        self.hint = hint
        message = f"{origin}: {problem}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class StoreError(PlotwatchError):
    """The database could not be opened, migrated or written."""


class NotFoundError(PlotwatchError):
    """A requested record (incident, event, document) does not exist."""


class ConfigError(PlotwatchError):
    """A data file (lexicon, dictionary, gazetteer) is missing or malformed."""
