"""``csc-sim explore``: loopback by default, a warning otherwise, a clear error without the extra."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sim import cli
from sim.explorer import launch


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost", "LOCALHOST"])
def test_loopback_hosts_are_quiet(host: str) -> None:
    assert launch.is_loopback(host)
    assert launch.exposure_warning(host, 8501) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_other_hosts_warn(host: str) -> None:
    warning = launch.exposure_warning(host, 9000)
    assert warning is not None and f"{host}:9000" in warning and "no login" in warning


def test_streamlit_runs_without_error_details_on_the_given_address() -> None:
    argv = launch.streamlit_argv("127.0.0.1", 8600)
    assert argv[1:4] == ["-m", "streamlit", "run"]
    for flag in (
        "--server.address=127.0.0.1",
        "--server.port=8600",
        "--client.showErrorDetails=false",
        "--browser.gatherUsageStats=false",
        "--server.maxUploadSize=1",
    ):
        assert flag in argv


def test_explore_without_the_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "streamlit" else real(name, *a),
    )
    called: list[object] = []
    monkeypatch.setattr(cli.os, "execv", lambda *a: called.append(a))
    done = CliRunner().invoke(cli.main, ["explore"])
    assert done.exit_code == 2 and not called
    assert 'pip install -e ".[explorer]"' in done.output and "Traceback" not in done.output


def test_explore_becomes_the_explorer_program(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[tuple[object, ...]] = []
    monkeypatch.setattr(cli.os, "execv", lambda *a: called.append(a))
    done = CliRunner().invoke(cli.main, ["explore", "--host", "0.0.0.0", "--port", "9001"])
    assert done.exit_code == 0, done.output
    ((path, argv),) = called
    assert argv[1:] == ["-m", "sim.explorer", "--host", "0.0.0.0", "--port", "9001"]


def test_the_explorer_program_warns_then_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sim.explorer import __main__ as program

    called: list[tuple[object, ...]] = []
    monkeypatch.setattr(program, "exec_streamlit", lambda *a: called.append(a))
    assert program.main(["--host", "0.0.0.0", "--port", "9001"]) == 0
    assert called == [("0.0.0.0", 9001)] and "Warning" in capsys.readouterr().err
    assert program.main([]) == 0
    assert called[-1] == ("127.0.0.1", 8501) and "Warning" not in capsys.readouterr().err
    monkeypatch.setattr(program, "streamlit_installed", lambda: False)
    assert program.main([]) == 2
    assert ".[explorer]" in capsys.readouterr().err
