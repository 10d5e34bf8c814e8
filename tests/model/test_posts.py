"""Posts keep caps, targets, service multipliers, masks and counts up to date incrementally;
they must always equal a full recomputation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model.equations import DAYS_PER_YEAR
from sim.model.parameters import ModelParameters
from sim.model.workforce import AGENCY, EMPLOYED, VACANT, Posts
from sim.scenario.scenario import Scenario
from sim.scenario.workforce import Workforce

PARAMS = ModelParameters.from_scenario(Scenario(workforce=Workforce(establishment_fte=12)))


def _recomputed(posts: Posts, now: float) -> Posts:
    fresh = Posts(PARAMS)
    fresh.status = posts.status.copy()
    fresh.start = posts.start.copy()
    fresh.nq_until = posts.nq_until.copy()
    fresh.load = posts.load.copy()
    fresh.counts = [int(np.count_nonzero(posts.status == s)) for s in (VACANT, EMPLOYED, AGENCY)]
    fresh.refresh(now, force=True)
    return fresh


action = st.tuples(
    st.sampled_from(
        ["fill_employed", "fill_nq", "fill_agency", "vacate", "week", "take", "release", "drop"]
    ),
    st.integers(0, 11),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(action, min_size=1, max_size=120), st.floats(0.0, 6 * DAYS_PER_YEAR))
def test_incremental_state_equals_full_recompute(actions, start) -> None:  # type: ignore[no-untyped-def]
    posts = Posts(PARAMS)
    now = start
    posts.refresh(now, force=True)
    for what, w in actions:
        if what == "week":
            now += 7.0 * (1 + w * 8)  # up to ~1.7 years at once: NQ years and early service end
        elif what == "vacate":
            posts.vacate(w)
        elif what == "take":
            posts.take(w)
        elif what == "release":
            if posts.load[w] > 0:
                posts.release(w)
        elif what == "drop":
            posts.drop_cases(w)
        else:
            status = AGENCY if what == "fill_agency" else EMPLOYED
            posts.fill(w, status, now, newly_qualified=what == "fill_nq")
        posts.refresh(now)
        full = _recomputed(posts, now)
        for name in (
            "cap",
            "own_target",
            "service_multiplier",
            "vacant",
            "employed",
            "agency",
            "nq",
        ):
            np.testing.assert_array_equal(getattr(posts, name), getattr(full, name), err_msg=name)
        np.testing.assert_array_equal(posts.headroom, full.headroom)
        assert posts.counts == full.counts
        assert posts.n_inexperienced == full.n_inexperienced
        assert posts.in_post == full.counts[EMPLOYED] + full.counts[AGENCY]


def _reassign_one_by_one(posts: Posts, holders: list[int]) -> list[int]:
    """The definition: release the case, pick the best post, take it back if that is the same."""
    out = []
    for w_old in holders:
        posts.release(w_old)
        w = posts.best()
        if w < 0 or w == w_old:
            posts.take(w_old)
            out.append(-1)
        else:
            posts.take(w)
            out.append(w)
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 26), min_size=12, max_size=12),
    st.lists(st.sampled_from(["vacant", "nq", "experienced"]), min_size=12, max_size=12),
    st.lists(st.integers(0, 11), min_size=1, max_size=20),
)
def test_reassign_equals_release_best_take(loads, kinds, holders) -> None:  # type: ignore[no-untyped-def]
    """Loads up to the cap, vacancies and newly qualified caps: ties, full teams, no room."""
    loads = [0 if k == "vacant" else x for x, k in zip(loads, kinds)]

    def fresh() -> Posts:
        posts = Posts(PARAMS)
        for w in range(12):
            if kinds[w] != "vacant":
                posts.fill(w, EMPLOYED, 0.0, newly_qualified=kinds[w] == "nq")
        posts.refresh(0.0, force=True)
        posts.load[:] = loads
        posts.refresh(0.0, force=True)  # loads set directly: recompute headroom
        return posts

    holders = [w for w in holders if loads[w] > 0][:8]
    fast, slow = fresh(), fresh()
    assert fast.reassign(holders) == _reassign_one_by_one(slow, holders)
    np.testing.assert_array_equal(fast.load, slow.load)
    np.testing.assert_allclose(fast.headroom, slow.headroom, rtol=0, atol=1e-12)


def test_reassign_moves_a_case_only_to_more_room() -> None:
    posts = Posts(PARAMS)
    for w in range(3):
        posts.fill(w, EMPLOYED, 0.0, newly_qualified=False)
    posts.refresh(0.0, force=True)
    posts.load[:3] = [10, 4, 10]
    posts.refresh(0.0, force=True)
    assert posts.reassign([0]) == [1]  # post 1 has the most room
    assert posts.load[:3].tolist() == [9, 5, 10]
    posts.load[:3] = [4, 10, 10]
    posts.refresh(0.0, force=True)
    before = posts.headroom.copy()
    assert posts.reassign([0]) == [-1]  # post 0 itself has the most room: the case stays
    assert posts.load[:3].tolist() == [4, 10, 10]
    np.testing.assert_array_equal(posts.headroom, before)


@pytest.mark.parametrize("newly_qualified", [False, True])
def test_early_service_and_newly_qualified_year_end_on_time(newly_qualified: bool) -> None:
    """A lone worker's newly qualified year and early service end although nothing else changes."""
    posts = Posts(PARAMS)
    now = 6 * DAYS_PER_YEAR  # every vacant post is long past "early service"
    posts.refresh(now, force=True)
    posts.fill(0, EMPLOYED, now, newly_qualified=newly_qualified)
    posts.refresh(now)
    assert posts.n_inexperienced == int(newly_qualified)
    assert posts.service_multiplier[0] == PARAMS.scenario.workforce.leave_early_service_multiplier
    for _ in range(6 * 52):
        now += 7.0
        posts.refresh(now)
        full = _recomputed(posts, now)
        np.testing.assert_array_equal(posts.cap, full.cap)
        np.testing.assert_array_equal(posts.service_multiplier, full.service_multiplier)
        assert posts.n_inexperienced == full.n_inexperienced
    assert posts.n_inexperienced == 0
    assert posts.service_multiplier[0] == PARAMS.scenario.workforce.leave_late_service_multiplier


def test_reassign_keeps_the_case_when_nobody_has_room() -> None:
    """An over-cap newly qualified worker's case stays when every other post is full."""
    posts = Posts(PARAMS)
    for w in range(12):
        posts.fill(w, EMPLOYED, 0.0, newly_qualified=w == 0)
    posts.refresh(0.0, force=True)
    posts.load[:] = 26  # everyone at the full cap; post 0's cap is reduced, so it is over
    posts.refresh(0.0, force=True)
    assert posts.reassign([0]) == [-1]
    assert posts.load.tolist() == [26] * 12


def test_a_post_whose_cases_are_taken_away_has_its_whole_cap_free() -> None:
    """A worker leaves with cases: the post is vacated (no room), its cases dropped, and a new
    worker who fills it the same week has the whole cap free, before any weekly refresh."""
    posts = Posts(PARAMS)
    posts.fill(0, EMPLOYED, 0.0, newly_qualified=False)
    posts.refresh(0.0, force=True)
    for _ in range(5):
        posts.take(0)
    posts.vacate(0)
    assert posts.headroom[0] < 1.0
    posts.fill(0, AGENCY, 7.0, newly_qualified=False)
    posts.drop_cases(0)
    assert posts.load[0] == 0
    assert posts.headroom[0] == PARAMS.scenario.workforce.caseload_cap
