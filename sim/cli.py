"""The ``csc-sim`` command. It holds no logic the Python API lacks; it parses flags, calls the API
and turns bad input into a one-paragraph message with exit code 2 (DESIGN §3)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from sim.scenario.errors import ScenarioError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def friendly_errors(func: F) -> F:
    """Turn a :class:`ScenarioError` into its message on stderr and exit code 2 (no traceback
    unless ``--debug``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ScenarioError as err:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"Error: {err.message}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(package_name="csc-sim")
def main(debug: bool) -> None:
    """Simulate a council's children's social care service under government intervention."""


# Commands are defined in the modules below and registered here.
