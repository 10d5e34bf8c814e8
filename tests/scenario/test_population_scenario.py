"""One authority's own figures in a single-LA scenario: the equations, the mapping of every row,
and 'my council' through sim.load_scenario, sweeps and the command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import sim
from sim.cli import main
from sim.model.durations import (
    KIND_CIN,
    KIND_CP,
    KIND_LOOKED_AFTER,
    AssessmentDurations,
    lognormal_mean_days,
)
from sim.model.equations import DAYS_PER_YEAR
from sim.scenario import expand_arms, scenario_sha256
from sim.scenario.errors import ScenarioError
from sim.scenario.population import (
    COLUMNS,
    DEFAULT_TABLE,
    PopulationTable,
    TableError,
    la_overrides,
    load_population_table,
    scenario_for_la,
)
from sim.scenario.population_scenario import (
    assessment_mean_days,
    case_holding_posts,
    months_between,
    start_staffing_rates,
    starting_quality_for_grade,
)

REPO = Path(__file__).resolve().parents[2]
TROUBLED = REPO / "scenarios" / "reference" / "troubled.yaml"
COUNCIL = REPO / "scenarios" / "england" / "council.yaml"


@pytest.fixture(scope="module")
def table() -> PopulationTable:
    return load_population_table()


@pytest.fixture(scope="module")
def troubled() -> sim.Scenario:  # type: ignore[name-defined]
    return sim.load_scenario(TROUBLED)


# ---- equations --------------------------------------------------------------------------------


def _model_case_holders(posts: float, vacancy: float, agency: float) -> float:
    """Employed + agency FTE as the model fills its posts at the start (Workforce.initialise,
    without its rounding to whole posts)."""
    employed = posts * (1.0 - vacancy)
    return employed + min(posts * vacancy, agency * employed / (1.0 - agency))


def test_posts_and_rates_reproduce_each_las_case_holders_and_agency_rate(
    table: PopulationTable,
) -> None:
    for row in table:
        kw = {
            "inpost_fte": row.inpost_fte,
            "vacancy_fte": row.vacancy_fte,
            "agency_fte": row.agency_fte,
        }
        posts = case_holding_posts(case_holders_fte=row.case_holders_fte, **kw)
        vacancy, agency = start_staffing_rates(**kw)
        if row.inpost_fte > 0:
            assert _model_case_holders(posts, vacancy, agency) == pytest.approx(
                row.case_holders_fte, rel=1e-9
            )
        # DfE rates are rounded to 0.1 percentage point (±0.05) and computed from FTEs that the
        # file rounds to 0.1 FTE (each moves a rate by at most 100 × 0.05 / denominator points).
        base = row.agency_fte + row.inpost_fte
        assert 100 * agency == pytest.approx(row.agency_rate_pct, abs=0.05 + 10 / base), row.name
        if row.vacancy_fte >= row.agency_fte:
            base = row.vacancy_fte + row.inpost_fte
            assert 100 * vacancy == pytest.approx(row.vacancy_rate_pct, abs=0.05 + 10 / base), (
                row.name
            )
        else:  # vacancies raised to the agency FTE: the model covers only vacant posts
            assert 100 * vacancy >= row.vacancy_rate_pct


def test_months_between() -> None:
    assert months_between(since=dt.date(2016, 10, 1), until=dt.date(2017, 10, 1)) == pytest.approx(
        12.0
    )
    assert months_between(since=dt.date(2018, 1, 29), until=dt.date(2017, 10, 1)) == 0.0


def test_assessment_mean_matches_the_model(troubled: sim.Scenario) -> None:  # type: ignore[name-defined]
    cases = troubled.cases
    mine = assessment_mean_days(
        bin_edges=cases.assessment_wd_bin_edges, bin_counts=cases.assessment_wd_bin_counts
    )
    assert mine == pytest.approx(AssessmentDurations(cases).mean_calendar_days(), rel=1e-12)


def _model_view(s: sim.Scenario) -> tuple[Any, float]:  # type: ignore[name-defined]
    """What the model's duration functions take, and its assessments per day in steady state.

    The model's parameter pipeline (sim.model.parameters) is used when it exists; before it,
    the functions take the scenario's cases and the rate is the one initial_cases computed."""
    try:
        from sim.model.parameters import ModelParameters  # type: ignore[import-not-found]
    except ImportError:
        c = s.cases
        referrals = s.demand.first_referrals_per_year / (1.0 - s.demand.rereferral_base_probability)
        return c, referrals * (1.0 - c.front_door_nfa_share) / DAYS_PER_YEAR
    params = ModelParameters.from_scenario(s)
    return params, params.steady_assessments_per_day


def _mean_days(s: sim.Scenario, kind: int) -> float:  # type: ignore[name-defined]
    return lognormal_mean_days(_model_view(s)[0], kind)


