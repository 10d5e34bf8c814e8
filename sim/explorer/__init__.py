"""The scenario explorer: a local web page (Streamlit) for policy teams (DESIGN §3, §8).

A face beside the CLI: it builds its forms from the scenario schema, validates through the same
loader as ``csc-sim validate``, runs through ``sim.run`` and reads results through
:mod:`sim.analysis`. It holds no model or analysis logic of its own. Modules:

``catalogue``      the shipped scenarios the page opens on (never a path from the browser)
``fields``         one form control per scenario field, from the schema (type, bounds, unit, source)
``editing``        a scenario source plus the form's edits -> the resolved scenario or the message
``form``           the Streamlit controls of the form, presets and "changed" markers
``sweep_builder``  one or two levers crossed into a ``grid:``
``upload``         an uploaded file through the safe loader's limits
``caps``           the interactive cap on replications, horizon and runs, and the CLI command
``runs``           per-session runs keyed by the resolved scenario's hash and seed; downloads
``views``          results as tables and Altair charts (numbers from :mod:`sim.analysis`)
``results_page``   the results tabs: curves, answer, summary, grades, cost, compare, LAs
``app``            the Streamlit script
``launch``         the ``streamlit run`` command line, on loopback unless asked otherwise
``__main__``       ``python -m sim.explorer`` (what ``csc-sim explore`` becomes)
"""
