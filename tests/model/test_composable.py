"""Several LAs on one SimPy clock (DESIGN §4.9): each LA's random streams carry its identity, so
two LAs draw different numbers; an LA's run does not depend on the others sharing its clock; the
same LA draws the same numbers in every arm (common random numbers); and a run without an LA
identity draws exactly the numbers it always did."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from sim.model import METRIC_NAMES, simulate
from sim.model.output import ReplicationOutput
from sim.model.parameters import ModelParameters
from sim.model.simulation import LocalAuthority
from sim.model.streams import STREAM_NAMES, Streams, make_stream
from sim.scenario.scenario import Scenario

SHORT = Scenario(horizon_years=2, warmup_years=0.5)
SEED, REPLICATION = 7, 3
CODES = ("E09000001", "E08000012")


def _la(env: simpy.Environment, scenario: Scenario, code: str | None) -> LocalAuthority:
    streams = Streams(SEED, REPLICATION, la=code)
    return LocalAuthority(env, ModelParameters.from_scenario(scenario), streams, la=code)


def _alone(scenario: Scenario, code: str | None) -> ReplicationOutput:
    return _la(simpy.Environment(), scenario, code).run()


def _assert_same(a: ReplicationOutput, b: ReplicationOutput) -> None:
    for name in METRIC_NAMES:
        np.testing.assert_array_equal(a.timeseries[name], b.timeseries[name], err_msg=name)
    assert a.events.keys() == b.events.keys()
    for key, value in a.events.items():
        assert value == b.events[key] or (value != value and b.events[key] != b.events[key]), key
    assert a.n_referrals == b.n_referrals


@pytest.fixture(scope="module")
def shared() -> list[ReplicationOutput]:
    """Two LAs (the second a different size, so their events interleave unevenly) on one clock."""
    env = simpy.Environment()
    bigger = SHORT.model_copy(
        update={"workforce": SHORT.workforce.model_copy(update={"establishment_fte": 150})}
    )
    las = [_la(env, SHORT, CODES[0]), _la(env, bigger, CODES[1])]
    for la in las:
        la.start()
    env.run(until=max(la.end for la in las) + 1e-6)
    return [la.output() for la in las]


def test_las_on_one_clock_each_give_their_results_alone(shared) -> None:  # type: ignore[no-untyped-def]
    bigger = SHORT.model_copy(
        update={"workforce": SHORT.workforce.model_copy(update={"establishment_fte": 150})}
    )
    _assert_same(shared[0], _alone(SHORT, CODES[0]))
    _assert_same(shared[1], _alone(bigger, CODES[1]))


def test_las_with_different_identities_draw_different_numbers(shared) -> None:  # type: ignore[no-untyped-def]
    same_size = [_alone(SHORT, code) for code in CODES]
    assert not np.array_equal(
        same_size[0].timeseries["referrals"], same_size[1].timeseries["referrals"]
    )
    for name in STREAM_NAMES:
        first = [Streams(SEED, REPLICATION, la=code)[name].random() for code in CODES]
        assert first[0] != first[1], name
    parts = [
        Streams(SEED, REPLICATION, la=code).part("leaving", "agency").random() for code in CODES
    ]
    assert parts[0] != parts[1]


def test_same_identity_draws_the_same_numbers_in_two_arms() -> None:
    """Arms that differ in a policy that never acts (no trigger) give identical runs of the
    same LA: its streams depend on seed, replication and LA code only."""
    arms = [
        SHORT.model_copy(
            update={"intervention": SHORT.intervention.model_copy(update={"duration_months": m})}
        )
        for m in (6, 24)
    ]
    _assert_same(_alone(arms[0], CODES[0]), _alone(arms[1], CODES[0]))


def test_without_identity_the_streams_are_those_of_a_single_la_run() -> None:
    """``la=None`` keeps the entropy ``[seed, replication, key]``: a single-LA run is unchanged
    (``csc-sim regress`` checks the same against the blessed results, bit for bit)."""
    rng = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence([SEED, REPLICATION, 3612958146]))
    )
    assert Streams(SEED, REPLICATION)["arrivals"].random() == rng.random()
    assert make_stream(SEED, REPLICATION, "arrivals", None).random() == (
        np.random.Generator(
            np.random.PCG64(np.random.SeedSequence([SEED, REPLICATION, 3612958146]))
        ).random()
    )
    _assert_same(_alone(SHORT, None), simulate(SHORT, SEED, REPLICATION))


def test_an_la_refuses_streams_of_another_la_and_a_clock_already_running() -> None:
    env = simpy.Environment()
    params = ModelParameters.from_scenario(SHORT)
    with pytest.raises(ValueError, match="keyed by LA"):
        LocalAuthority(env, params, Streams(SEED, REPLICATION, la=CODES[1]), la=CODES[0])
    env.run(until=1.0)
    with pytest.raises(ValueError, match="at time 0"):
        LocalAuthority(env, params, Streams(SEED, REPLICATION), la=None)


def test_n_events_counts_the_shared_environment(shared) -> None:  # type: ignore[no-untyped-def]
    """On a shared clock ``n_events`` is the environment's count (every LA's events), the same
    for each LA and more than either LA alone schedules."""
    assert shared[0].n_events == shared[1].n_events - 1  # reading the counter uses an id
    assert shared[0].n_events > _alone(SHORT, CODES[0]).n_events
