"""The demo's report, as a policy analyst opens it: in headless Chromium it starts with the
answer; its paired differences match a recomputation from ``timeseries.parquet``; no interval
leaves its outcome's range; ``results.xlsx`` holds the numbers of ``summary.csv``."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from scipy import stats

import sim
from sim.analysis.answer import answer
from sim.analysis.formats import outcome_interval, outcome_value
from sim.analysis.labels import arm_labels
from sim.analysis.outcomes import outcomes_table
from sim.analysis.stats import value_range
from sim.analysis.windows import OUTCOME_BY_NAME
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

TIMEOUT_S = 180
FLAGS = CHROMIUM_ARGS
#: The demo run end to end, read as an analyst does (browser, PDF, workbook): run without
#: coverage in CI (the ``e2e`` marker, ``.ci/run``); tests/analysis/test_report.py covers the
#: report's code line by line.
pytestmark = pytest.mark.e2e


class _Tables(HTMLParser):
    """Collects the rows of the table in the section with a given id, and the h2 headings."""

    def __init__(self, section_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.inside, self.rows, self.h2 = section_id, False, [], []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.inside = dict(attrs).get("id") == self.wanted
        elif tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        elif self.inside and tag == "tr":
            self._row = []
        elif self.inside and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_h2:
            self.h2[-1] += data
        if self._cell is not None:
            self._cell.append(data)


def _table(folder: Path, section_id: str) -> _Tables:
    parser = _Tables(section_id)
    parser.feed((folder / "report.html").read_text(encoding="utf-8"))
    return parser


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_demo_report_starts_with_the_answer_in_chromium(demo_folder: Path, tmp_path: Path) -> None:
    url = (demo_folder / "report.html").as_uri()
    profile = f"--user-data-dir={tmp_path / 'profile'}"
    shot = tmp_path / "report.png"
    subprocess.run(
        [str(CHROMIUM), *FLAGS, profile, "--window-size=1280,1600", f"--screenshot={shot}", url],
        capture_output=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    dom = subprocess.run(
        [str(CHROMIUM), *FLAGS, profile, "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    ).stdout  # fmt: skip
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    # the screenshot is a real, non-blank picture of the page
    import matplotlib.image as mpimg

    pixels = mpimg.imread(shot)
    assert pixels.shape[0] >= 1000 and pixels.shape[1] >= 1200
    assert float(np.std(pixels[..., :3])) > 0.05  # text and tables, not a blank page
    headings = re.findall(r"<h2>(.*?)</h2>", dom)
    assert headings[0] == "The answer" and headings[1] == "Differences from the reference"
    answers = re.search(r'<ul class="answer">(.*?)</ul>', dom, re.S)
    assert answers is not None
    items = re.findall(r"<li>(.*?)</li>", answers.group(1), re.S)
    assert len(items) == 1 + 2  # the overview, then 24 against 6 months per director tenure
    assert items[0].startswith("Of 2 comparison(s) with the reference")
    assert "24-month team, against 6-month team (directors stay 12 months" in dom


def test_paired_differences_match_timeseries(demo_folder: Path) -> None:
    ts = pd.read_parquet(demo_folder / "timeseries.parquet")
    ts["arm"] = ts["arm"].astype(str)
    results = sim.load_results(demo_folder)
    scenario = sim.load_scenario(demo_folder / "scenario.resolved.yaml")
    names = arm_labels(results.arms, results.arm_overrides, scenario.labels)
    rows = _table(demo_folder, "differences").rows
    header, body = rows[0], rows[1:]
    assert header[3:] == ["Years 1–3", "Months 85–108", "The whole run"]
    arm = "duration_months=24 dcs_mean_tenure_months=60"
    ref = "duration_months=6 dcs_mean_tenure_months=60"
    windows = {"Years 1–3": (1, 36), "Months 85–108": (85, 108), "The whole run": (1, 108)}
    checked = 0
    for column, (first, last) in windows.items():
        inside = ts.loc[(ts["month"] >= first) & (ts["month"] <= last)]
        per_rep = inside.groupby(["arm", "replication"])["practice_quality"].mean().unstack("arm")
        diff = (per_rep[arm] - per_rep[ref]).to_numpy()
        ci = stats.ttest_1samp(diff, 0).confidence_interval(0.95)
        low, high = max(ci.low, -1.0), min(ci.high, 1.0)
        expected = (
            f"{outcome_value('0-1', diff.mean(), True)} "
            f"({outcome_interval('0-1', low, high, True)})"
        )
        row = next(r for r in body if r[0] == names[arm] and r[2] == "practice quality")
        assert row[1] == names[ref]
        assert row[3 + list(windows).index(column)] == expected
        checked += 1
        cost = inside.groupby(["arm", "replication"])["cost_month_gbp"].sum().unstack("arm")
        cost_diff = (cost[arm] - cost[ref]).mean()
        cost_row = next(r for r in body if r[0] == names[arm] and r[2] == "cost")
        assert cost_row[3 + list(windows).index(column)].startswith(
            outcome_value("GBP", cost_diff, True) + " ("
        )
    assert checked == 3
    # the summary sentence quotes the same estimate as the table: "... in years 1–3 +0.041 ..."
    # when the difference is clear, "... in years 1–3 (+0.041; 95% CI ..." when it is not
    html = (demo_folder / "report.html").read_text(encoding="utf-8")
    value = row[3].split(" (")[0]
    assert (
        f"practice quality in years 1–3 {value}" in html
        or f"practice quality in years 1–3 ({value}; " in html
    )


def test_no_interval_leaves_its_range(demo_folder: Path) -> None:
    results = sim.load_results(demo_folder)
    found = answer(results.timeseries, results.events, results.arms, results.arm_overrides)
    windows = {w.key: w for w in found.windows}
    for row in found.estimates.dropna(subset=["ci_low"]).to_dict("records"):
        low, high = OUTCOME_BY_NAME[row["outcome"]].range_in(windows[row["window"]])
        assert low <= row["ci_low"] <= row["ci_high"] <= high, row
    for row in found.differences.dropna(subset=["ci_low"]).to_dict("records"):
        low, high = OUTCOME_BY_NAME[row["outcome"]].range_in(windows[row["window"]])
        assert low - high <= row["ci_low"] <= row["ci_high"] <= high - low, row
    summary = pd.read_csv(demo_folder / "summary.csv").dropna(subset=["ci_low"])
    for row in summary.to_dict("records"):
        low, high = value_range(row["metric"])
        assert low <= row["ci_low"] <= row["ci_high"] <= high, row
    events = outcomes_table(results.events, results.arms, results.timeseries)
    assert (
        (events["relapsed_ci_low"].fillna(0) >= 0) & (events["relapsed_ci_high"].fillna(1) <= 1)
    ).all()
    assert (events["total_cost_ci_low"].dropna() >= 0).all()


def test_workbook_holds_the_summary(demo_folder: Path) -> None:
    book = load_workbook(demo_folder / "results.xlsx", read_only=True)
    assert book.sheetnames == [
        "summary", "differences", "per_arm", "event_outcomes", "survival", "assumptions",
    ]  # fmt: skip
    rows = list(book["summary"].values)
    sheet = pd.DataFrame(rows[1:], columns=rows[0])
    summary = pd.read_csv(demo_folder / "summary.csv")
    assert list(sheet.columns) == list(summary.columns)
    pd.testing.assert_frame_equal(
        sheet.astype({c: float for c in ("mean", "sd", "ci_low", "ci_high", "p10", "p90")}),
        summary, check_dtype=False, rtol=1e-15, atol=0,
    )  # fmt: skip  # openpyxl writes 16 significant digits (Excel itself keeps 15)
    diffs = list(book["differences"].values)
    assert diffs[0][:4] == ("arm", "reference", "window", "outcome") and len(diffs) > 1


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_demo_report_prints_to_pdf(demo_folder: Path, tmp_path: Path) -> None:
    """The print stylesheet: the page prints from the browser to a PDF of several pages."""
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", (demo_folder / "report.html").as_uri()],
        capture_output=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 5
    html = (demo_folder / "report.html").read_text(encoding="utf-8")
    assert "@media print" in html and "details::details-content" in html
