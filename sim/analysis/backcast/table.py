"""The back-cast table: the model's statistics of a population run against the record.

``backcast_table(folder)`` reads a results folder of ``csc-sim run`` on a population scenario
(``timeseries.parquet``, ``events.csv``, ``national.parquet``), computes per arm and replication
the statistics of :mod:`sim.analysis.backcast.statistics`, and returns one tidy row per arm and
target id: the record's value (``calibration/targets.csv``), the model's mean and 90% interval
(5th and 95th percentiles) over replications, and for count targets the counts behind them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.backcast.judgements import (
    Judgement,
    date_judgements,
    given_judgements,
    parse_sequence,
)
from sim.analysis.backcast.statistics import (
    CLIFF_METRICS,
    ILACS_FROM_YEAR,
    census_series,
    cliff_edge,
    grade_mix,
    inadequate_spells,
    interval_gaps,
    survival,
    transition_counts,
    truncate,
)
from sim.analysis.targets.build import TARGETS_CSV
from sim.analysis.targets.record import RECORD_END
from sim.experiment.errors import RunInputError
from sim.model.output import ARM, LA, MONTH, REPLICATION

TIMESERIES = "timeseries.parquet"
EVENTS = "events.csv"
NATIONAL = "national.parquet"
BACKCAST_CSV = "backcast.csv"
#: Columns of the back-cast table, in order.
COLUMNS: tuple[str, ...] = (
    "arm",
    "id",
    "group",
    "description",
    "unit",
    "record",
    "record_n",
    "model_mean",
    "model_p05",
    "model_p95",
    "model_n",
    "replications",
)
#: Groups of the targets table that the back-cast computes.
GROUPS: tuple[str, ...] = (
    "csww_turnover_rate_pct",
    "csww_vacancy_rate_pct",
    "csww_agency_rate_pct",
    "csww_caseload_per_fte",
    "grade_mix_2025",
    "transition_from_1",
    "transition_from_2",
    "transition_from_3",
    "transition_from_4",
    "inadequate_survival",
    "inspection_interval",
    *(f"cliff_{metric}" for metric in CLIFF_METRICS),
)
#: The 90% interval over replications.
LOW, HIGH = 0.05, 0.95


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    if not folder.is_dir():
        raise RunInputError(
            str(folder),
            "does not exist or is not a folder.",
            "Give the folder written by `csc-sim run scenarios/england/england.yaml`.",
        )
    if not path.is_file():
        raise RunInputError(
            str(folder),
            f"has no {name}, so it is not the results folder of a population run.",
            "Give the folder written by `csc-sim run scenarios/england/england.yaml`.",
        )
    if name.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, dtype={LA: str, "grades": str, "judgement_months": str})


def histories_of(
    events: pd.DataFrame, grades_by_la: dict[str, np.ndarray]
) -> dict[str, list[Judgement]]:
    """Each LA's dated judgements from its events row and its monthly grades."""
    out = {}
    for row in events.itertuples(index=False):
        la = str(getattr(row, LA))
        grades = [int(g) for g in parse_sequence(row.grades)]
        months = getattr(row, "judgement_months", None)
        if isinstance(months, str):
            out[la] = given_judgements(grades, parse_sequence(months))
        else:
            out[la] = date_judgements(grades=grades, monthly_grade=grades_by_la[la])
    return out


