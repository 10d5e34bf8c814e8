"""Analysis of results: statistics with confidence intervals, outcome-curve plots, the HTML
report, comparisons of runs (and, in other modules, sensitivity analysis and calibration).

Modules of the results pipeline:

``answer``     the answer: reference arms, paired differences with 95% intervals over windows,
               the summary sentences (one source for the report, results.xlsx and the explorer)
``windows``    the answer's outcomes per replication over years 1-3, 8-10 and the whole run
``intervals``  bounded intervals (clipped t, Wilson, paired and Welch differences)
``survival``   Kaplan-Meier time to leave inadequate (lifelines), with censoring
``grades``     the grade as the share of replications in each grade by month
``labels``     readable arm names (``labels:`` of the file, or fields and units)
``formats``    numbers as shown (£m/£k, percentage points, signs)
``figures``    grade shares and Kaplan-Meier figures
``answer_sections`` the report's answer sections; ``workbook`` results.xlsx
``compare_answer``  differences between results folders (paired or unpaired)
``sensitivity_page`` report.html of a sensitivity run
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
