"""Where the calibrated defaults come from (issue 15 part 6; docs/calibration.md, "The full study").

The defaults of the free parameters of ``calibration/england.yaml`` are the weighted medians of
that study's posterior (``marginals.csv``, column ``q50``), rounded to three significant figures;
each field's ``source`` gives the posterior's 5-95% range, the prior, and what the field cited
before.
"""

#: The targets the study fitted (calibration/targets.csv ids and groups).
CALIBRATED_TARGETS = (
    "CSWW 2023-2025 turnover, vacancy, agency and caseload, re-referrals, director changes and "
    "the next graded judgement after an inadequate one"
)
#: The study: file, date, effective sample size.
CALIBRATION_STUDY = "calibration/england.yaml, full study of 2 Dec 2026, ESS 22.8 of 64"