def _model_stock(s: sim.Scenario) -> float:  # type: ignore[name-defined]
    """Open cases the model seeds at the start (sim.model.initial_cases: inflow × mean length)."""
    c = s.cases
    view, per_day = _model_view(s)
    stock = per_day * AssessmentDurations(c).mean_calendar_days()
    shares = {
        KIND_CIN: 1.0 - c.not_in_need_share - c.child_protection_share - c.looked_after_share,
        KIND_CP: c.child_protection_share,
        KIND_LOOKED_AFTER: c.looked_after_share,
    }
    return stock + sum(
        per_day * share * lognormal_mean_days(view, kind) for kind, share in shares.items()
    )


def test_every_la_starts_with_its_census_cases(
    table: PopulationTable, troubled: sim.Scenario
) -> None:  # type: ignore[name-defined]
    for row in table:
        scenario = scenario_for_la(troubled, row)
        assert _model_stock(scenario) == pytest.approx(row.cases, rel=1e-9), row.name


def test_cp_and_looked_after_lengths_follow_littles_law(
    table: PopulationTable, troubled: sim.Scenario
) -> None:  # type: ignore[name-defined]
    row = table.find("Bradford")  # census cases leave room: CP and looked-after lengths are its own
    own = scenario_for_la(troubled, row)
    cp_mean_years = _mean_days(own, KIND_CP) / DAYS_PER_YEAR
    assert cp_mean_years == pytest.approx(row.cp_open_31_march / row.cp_starts_per_year, rel=1e-9)
    la_mean_years = _mean_days(own, KIND_LOOKED_AFTER) / DAYS_PER_YEAR
    assert la_mean_years == pytest.approx(row.cla_open_31_march / row.cla_starts_per_year, rel=1e-9)


def test_mapping_keeps_policies_and_sets_the_las_figures(
    table: PopulationTable, troubled: sim.Scenario
) -> None:  # type: ignore[name-defined]
    row = table.find("Bradford")
    s = scenario_for_la(troubled, row)
    assert s.la == row.code
    assert (
        s.intervention == troubled.intervention
        and s.workforce.caseload_cap == troubled.workforce.caseload_cap
    )
    assert s.demand.first_referrals_per_year == row.first_referrals_per_year
    assert s.initial.grade == row.grade
    start = dt.date(2017, 10, 1)
    assert s.initial.months_since_inspection == pytest.approx(
        (start - row.judgement_date).days / (365 / 12)
    )
    assert s.cases.front_door_nfa_share == pytest.approx(row.nfa_per_year / row.referrals_per_year)
    later = scenario_for_la(troubled, row, start=dt.date(2018, 10, 1))
    assert later.initial.months_since_inspection == pytest.approx(
        s.initial.months_since_inspection + 12
    )


def test_out_of_bounds_figure_names_table_row_column_and_field(
    table: PopulationTable,
    troubled: sim.Scenario,  # type: ignore[name-defined]
) -> None:
    huge = dataclasses.replace(table.find("Bradford"), case_holders_fte=5000.0, cases=90_000.0)
    with pytest.raises(TableError) as err:
        scenario_for_la(troubled, huge, source="population.csv", line=41)
    message = err.value.message
    assert message.startswith(
        "In population table 'population.csv', row 41 (Bradford), column 'case_holders_fte': "
        "Bradford's figures make scenario field 'workforce.establishment_fte' invalid:"
    )
    assert "Nearest valid value: 2000" in message


def test_impossible_case_mix_is_a_clear_error(
    table: PopulationTable,
    troubled: sim.Scenario,  # type: ignore[name-defined]
) -> None:
    row = dataclasses.replace(table.find("Bradford"), not_in_need_per_year=7000.0)
    with pytest.raises(TableError) as err:
        scenario_for_la(troubled, row)
    assert "the row of Bradford" in err.value.message
    assert "Bradford (E08000032) give no valid case mix" in err.value.message
    assert "of assessments" in err.value.message


def test_table_error_through_the_loader_names_the_row(write: Callable[[str, str], Path]) -> None:
    lines = DEFAULT_TABLE.read_text(encoding="utf-8").splitlines()
    number = next(i for i, text in enumerate(lines, start=1) if ",Leeds," in text)
    cells = lines[number - 1].split(",")
    cells[COLUMNS.index("case_holders_fte")] = "5000"
    lines[number - 1] = ",".join(cells)
    write("t.csv", "\n".join(lines) + "\n")
    path = write("c.yaml", f"extends: {TROUBLED}\nla: Leeds\npopulation:\n  table: t.csv\n")
    with pytest.raises(TableError) as err:
        sim.load_scenario(path)
    assert f"row {number} (Leeds), column 'case_holders_fte'" in err.value.message


