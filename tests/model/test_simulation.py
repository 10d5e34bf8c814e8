"""One replication end to end: shape, determinism, seeds, and common random numbers."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import EVENT_COLUMNS, METRIC_NAMES, simulate
from sim.model.streams import STREAM_NAMES, Streams, stream_key
from sim.scenario.scenario import Scenario

SHORT = Scenario(horizon_years=2, warmup_years=0.5)


@pytest.fixture(scope="module")
def output():  # type: ignore[no-untyped-def]
    return simulate(SHORT, 1, 0)


def test_every_metric_recorded_monthly(output) -> None:  # type: ignore[no-untyped-def]
    assert set(output.timeseries) == set(METRIC_NAMES)
    assert output.n_months == 24
    for name in METRIC_NAMES:
        if name not in ("assessments_within_45wd_pct", "sw_changes_3plus_pct"):
            assert np.isfinite(output.timeseries[name]).all(), name
    assert set(output.events) == set(EVENT_COLUMNS)
    assert output.n_events > output.n_referrals > 0


def test_stocks_are_consistent(output) -> None:  # type: ignore[no-untyped-def]
    ts = output.timeseries
    posts = round(SHORT.workforce.establishment_fte)
    assert np.allclose(ts["employed_fte"] + ts["vacancy_fte"], posts)
    assert (ts["agency_fte"] <= ts["vacancy_fte"]).all()
    assert (ts["unallocated_cases"] <= ts["open_cases"]).all()
    assert np.all(np.diff(ts["cost_cumulative_gbp"]) > 0)
    assert np.allclose(np.cumsum(ts["cost_month_gbp"]), ts["cost_cumulative_gbp"])


def test_same_seed_is_bit_identical(output) -> None:  # type: ignore[no-untyped-def]
    again = simulate(SHORT, 1, 0)
    for name in METRIC_NAMES:
        np.testing.assert_array_equal(output.timeseries[name], again.timeseries[name])


def test_other_seed_or_replication_differs(output) -> None:  # type: ignore[no-untyped-def]
    assert not np.array_equal(
        simulate(SHORT, 2, 0).timeseries["referrals"], output.timeseries["referrals"]
    )
    assert not np.array_equal(
        simulate(SHORT, 1, 1).timeseries["referrals"], output.timeseries["referrals"]
    )


def test_arms_share_random_streams_until_policy_differs() -> None:
    """Common random numbers: two arms that differ only in a policy that never acts (no trigger)
    produce identical runs; with the policy active they differ."""
    a = simulate(
        SHORT.model_copy(
            update={"intervention": SHORT.intervention.model_copy(update={"duration_months": 6})}
        ),
        4,
        0,
    )
    b = simulate(
        SHORT.model_copy(
            update={"intervention": SHORT.intervention.model_copy(update={"duration_months": 24})}
        ),
        4,
        0,
    )
    np.testing.assert_array_equal(a.timeseries["referrals"], b.timeseries["referrals"])
    np.testing.assert_array_equal(
        a.timeseries["practice_quality"], b.timeseries["practice_quality"]
    )


def test_stream_keys_are_stable_and_distinct() -> None:
    assert stream_key("arrivals") == 3612958146  # CRC-32: must not change between versions
    assert len({stream_key(n) for n in STREAM_NAMES}) == len(STREAM_NAMES)
    s1, s2 = Streams(1, 0), Streams(1, 0)
    assert s1["leaving"].random() == s2["leaving"].random()
    with pytest.raises(KeyError, match="no random stream"):
        s1["nonsense"]


def test_intervention_at_start_runs_for_its_duration() -> None:
    s = Scenario(
        horizon_years=3,
        warmup_years=0.5,
        intervention={"trigger": "at_start", "duration_months": 12, "start_delay_months": 0},
    )
    ts = simulate(s, 1, 0).timeseries
    months_active = ts["under_intervention"].sum()
    assert months_active == pytest.approx(12, abs=1)
    assert ts["change_team_fte"].max() == pytest.approx(s.intervention.change_team_fte, rel=0.05)
    assert ts["change_team_fte"][-1] == 0.0


def test_replacing_leadership_counts_a_director_change() -> None:
    base = dict(horizon_years=1, warmup_years=0.5, leadership={"dcs_mean_tenure_months": 240})
    keep = simulate(
        Scenario(**base, intervention={"trigger": "at_start", "replaces_leadership": False}), 1, 0
    )
    replace = simulate(
        Scenario(**base, intervention={"trigger": "at_start", "replaces_leadership": True}), 1, 0
    )
    assert replace.events["dcs_changes"] == keep.events["dcs_changes"] + 1


def _cyclic_garbage_of_a_run(years: float) -> int:
    import gc

    gc.collect()
    simulate(Scenario(horizon_years=years, warmup_years=0.5), 5, 0)
    return gc.collect()


def test_no_reference_cycles_per_event() -> None:
    """simulate() pauses the cyclic collector; that is safe only if a run's cyclic garbage is
    its own object graph (a fixed size), not something created per event."""
    short, long = _cyclic_garbage_of_a_run(1.0), _cyclic_garbage_of_a_run(6.0)
    assert long < 1.2 * short + 200, (short, long)


def test_collector_is_restored_after_a_run_and_after_an_error() -> None:
    import gc

    from sim.model.simulation import collector_paused

    assert gc.isenabled()
    simulate(Scenario(horizon_years=0.25, warmup_years=0.0), 1, 0)
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
