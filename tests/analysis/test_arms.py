"""Small multiples: panels by the grid factor with the fewest values, consistent colours."""

from __future__ import annotations

from sim.analysis.arms import colour_keys, legend_names, panel_factor, panels

DURATIONS, TENURES = (6, 12, 18, 24), (12, 33, 60)
ARMS = [f"d={d} t={t}" for d in DURATIONS for t in TENURES]
OVERRIDES = {
    f"d={d} t={t}": {"intervention.duration_months": d, "leadership.dcs_mean_tenure_months": t}
    for d in DURATIONS
    for t in TENURES
}


def test_few_arms_share_one_panel() -> None:
    assert [p.arms for p in panels(ARMS[:4], OVERRIDES)] == [tuple(ARMS[:4])]


def test_a_sweep_is_split_by_the_factor_with_fewest_values() -> None:
    assert panel_factor(ARMS, OVERRIDES) == "leadership.dcs_mean_tenure_months"
    layout = panels(ARMS, OVERRIDES)
    assert [p.title for p in layout] == [
        f"leadership.dcs_mean_tenure_months = {t}" for t in TENURES
    ]
    assert all(len(p.arms) == len(DURATIONS) for p in layout)
    keys = colour_keys(ARMS, OVERRIDES, panel_factor(ARMS, OVERRIDES))
    assert keys["d=6 t=12"] == keys["d=6 t=60"] != keys["d=24 t=12"]
    assert (
        legend_names(ARMS, OVERRIDES, "leadership.dcs_mean_tenure_months")["d=18 t=33"]
        == "duration_months=18"
    )


def test_arms_without_a_shared_factor_are_chunked() -> None:
    arms = [f"arm {i}" for i in range(8)]
    layout = panels(arms, {}, max_per_panel=3)
    assert [len(p.arms) for p in layout] == [3, 3, 2]
    assert [a for p in layout for a in p.arms] == arms
    assert len(set(colour_keys(arms, {}, None).values())) == 8