def replication_statistics(
    timeseries: pd.DataFrame, events: pd.DataFrame, dates: pd.Series
) -> tuple[dict[str, float], dict[str, float]]:
    """Statistics of one replication (every LA), and the counts (``n``) behind count targets.

    Parameters
    ----------
    timeseries, events
        That replication's rows of ``timeseries.parquet`` and ``events.csv``. A run that goes
        on past the end of the record (31 March 2025, e.g. a projection) is cut there: the grade
        mix is the month ending then, judgements after it are dropped, spells censored there. A
        run that ends earlier uses its last month (a short test run).
    dates
        Calendar month-end date of each month (index: month).
    """
    ordered = timeseries.sort_values([LA, MONTH])
    grades_by_la = {
        str(la): frame["ofsted_grade"].to_numpy(dtype=float)
        for la, frame in ordered.groupby(LA, sort=False)
    }
    histories = histories_of(events, grades_by_la)
    months_all = dates.index.to_numpy(dtype=int)
    on_or_before = pd.DatetimeIndex(dates.to_numpy()) <= RECORD_END
    end_month = int(months_all[on_or_before].max()) if on_or_before.any() else int(months_all.max())
    histories = {la: truncate(h, end_month) for la, h in histories.items()}
    months = dates.index.to_numpy(dtype=int)
    years = pd.DatetimeIndex(dates.to_numpy()).year.to_numpy()
    ilacs = int(months[years >= ILACS_FROM_YEAR].min())
    stats = census_series(timeseries, dates)
    stats.update(grade_mix([int(g[end_month - 1]) for g in grades_by_la.values()]))
    counts = transition_counts(histories, ilacs)
    stats.update({k: c.k / c.n if c.n else math.nan for k, c in counts.items()})
    spells = inadequate_spells(histories, end_month, ilacs)
    stats.update(survival(spells))
    gaps = interval_gaps(histories, ilacs)
    stats.update(
        {
            f"interval_after_{g}_months": float(np.mean(v)) if v else math.nan
            for g, v in gaps.items()
        }
    )
    n = {k: float(c.n) for k, c in counts.items()}
    n.update({k: float(len(spells.years)) for k in stats if k.startswith("still_inadequate")})
    n.update({k: float(len(grades_by_la)) for k in stats if k.startswith("grade_mix")})
    n.update({f"interval_after_{g}_months": float(len(v)) for g, v in gaps.items()})
    cliff, cliff_n = cliff_edge(timeseries, histories, dates, ilacs)
    stats.update(cliff)
    n.update(cliff_n)
    n["undated_inadequate_spells"] = float(spells.undated)
    return stats, n


def load_targets(path: Path = TARGETS_CSV) -> pd.DataFrame:
    """The targets table's rows of the groups the back-cast computes."""
    if not path.is_file():
        raise RunInputError(
            str(path),
            "does not exist.",
            "Rebuild it with `python -m sim.analysis.targets`.",
        )
    targets = pd.read_csv(path)
    return targets[targets["group"].isin(GROUPS)].reset_index(drop=True)


def summarise(values: list[float]) -> tuple[float, float, float]:
    """Mean and 90% interval (5th, 95th percentiles) over replications, ignoring NaN."""
    finite = np.asarray([v for v in values if math.isfinite(v)], dtype=float)
    if len(finite) == 0:
        return math.nan, math.nan, math.nan
    return (
        float(finite.mean()),
        float(np.quantile(finite, LOW)),
        float(np.quantile(finite, HIGH)),
    )


def backcast_table(folder: str | Path, targets_csv: Path = TARGETS_CSV) -> pd.DataFrame:
    """One row per arm and target: the record against the model over replications (COLUMNS)."""
    folder = Path(folder)
    national = _read(folder, NATIONAL)
    timeseries = _read(folder, TIMESERIES)
    events = _read(folder, EVENTS)
    targets = load_targets(targets_csv)
    rows = []
    for arm, arm_national in national.groupby(ARM, sort=False):
        per_rep: list[tuple[dict[str, float], dict[str, float]]] = []
        for rep, rep_national in arm_national.groupby(REPLICATION):
            dates = pd.Series(
                pd.to_datetime(rep_national["date"]).to_numpy(),
                index=rep_national[MONTH].to_numpy(),
            )
            keep_ts = (timeseries[ARM] == arm) & (timeseries[REPLICATION] == rep)
            keep_ev = (events[ARM] == arm) & (events[REPLICATION] == rep)
            per_rep.append(replication_statistics(timeseries[keep_ts], events[keep_ev], dates))
        for target in targets.to_dict("records"):
            key = str(target["id"])
            values = [s.get(key, math.nan) for s, _ in per_rep]
            mean, low, high = summarise(values)
            counts = [n[key] for _, n in per_rep if key in n]
            rows.append(
                {
                    "arm": arm,
                    "id": key,
                    "group": target["group"],
                    "description": target["description"],
                    "unit": target["unit"],
                    "record": float(target["observed"]),
                    "record_n": float(target["n"]),
                    "model_mean": mean,
                    "model_p05": low,
                    "model_p95": high,
                    "model_n": float(np.mean(counts)) if counts else math.nan,
                    "replications": int(sum(math.isfinite(v) for v in values)),
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))
