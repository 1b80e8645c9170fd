"""Errors the command line reports as a Chinese message on stderr (no traceback)."""


class CliError(Exception):
    """An expected failure: ``str(err)`` is the Chinese message, ``exit_code`` the status."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
