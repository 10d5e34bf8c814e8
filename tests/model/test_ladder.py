"""DfE's intervention ladder: the notice stands until a judgement finds the LA no longer
inadequate, and escalation happens when, and only when, its rule fires."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model.equations import DAYS_PER_MONTH, GRADE_GOOD, GRADE_REQUIRES_IMPROVEMENT
from sim.model.inspection import INADEQUATE
from sim.model.ladder import LadderState
from sim.model.simulation import LocalAuthority
from sim.scenario.loader import apply_overrides, load_scenario
from sim.scenario.scenario import Scenario

MONTH = DAYS_PER_MONTH


def _ladder(trigger: str = "inadequate", **ladder: object) -> LadderState:
    overrides = {f"ladder.{k}": v for k, v in ladder.items()}
    scenario = apply_overrides(Scenario(), {"intervention.trigger": trigger, **overrides})
    return LadderState(scenario, np.random.default_rng(1))


def test_notice_stands_until_a_judgement_is_not_inadequate() -> None:
    ladder = _ladder()
    assert ladder.step(0.0, INADEQUATE) is None
    assert ladder.in_force(0.0) and ladder.notices == 1
    ladder.judged(20 * MONTH, INADEQUATE)  # still inadequate: the notice stands
    assert ladder.in_force(30 * MONTH)
    ladder.judged(40 * MONTH, GRADE_REQUIRES_IMPROVEMENT)
    assert not ladder.in_force(40 * MONTH)
    assert ladder.outcomes(100 * MONTH)["months_under_notice"] == pytest.approx(40.0)
    # a later inadequate judgement issues a second notice, counted to the end while open
    ladder.step(60 * MONTH, INADEQUATE)
    out = ladder.outcomes(100 * MONTH)
    assert out["notices"] == 2 and out["months_under_notice"] == pytest.approx(80.0)


def test_no_notice_without_an_inadequate_trigger() -> None:
    ladder = _ladder(trigger="none")
    ladder.step(0.0, INADEQUATE)
    assert not ladder.in_force(0.0) and ladder.outcomes(10.0)["notices"] == 0


def test_oversight_continues_after_the_team_only_until_not_inadequate() -> None:
    with_team, standing = _ladder(), _ladder(notice="until_not_inadequate")
    for ladder in (with_team, standing):
        ladder.step(0.0, INADEQUATE)
    assert with_team.oversight_bodies(20 * MONTH, team_active=False) == 0
    assert standing.oversight_bodies(20 * MONTH, team_active=False) == 2  # the notice's own
    assert standing.oversight_bodies(5 * MONTH, team_active=True) == 0  # counted with the team
    assert standing.recruitment_support(20 * MONTH)
    standing.judged(30 * MONTH, GRADE_GOOD)
    assert standing.oversight_bodies(31 * MONTH, team_active=False) == 0
    assert not standing.recruitment_support(31 * MONTH)


def test_escalation_after_the_months_still_inadequate() -> None:
    ladder = _ladder(escalation=True, commissioner_after_months=24)
    ladder.step(0.0, INADEQUATE)
    assert ladder.step(23.9 * MONTH, INADEQUATE) is None
    escalation = ladder.step(24.0 * MONTH, INADEQUATE)
    assert escalation is not None and escalation.new_director
    assert ladder.direction and ladder.directions == 1
    assert ladder.step(40 * MONTH, INADEQUATE) is None  # one direction per notice
    assert ladder.oversight_bodies(40 * MONTH, team_active=True) == 1  # the commissioner


def test_escalation_on_a_second_inadequate_judgement_only_when_the_rule_says() -> None:
    on, off = (
        _ladder(escalation=True),
        _ladder(escalation=True, commissioner_on_second_inadequate=False),
    )
    for ladder in (on, off):
        ladder.step(0.0, INADEQUATE)
    assert on.judged(18 * MONTH, INADEQUATE) is not None
    assert off.judged(18 * MONTH, INADEQUATE) is None
    assert _ladder().judged(18 * MONTH, INADEQUATE) is None  # escalation off by default


def test_no_escalation_when_the_lla_improves_in_time() -> None:
    ladder = _ladder(escalation=True)
    ladder.step(0.0, INADEQUATE)
    ladder.judged(20 * MONTH, GRADE_REQUIRES_IMPROVEMENT)
    assert ladder.step(30 * MONTH, GRADE_REQUIRES_IMPROVEMENT) is None
    assert ladder.outcomes(60 * MONTH)["directions"] == 0


@pytest.mark.parametrize(("probability", "trusts"), [(0.0, 0), (1.0, 1)])
def test_trust_follows_its_probability(probability: float, trusts: int) -> None:
    ladder = _ladder(escalation=True, trust_probability=probability)
    ladder.step(0.0, INADEQUATE)
    escalation = ladder.judged(18 * MONTH, INADEQUATE)
    assert escalation is not None and int(escalation.trust) == trusts
    assert escalation.setup_cost_gbp == (3_500_000.0 if trusts else 0.0)


#: The test's commissioner delay (months): between quarterly monitoring visits, so that no
#: re-inspection falls within the week the model's weekly step may take to see it.
COMMISSIONER_AFTER_MONTHS = 22.5


def _expected(history: list[tuple[float, int]], start: float, end: float) -> tuple[int, float, int]:
    """Directions, months under notice and notices the ladder's rules imply for an inspection
    history (a notice opens at an inadequate state without one, a week's lag at most)."""
    after = COMMISSIONER_AFTER_MONTHS * MONTH
    notices, directions, days = [], 0, 0.0
    opened: float | None = start  # the troubled LA starts inadequate
    escalated = False
    for t, g in history:
        if opened is None:
            if g == INADEQUATE:
                opened, escalated = t, False
            continue
        if g != INADEQUATE:
            directions += int(escalated or t > opened + after)
            notices.append(opened)
            days += t - opened
            opened = None
        else:
            escalated = escalated or t < opened + after
    if opened is not None:
        directions += int(escalated or end >= opened + after + 7)
        notices.append(opened)
        days += end - opened
    return directions, days / MONTH, len(notices)


def test_in_the_model_escalation_fires_exactly_when_its_rule_does() -> None:
    """Troubled start, when_ready re-inspection, escalation on (12 fixed-seed replications):
    a direction per notice iff a second inadequate judgement came while it stood, or the LA was
    still inadequate ``COMMISSIONER_AFTER_MONTHS`` into it; each notice lasts until the first better grade."""
    scenario = apply_overrides(
        load_scenario("scenarios/reference/troubled.yaml"),
        {
            "inspection.reinspection": "when_ready",
            "ladder.notice": "until_not_inadequate",
            "ladder.escalation": True,
            "ladder.commissioner_after_months": COMMISSIONER_AFTER_MONTHS,
            "horizon_years": 5,
        },
    )
    fired = 0
    for replication in range(12):
        la = LocalAuthority.alone(scenario, scenario.seed, replication)
        out = la.run()
        history = [(t, g) for t, g in la.inspectorate.history if t > la.warmup]
        directions, months, notices = _expected(history, la.warmup, la.end)
        assert out.events["directions"] == directions, replication
        assert out.events["notices"] == notices, replication
        assert out.events["months_under_notice"] == pytest.approx(
            months, abs=notices * 7 / MONTH + 1e-9
        )
        fired += int(directions > 0)
    assert 0 < fired < 12  # replications with and without a direction at these seeds


def test_support_under_the_notice_follows_the_notice() -> None:
    with_team = _ladder(notice_support_share=0.5)
    standing = _ladder(notice="until_not_inadequate", notice_support_share=0.5)
    for ladder in (with_team, standing):
        ladder.step(0.0, INADEQUATE)
    assert with_team.support_share(10 * MONTH) == 0.0  # the team's own effort only
    assert standing.support_share(10 * MONTH) == 0.5
    standing.judged(30 * MONTH, GRADE_REQUIRES_IMPROVEMENT)
    assert standing.support_share(31 * MONTH) == 0.0  # lifted with the notice
    assert _ladder(notice="until_not_inadequate").support_share(0.0) == 0.0  # no notice yet


def test_the_adviser_keeps_practice_up_once_the_team_has_gone() -> None:
    """Troubled start, notice until not inadequate, 8 fixed-seed replications: in the year after
    the ad-hoc team leaves (months 15-26; it works months 2-14), practice quality is higher in
    every replication when the adviser and board keep up the team's full effort than with none
    (measured: higher by 0.04-0.12; the runs share their seeds)."""
    base = apply_overrides(
        load_scenario("scenarios/reference/troubled.yaml"),
        {
            "inspection.reinspection": "when_ready",
            "ladder.notice": "until_not_inadequate",
            "horizon_years": 3,
        },
    )

    def year_after_team(share: float) -> np.ndarray:
        scenario = apply_overrides(base, {"ladder.notice_support_share": share})
        return np.array(
            [
                np.mean(
                    LocalAuthority.alone(scenario, scenario.seed, r)
                    .run()
                    .timeseries["practice_quality"][15:27]
                )
                for r in range(8)
            ]
        )

    assert np.all(year_after_team(1.0) > year_after_team(0.0))
