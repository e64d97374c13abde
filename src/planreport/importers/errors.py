"""The one way an import stops: a message naming the file (and table and row) and what to do."""

from __future__ import annotations


class ImportFailed(Exception):
    """The import cannot go on; nothing has been written. The message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