# ---- my council: loading ----------------------------------------------------------------------


def test_load_with_override(table: PopulationTable, troubled: sim.Scenario) -> None:  # type: ignore[name-defined]
    loaded = sim.load_scenario(TROUBLED, overrides={"la": "bradford"})
    assert loaded == scenario_for_la(troubled, table.find("Bradford"))


def test_user_overrides_win_over_the_table() -> None:
    loaded = sim.load_scenario(
        TROUBLED, overrides={"la": "Bradford", "workforce.establishment_fte": 150}
    )
    assert loaded.workforce.establishment_fte == 150
    assert loaded.initial.grade == load_population_table().find("Bradford").grade


def test_file_that_extends_a_reference(
    write: Callable[[str, str], Path], table: PopulationTable
) -> None:
    (
        Path(write("ref/troubled.yaml", TROUBLED.read_text(encoding="utf-8"))).parent
        / "baseline.yaml"
    ).write_text((TROUBLED.parent / "baseline.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = write(
        "mine/leeds.yaml",
        "extends: ../ref/troubled.yaml\nla: Leeds\nintervention:\n  duration_months: 24\n",
    )
    loaded = sim.load_scenario(path)
    assert loaded.la == "E08000035" and loaded.intervention.duration_months == 24
    assert loaded.workforce.establishment_fte == pytest.approx(
        la_overrides(sim.load_scenario(TROUBLED), table.find("Leeds"))[
            "workforce.establishment_fte"
        ]
    )


def test_unknown_la_in_a_file_names_file_field_and_nearest(
    write: Callable[[str, str], Path],
) -> None:
    path = write("c.yaml", f"extends: {TROUBLED}\nla: Sheffeld\n")
    with pytest.raises(ScenarioError) as err:
        sim.load_scenario(path)
    assert err.value.message.startswith(f"In scenario file '{path}', field 'la': 'Sheffeld' is not")
    assert "Nearest names: 'Sheffield'" in err.value.message


def test_table_named_relative_to_the_file(write: Callable[[str, str], Path]) -> None:
    text = DEFAULT_TABLE.read_text(encoding="utf-8").replace(
        ",Bradford,", ",Bradford Metropolitan,"
    )
    write("data/my_table.csv", text)
    path = write(
        "c.yaml",
        f"extends: {TROUBLED}\nla: Bradford Metropolitan\npopulation:\n  table: data/my_table.csv\n",
    )
    assert sim.load_scenario(path).la == "E08000032"
    broken = write(
        "d.yaml", f"extends: {TROUBLED}\nla: Leeds\npopulation:\n  table: data/missing.csv\n"
    )
    with pytest.raises(ScenarioError) as err:
        sim.load_scenario(broken)
    assert "population table" in err.value.message and "missing.csv" in err.value.message
    assert "does not exist" in err.value.message


def test_old_population_table_field_is_refused_naming_the_new_one(
    write: Callable[[str, str], Path],
) -> None:
    """The top-level ``population_table`` was merged into ``population.table``: an old file
    gets one paragraph naming the new field (exit 2 from the CLI), not an unknown-field error."""
    old = write("old.yaml", f"extends: {TROUBLED}\nla: Leeds\npopulation_table: t.csv\n")
    with pytest.raises(ScenarioError) as err:
        sim.load_scenario(old)
    assert err.value.field == "population_table" and "population.table" in err.value.message
    result = CliRunner().invoke(main, ["validate", str(old)])
    assert result.exit_code == 2 and "population.table" in result.output
    assert "Traceback" not in result.output
    # an unset one, as older resolved scenario files write it, names nothing and still loads
    older = write("older.yaml", f"extends: {TROUBLED}\nname: older\npopulation_table: null\n")
    assert sim.load_scenario(older).name == "older"


def test_la_of_a_population_scenario_runs_that_la_alone() -> None:
    """``la`` picks one LA of the table that ``population.table`` names (here through two
    ``extends``, the table's path relative to the file that sets it): a single-LA scenario."""
    scenario = sim.load_scenario(
        "scenarios/experiments/national_pool.yaml", overrides={"la": "Leeds"}
    )
    assert scenario.la == "E08000035" and not scenario.is_population
    assert sim.load_scenario("scenarios/experiments/national_pool.yaml").is_population


def test_sweep_over_councils(write: Callable[[str, str], Path]) -> None:
    path = write("s.yaml", f"extends: {TROUBLED}\ngrid:\n  la: [Bradford, Leeds]\n")
    arms = expand_arms(sim.load_scenario(path), source=str(path))
    codes = sorted(arm.scenario.la for arm in arms)
    assert codes == ["E08000032", "E08000035"]
    sizes = {arm.scenario.la: arm.scenario.workforce.establishment_fte for arm in arms}
    assert sizes["E08000032"] != sizes["E08000035"]


def test_reference_scenarios_unchanged_by_the_new_fields() -> None:
    # The blessed sha256 of results/reference/ must still match: unset fields are left out.
    import json

    manifest = json.loads(
        (REPO / "results" / "reference" / "troubled" / "manifest.json").read_text(encoding="utf-8")
    )
    assert scenario_sha256(sim.load_scenario(TROUBLED)) == manifest["scenario_sha256"]


def test_council_file_validates_and_resolves_idempotently() -> None:
    council = sim.load_scenario(COUNCIL)
    assert council.la == "E08000032" and council.intervention.type == "improvement_notice"
    again = sim.load_scenario(council, overrides={"la": council.la})
    assert again == council


# ---- my council: command line -----------------------------------------------------------------


def test_cli_validate_council_and_bad_la(write: Callable[[str, str], Path]) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(COUNCIL)])
    assert ok.exit_code == 0, ok.output
    bad = write("bad.yaml", f"extends: {COUNCIL}\nla: Bradfrod\n")
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "field 'la': 'Bradfrod' is not a local authority" in result.output
    assert "Nearest names: 'Bradford'" in result.output and "Traceback" not in result.output


