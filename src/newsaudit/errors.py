"""Errors written for the user; front ends turn them into messages and exit codes."""


class NewsauditError(Exception):
    """Base class: its message is shown to the user as is.

    ``cli_hint`` is what a command-line user can do about it ("pass --allow-private"); other
    front ends leave it out, because their users cannot pass flags.
    """

    exit_code = 2

    def __init__(self, message: str = "", *, cli_hint: str | None = None) -> None:
        super().__init__(message)
        self.cli_hint = cli_hint


class InputError(NewsauditError):
    """What the user gave us cannot be analysed (empty, binary, too large, unreadable)."""


class FetchError(NewsauditError):
    """A URL could not be fetched, or fetching it is not allowed."""


class ModelError(NewsauditError):
    """A packaged model is missing or broken."""

    exit_code = 3
