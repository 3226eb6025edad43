"""Errors written for the user; front ends turn them into messages and exit codes."""


class NewsauditError(Exception):
    """Base class: its message is shown to the user as is."""

    exit_code = 2


class InputError(NewsauditError):
    """What the user gave us cannot be analysed (empty, binary, too large, unreadable)."""


class FetchError(NewsauditError):
    """A URL could not be fetched, or fetching it is not allowed."""


class ModelError(NewsauditError):
    """A packaged model is missing or broken."""

    exit_code = 3
