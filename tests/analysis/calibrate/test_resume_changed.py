"""``--resume`` after an edit of the calibration file reuses the stages the edit cannot reach
(the chained stage digests, ``Study.stage_digests``), runs the rest again, and ends as a study
run straight with the edited file; an edit that changes the runs themselves is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from sim.cli import main
from tests.analysis.calibrate.conftest import HORIZON_YEARS, write_study

#: Small enough to run three times: 2 waves of 4 points and 8 posterior points, 1 replication.
STUDY = {
    "replications": 1,
    "waves": 2,
    "points_per_wave": 4,
    "posterior_points": 8,
    "candidates": 1000,
    "horizon_years": HORIZON_YEARS,
}


def _lines(out: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in (out / "journal" / "runs.jsonl").read_text().splitlines()]


def _calibrate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["calibrate", *args])
    return result.exit_code, result.output


def test_resume_after_an_edit_reuses_the_stages_before_it(
    twin_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "files"
    shutil.copytree(twin_folder, folder)
    out = tmp_path / "study"
    code, text = _calibrate(str(write_study(folder, study=STUDY)), "--out", str(out))
    assert code == 0, text
    first = _lines(out)
    waves = [r for r in first if str(r["stage"]).startswith("wave")]

    # More posterior points: both waves are kept line for line, the posterior stage runs again.
    more = write_study(folder, study={**STUDY, "posterior_points": 10})
    code, text = _calibrate(str(more), "--out", str(out), "--resume")
    assert code == 0, text
    assert "reusing wave1, wave2, running posterior again" in text
    after = _lines(out)
    assert after[: len(waves)] == waves
    assert sum(r["stage"] == "posterior" for r in after) == 10
    straight = tmp_path / "straight"
    assert _calibrate(str(more), "--out", str(straight))[0] == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "posterior.parquet"), pd.read_parquet(straight / "posterior.parquet")
    )

    # A stricter screen: wave 1 is kept, wave 2 and the posterior stage run again.
    stricter = write_study(
        folder, study={**STUDY, "posterior_points": 10}, implausibility_cutoff=2.5
    )
    code, text = _calibrate(str(stricter), "--out", str(out), "--resume")
    assert code == 0, text
    assert "reusing wave1, running wave2, posterior again" in text
    assert [r for r in _lines(out) if r["stage"] == "wave1"] == [
        r for r in waves if r["stage"] == "wave1"
    ]

    # Another seed changes every run: refused, and the journal is left as it was.
    before = (out / "journal" / "runs.jsonl").read_bytes()
    other = write_study(
        folder, study={**STUDY, "posterior_points": 10}, implausibility_cutoff=2.5, seed=6
    )
    code, text = _calibrate(str(other), "--out", str(out), "--resume")
    assert code == 2 and "changed since this study began" in text
    assert (out / "journal" / "runs.jsonl").read_bytes() == before


def test_a_stage_new_to_the_journal_is_made_afresh_without_dropping_later_ones(
    tmp_path: Path,
) -> None:
    """A journal written before the screened pool was a stage of its own (no ``pool`` in its
    stages) resumes with its waves, rounds and posterior kept and only the pool made again; a
    stage whose digest differs still ends the stages kept."""
    from sim.analysis.calibrate.journal import Journal

    out = tmp_path / "study"
    old = {"wave1": "a", "refine1": "b", "posterior": "c"}
    first = Journal(out, "old", resume=False, force=False, stages=old)
    first.record(("wave1", 0, 0, 0), {"x": 1.0})
    first.record(("refine1", 0, 0, 0), {"x": 2.0})
    first.close()
    (out / "journal" / "design-refine1.json").write_text("[[0.5]]")

    new = {"wave1": "a", "pool": "p", "refine1": "b", "posterior": "c"}
    again = Journal(out, "new", resume=True, force=False, stages=new)
    again.close()
    assert again.redone == ["pool"]
    assert set(again.runs) == {("wave1", 0, 0, 0), ("refine1", 0, 0, 0)}
    assert (out / "journal" / "design-refine1.json").is_file()

    changed = {"wave1": "a", "pool": "q", "refine1": "B", "posterior": "C"}
    third = Journal(out, "third", resume=True, force=False, stages=changed)
    third.close()
    assert third.redone == ["pool", "refine1", "posterior"]
    assert set(third.runs) == {("wave1", 0, 0, 0)}
    assert not (out / "journal" / "design-refine1.json").exists()
