"""Progress display rules and the manifest's provenance fields."""

from __future__ import annotations

import io
import re

import pytest

from sim.experiment import manifest, progress
from sim.experiment.progress import LineProgress, NoProgress, make_progress, should_show


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_an_interactive_terminal_outside_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress.sys, "stderr", _Tty())
    assert should_show(None)
    monkeypatch.setenv("CI", "true")
    assert not should_show(None)
    assert should_show(True)
    monkeypatch.delenv("CI")
    monkeypatch.setattr(progress.sys, "stderr", io.StringIO())
    assert not should_show(None)
    # not a terminal: plain lines (CI logs), unless asked for nothing
    assert isinstance(make_progress(10, 0, None, "x"), LineProgress)
    assert isinstance(make_progress(10, 0, False, "x"), NoProgress)
    monkeypatch.setattr(progress, "in_notebook", lambda: True)
    assert isinstance(make_progress(10, 0, None, "x"), NoProgress)
    monkeypatch.setattr(progress.sys, "stderr", _Tty())
    assert not should_show(None)
    assert not should_show(False)


def test_progress_bar_counts_replications(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(progress.sys, "stderr", stream)
    bar = make_progress(total=8, initial=2, progress=True, description="demo")
    bar.update(3)
    bar.close()
    assert "5/8" in stream.getvalue()


def test_plain_progress_lines_every_tenth(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(progress.sys, "stderr", stream)
    lines = LineProgress(total=20, initial=0, description="demo")
    for _ in range(20):
        lines.update(1)
    lines.close()
    text = stream.getvalue().splitlines()
    assert text[0] == "demo: started: 20 replications"
    shares = [int(m) for m in re.findall(r"\((\d+)%\)", "\n".join(text))]
    assert shares[:9] == [10, 20, 30, 40, 50, 60, 70, 80, 90] and shares[-1] == 100
    assert "s left" in text[1] and len(text) == 11


def test_provenance_fields() -> None:
    commit = manifest.git_commit()
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)
    versions = manifest.dependency_versions()
    assert versions["numpy"] and versions["pandas"] and "dask" in versions
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", manifest.now_iso())
