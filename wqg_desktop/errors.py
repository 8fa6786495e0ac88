"""The project's own error types. Every message is Chinese and says what the user can do."""

from __future__ import annotations


class WqgError(Exception):
    """Base of all errors the program expects; ``str(err)`` is the Chinese message."""

    #: exit code of the command line: 2 = the input was refused, 1 = anything else
    exit_code = 1

    def __init__(self, message: str, *, details: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InputRefused(WqgError):
    """Bad input or a rule that refuses the action (exit code 2)."""

    exit_code = 2


class RuleViolation(InputRefused):
    """A domain rule refuses the action; the message says what would make it legal."""


class NotFound(InputRefused):
    """A record named by the user does not exist (or a prefix is ambiguous)."""


class DatabaseError(WqgError):
    """The database cannot be opened or used (locked, corrupt, too new…)."""


class DatabaseLocked(DatabaseError):
    """Another running copy of the program is writing this database."""


class DatabaseTooNew(DatabaseError):
    """The database was written by a newer version of the program."""


class DatabaseCorrupt(DatabaseError):
    """``PRAGMA quick_check`` failed."""