def test_cli_run_council(write: Callable[[str, str], Path], tmp_path: Path) -> None:
    path = write(
        "c.yaml", f"extends: {COUNCIL}\nla: Rutland\nhorizon_years: 0.25\nwarmup_years: 0.1\n"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "run",
            str(path),
            "--replications",
            "1",
            "--workers",
            "1",
            "--out",
            str(out),
            "--no-report",
        ],
    )
    assert result.exit_code == 0, result.output
    resolved = (out / "scenario.resolved.yaml").read_text(encoding="utf-8")
    assert "la: E06000017" in resolved
    assert math.isfinite(float(resolved.split("establishment_fte: ")[1].split()[0]))


def test_resolved_yaml_loads_back_to_the_same_council(write: Callable[[str, str], Path]) -> None:
    from sim.scenario import resolved_yaml

    council = sim.load_scenario(COUNCIL, overrides={"la": "Leeds"})
    again = sim.load_scenario(write("resolved.yaml", resolved_yaml(council)))
    assert again.la == "E08000035"
    assert again.model_dump(exclude={"extends"}) == council.model_dump(exclude={"extends"})
    assert scenario_sha256(again) == scenario_sha256(council)


def test_cli_validate_missing_table_exits_2(write: Callable[[str, str], Path]) -> None:
    bad = write("bad.yaml", f"extends: {COUNCIL}\npopulation:\n  table: nowhere/population.csv\n")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "In population table" in result.output and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_description_names_the_la_once(table: PopulationTable) -> None:
    council = sim.load_scenario(COUNCIL)
    assert council.description.endswith(
        "[Local authority: Bradford (E08000032), from its own figures in the population table.]"
    )
    leeds = sim.load_scenario(council, overrides={"la": "Leeds"})
    assert (
        leeds.description.count("[Local authority:") == 1
        and "Leeds (E08000035)" in leeds.description
    )


# ---- practice quality at the start from the grade ---------------------------------------------


def test_starting_quality_is_the_middle_of_the_grades_band() -> None:
    bands = {
        "threshold_outstanding": 0.68,
        "threshold_good": 0.55,
        "threshold_requires_improvement": 0.45,
    }
    quality = [starting_quality_for_grade(grade=g, **bands) for g in (1, 2, 3, 4)]
    assert quality == pytest.approx([0.745, 0.615, 0.50, 0.40])


def test_each_la_starts_with_the_quality_its_grade_stands_for(
    table: PopulationTable,
    troubled: sim.Scenario,  # type: ignore[name-defined]
) -> None:
    """An LA judged outstanding starts with more embedded practice than one judged inadequate
    (embedded = the band's middle less the scenario's recent gains); switched off, every LA keeps
    the scenario's own value."""
    by_grade = {row.grade: row for row in table.rows}
    embedded = {g: scenario_for_la(troubled, by_grade[g]).initial.embedded_quality for g in (1, 4)}
    gains = troubled.initial.recent_gains
    assert embedded[1] == pytest.approx(0.745 - gains) and embedded[4] == pytest.approx(
        0.40 - gains
    )
    off = sim.load_scenario(TROUBLED, overrides={"population.quality_from_grade": False})
    assert (
        scenario_for_la(off, by_grade[1]).initial.embedded_quality
        == troubled.initial.embedded_quality
    )
    mine = sim.load_scenario(COUNCIL, overrides={"initial.embedded_quality": 0.2})
    assert mine.initial.embedded_quality == 0.2  # the user's --set wins over the table
