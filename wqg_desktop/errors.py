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


def os_reason(exc: OSError) -> str:
    """Why a file could not be read or written, in Chinese (the system's own text is English on
    many machines): to follow “无法写入文件 X：”."""
    import errno

    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，请指定文件名"
    if isinstance(exc, NotADirectoryError):
        return "路径中有一段不是文件夹，请检查路径"
    if isinstance(exc, FileNotFoundError):
        return "文件或它所在的文件夹不存在"
    if isinstance(exc, PermissionError):
        return "没有权限：请换一个位置，或检查它是否只读、是否正被其他程序打开"
    if exc.errno == errno.ENOSPC:
        return "磁盘空间不足"
    if exc.errno == errno.EROFS:
        return "所在的磁盘只能读、不能写"
    return f"系统错误 {exc.errno or '未知'}"
