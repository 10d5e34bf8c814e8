"""``report.html``: one well-formed, self-contained, escaped file with every section."""

from __future__ import annotations

import base64
import io
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image as mpimg
import pandas as pd

import sim
from sim.analysis.compare import run_names
from sim.analysis.html import estimate, interval, number
from sim.analysis.labels import arm_labels
from sim.model import METRIC_NAMES
from sim.scenario.schema import assumptions
from tests.analysis.conftest import TRICKY

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr"}


class _Checker(HTMLParser):
    """Checks that tags nest and close, and collects images and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(str(attributes["id"]))
        if tag == "img":
            self.images.append(attributes)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> tuple[_Checker, str]:
    source = path.read_text(encoding="utf-8")
    checker = _Checker()
    checker.feed(source)
    checker.close()
    return checker, source


def test_report_is_well_formed_and_self_contained(report_folder: Path) -> None:
    checker, source = _parse(report_folder / "report.html")
    assert source.startswith("<!DOCTYPE html>")
    assert checker.errors == [] and checker.stack == []
    assert len(checker.ids) == len(set(checker.ids))
    # one curve per metric, the grade shares, and the Kaplan-Meier curves when any arm was at risk
    assert len(checker.images) >= len(METRIC_NAMES) + 1
    for image in checker.images:
        src = str(image["src"])
        assert src.startswith("data:image/png;base64,")
        data = base64.b64decode(src.split(",", 1)[1], validate=True)
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert mpimg.imread(io.BytesIO(data), format="png").ndim == 3  # decodes as an image
        assert image["alt"]
    assert "http://" not in source and "https://" not in source  # nothing fetched from outside


def test_report_escapes_text(report_folder: Path) -> None:
    checker, source = _parse(report_folder / "report.html")
    assert "<script" not in source and "<b>name</b>" not in source
    text = "".join(checker.text)
    assert TRICKY in text and "tricky <b>name</b>" in text


def test_report_has_every_section(report_folder: Path) -> None:
    checker, _ = _parse(report_folder / "report.html")
    text = "".join(checker.text)
    results = sim.load_results(report_folder)
    for heading in (
        "The answer",
        "Differences from the reference",
        "Key outcomes per arm",
        "Time to leave inadequate",
        "Ofsted grade",
        "What this scenario changes",
        "Arms",
        "Results",
        "Event outcomes",
        "Outcome curves",
        "Assumptions and provenance",
        "Run metadata",
    ):
        assert heading in text
    scenario = sim.load_scenario(report_folder / "scenario.resolved.yaml")
    names = arm_labels(results.arms, results.arm_overrides, scenario.labels)
    for arm in results.arms:
        assert names[arm] in text
    assert text.index("The answer") < text.index("Outcome curves")  # after the contents bar
    assert "mean of a metric over its last 12 recorded months" in text
    assert "censored" in text and "Relapsed within 24 months" in text
    listed = assumptions(scenario)
    assert listed and all(p.path in text for p in listed)
    assert f"{len(listed)} of " in text and "Provenance of all" in text
    assert results.manifest["scenario_sha256"] in text
    summary = pd.read_csv(report_folder / "summary.csv")
    morale = summary.loc[summary["metric"] == "morale"].iloc[0]
    assert estimate(morale["mean"]) in text


def test_estimates_keep_their_digits_when_whole() -> None:
    """A mean that happens to be whole (a grade of exactly 2) is shown with the digits of its
    interval; counts stay whole."""
    assert f"{estimate(2.0)} ({interval(1.37, 2.63)})" == "2.00 (1.37 to 2.63)"
    assert interval(2.0, 2.0) == "2.00 to 2.00"
    assert number(100.0) == "100" and number(8.0) == "8"
    assert estimate(12.5) == number(12.5) == "12.5"


def test_run_names_are_unique() -> None:
    class _Run:
        def __init__(self, name: str) -> None:
            self.name = name

    runs = [_Run("s"), _Run("s")]
    assert run_names(runs, [Path("x/a"), Path("y/b")]) == ["a", "b"]  # type: ignore[arg-type]
    assert run_names(runs, [Path("x/a"), Path("y/a")]) == ["1. a", "2. a"]  # type: ignore[arg-type]
    assert run_names([_Run("p"), _Run("q")], [Path("a"), Path("a")]) == ["p", "q"]  # type: ignore[arg-type]
