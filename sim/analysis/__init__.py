"""Analysis of results: statistics with confidence intervals, outcome-curve plots, the HTML
report, comparisons of runs (and, in other modules, sensitivity analysis and calibration).

Modules of the results pipeline:

``stats``      per-replication statistics, t-intervals, the summary table, curve tables
``outcomes``   event outcomes per arm (exit from inadequate, relapse, cost)
``overlays``   months under intervention and with a new grade, marked on the curves
``arms``       grouping the arms of a large sweep into small multiples
``plots``      outcome curves (mean per arm with its 95% confidence band)
``parameters`` the assumptions and provenance tables of the report
``html``       small HTML building blocks (everything escaped)
``sections``   the sections of the reports
``report``     ``report.html``, one self-contained file
``derived``    ``summary.csv``, ``curves/`` and ``report.html`` of a results folder
``compare``    one report and table comparing several results folders
"""
