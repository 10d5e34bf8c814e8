"""The one error a policy analyst sees for a bad scenario file or flag."""

from __future__ import annotations


class ScenarioError(Exception):
    """A scenario file, field or flag is invalid.

    Parameters
    ----------
    file
        Path of the offending file (or ``"<overrides>"`` / ``"--flag"`` for command-line input).
    field
        Dotted path of the offending field, or ``None`` when the whole file is at fault.
    problem
        What is wrong, in plain words.
    suggestion
        The nearest valid value or name, when there is one.
    """

    def __init__(
        self, file: str, field: str | None, problem: str, suggestion: str | None = None
    ) -> None:
        self.file = str(file)
        self.field = field
        self.problem = problem
        self.suggestion = suggestion
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One paragraph: which file, which field, what is wrong, what would be valid."""
        where = f"In scenario file '{self.file}'"
        if self.field:
            where += f", field '{self.field}'"
        text = f"{where}: {self.problem}"
        if self.suggestion:
            text += f" {self.suggestion}"
        return text
