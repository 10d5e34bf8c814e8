"""The shipped record: the Ofsted and DfE files that calibration targets are computed from.

Every reader names the file it reads, so a moved or damaged file gives the house message
(:class:`~sim.scenario.errors.ScenarioError`, exit code 2) rather than a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.scenario.errors import ScenarioError

#: The repository's data folder (``data/`` beside ``sim/``).
DATA_DIR = Path(__file__).resolve().parents[3] / "data"
OFSTED_ODS = "ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods"
CSWW_CSV = "dfe/csww_indicators_2017_to_2025.csv"
CIN_REFERRALS_CSV = "dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
#: Sheet of every graded ILACS inspection, January 2018 - March 2025 (header on row 3).
HISTORY_SHEET = "ILACS_inspection_history"
#: Sheet of each LA's judgement in force at 31 March 2025 (header on row 3).
IN_FORCE_SHEET = "Inspections_as_at_31_March"
HEADER_ROW = 2
#: Ofsted's overall-effectiveness words and the model's grades (1 outstanding ... 4 inadequate).
GRADES: dict[str, int] = {
    "Outstanding": 1,
    "Good": 2,
    "Requires improvement to be good": 3,
    "Inadequate": 4,
}
GRADE_NAMES: dict[int, str] = {
    1: "outstanding",
    2: "good",
    3: "requires improvement",
    4: "inadequate",
}
#: The end of the Ofsted record (the file is "as at 31 March 2025"): survival is censored here.
RECORD_END = pd.Timestamp("2025-03-31")
#: Spellings of suppressed or missing cells in DfE files (data/dfe/README.md).
SUPPRESSED = ["x", "c", "u", "z", ""]
#: DfE's mark for a figure that rounds to zero (three LAs' agency rates): read as 0.
ROUNDS_TO_ZERO = "low"
CSWW_NUMBERS = (
    "time_period",
    "turnover_rate_fte",
    "vacancy_rate_fte",
    "agency_rate_fte",
    "caseload_fte",
)
CIN_NUMBERS = ("time_period", "referral_count", "rereferral_count", "rereferral_percent")


def _path(relative: str, data_dir: Path | None) -> Path:
    path = (data_dir or DATA_DIR) / relative
    if not path.is_file():
        raise ScenarioError(
            str(path),
            None,
            "the data file is missing.",
            "Restore it from the repository (git checkout data/).",
        )
    return path


def _graded(frame: pd.DataFrame, path: Path, sheet: str) -> pd.DataFrame:
    needed = ["Local authority area code", "Inspection date", "Overall effectiveness"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ScenarioError(
            f"{path} (sheet {sheet})",
            missing[0],
            "the column is missing.",
            f"Expected columns: {', '.join(needed)}.",
        )
    frame = frame.dropna(subset=needed).copy()
    unknown = sorted(set(frame["Overall effectiveness"]) - set(GRADES))
    if unknown:
        raise ScenarioError(
            f"{path} (sheet {sheet})",
            "Overall effectiveness",
            f"unknown judgement '{unknown[0]}'.",
            f"Expected one of: {', '.join(GRADES)}.",
        )
    frame["grade"] = frame["Overall effectiveness"].map(GRADES).astype(int)
    frame["date"] = pd.to_datetime(frame["Inspection date"])
    frame["la_code"] = frame["Local authority area code"].astype(str)
    return frame


def ilacs_history(data_dir: Path | None = None) -> pd.DataFrame:
    """Every graded ILACS inspection: ``la_code, la_name, date, grade, type``, by LA then date."""
    path = _path(OFSTED_ODS, data_dir)
    raw = pd.read_excel(path, sheet_name=HISTORY_SHEET, engine="odf", header=HEADER_ROW)
    frame = _graded(raw, path, HISTORY_SHEET)
    frame["la_name"] = frame["Local authority name"]
    frame["type"] = frame["Inspection type"]
    columns = ["la_code", "la_name", "date", "grade", "type"]
    return frame[columns].sort_values(["la_code", "date"]).reset_index(drop=True)


def grades_in_force(data_dir: Path | None = None) -> pd.Series:
    """Each LA's overall effectiveness in force at 31 March 2025 (index ``la_code``)."""
    path = _path(OFSTED_ODS, data_dir)
    raw = pd.read_excel(path, sheet_name=IN_FORCE_SHEET, engine="odf", header=HEADER_ROW)
    frame = _graded(raw, path, IN_FORCE_SHEET)
    return frame.set_index("la_code")["grade"]


def csww(data_dir: Path | None = None) -> pd.DataFrame:
    """The CSWW indicators, suppressed cells as NaN (years end 30 September)."""
    path = _path(CSWW_CSV, data_dir)
    frame = pd.read_csv(
        path, na_values=SUPPRESSED, keep_default_na=True, dtype={"new_la_code": str}
    )
    return _numeric(frame, CSWW_NUMBERS, path)


def _numeric(frame: pd.DataFrame, columns: tuple[str, ...], path: Path) -> pd.DataFrame:
    """Columns as numbers (``low`` as 0); other text, or a missing column, names the cell."""
    for column in columns:
        if column not in frame.columns:
            raise ScenarioError(str(path), column, "the column is missing.")
        if frame[column].dtype != object:
            continue
        values = frame[column].replace(ROUNDS_TO_ZERO, "0")
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values.notna() & numbers.isna()
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 2  # header is line 1
            raise ScenarioError(
                str(path),
                column,
                f"line {row} holds '{values[bad].iloc[0]}', which is not a number.",
                f"Use a number or one of the suppression marks {', '.join(SUPPRESSED[:-1])} (line {row}).",
            )
        frame[column] = numbers
    return frame


def cin_referrals(data_dir: Path | None = None) -> pd.DataFrame:
    """CIN referrals and re-referrals (years end 31 March)."""
    path = _path(CIN_REFERRALS_CSV, data_dir)
    frame = pd.read_csv(
        path, na_values=SUPPRESSED, keep_default_na=True, dtype={"new_la_code": str}
    )
    return _numeric(frame, CIN_NUMBERS, path)
