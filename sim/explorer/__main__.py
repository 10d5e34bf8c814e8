"""``python -m sim.explorer [--host H] [--port P]``: start the explorer (``csc-sim explore`` runs
this as its own program, so the CLI and the explorer stay independent faces, DESIGN §2)."""

from __future__ import annotations

import argparse
import sys

from sim.explorer.launch import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    EXTRA_HINT,
    exec_streamlit,
    exposure_warning,
    streamlit_installed,
)

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    """Check the extra, warn about a host beyond loopback, then become the Streamlit server."""
    parser = argparse.ArgumentParser(prog="python -m sim.explorer")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    if not streamlit_installed():
        print(
            f"Error: csc-sim explore: the explorer needs Streamlit, which is not installed. "
            f"{EXTRA_HINT}.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    warning = exposure_warning(args.host, args.port)
    if warning:
        print(warning, file=sys.stderr)
    print(f"Explorer: http://{args.host}:{args.port} (Ctrl+C stops it)", file=sys.stderr)
    exec_streamlit(args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
