from __future__ import annotations


class RotaError(Exception):
    """A domain rule was broken; the message is for the person who tried.

    ``field`` names the form field the message belongs next to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
