"""Errors a user can act on: each names the file and, where known, the line."""

from __future__ import annotations


class CtkgError(Exception):
    """Base class: everything the CLI reports as a one-line reason and a non-zero exit."""

    exit_code = 2


class SourceError(CtkgError):
    """A source file cannot be read as valid RDF (syntax, prefix, ill-typed literal)."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


class BuildError(CtkgError):
    """The sources parse but break a hygiene rule, or the output cannot be written."""

    exit_code = 1
