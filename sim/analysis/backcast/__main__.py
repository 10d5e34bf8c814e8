"""``python -m sim.analysis.backcast FOLDER [--csv PATH] [--figures DIR] [--markdown]``: the back-cast table of a population
run; writes ``FOLDER/backcast.csv`` (or ``--csv``) atomically and prints it. Exit 2 on a folder
that is not a population run's."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.analysis.backcast.table import BACKCAST_CSV, backcast_table
from sim.experiment.layout import write_text_atomic
from sim.scenario.errors import ScenarioError


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sim.analysis.backcast", description=__doc__)
    parser.add_argument("folder", type=Path, help="results folder of a population run")
    parser.add_argument("--csv", type=Path, default=None, help=f"default FOLDER/{BACKCAST_CSV}")
    parser.add_argument(
        "--markdown", action="store_true", help="print the docs' Markdown tables instead"
    )
    parser.add_argument(
        "--figures", type=Path, default=None, help="also write the four PNG figures here"
    )
    args = parser.parse_args(argv)
    try:
        table = backcast_table(args.folder)
    except ScenarioError as err:
        print(err.message, file=sys.stderr)
        return 2
    out = args.csv or args.folder / BACKCAST_CSV
    write_text_atomic(out, table.to_csv(index=False))
    if args.figures is not None:
        from sim.analysis.backcast.figures import write_figures

        for path in write_figures(table, args.figures):
            print(f"Wrote {path}", file=sys.stderr)
    if args.markdown:
        from sim.analysis.backcast.markdown import backcast_markdown

        print(backcast_markdown(table))
        return 0
    shown = table.drop(columns=["description", "unit", "group"])
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.3g}"))
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
