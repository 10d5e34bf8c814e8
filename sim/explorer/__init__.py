"""The scenario explorer: a local web page (Streamlit) for policy teams (DESIGN §3, §8).

A face beside the CLI: it builds its forms from the scenario schema, validates through the same
loader as ``csc-sim validate``, runs through ``sim.run`` and reads results through
:mod:`sim.analysis`. It holds no model or analysis logic of its own. Modules:

``catalogue``  the shipped scenarios the page opens on (never a path from the browser)
``fields``     one form control per scenario field, from the schema (type, bounds, unit, source)
``editing``    a scenario source plus the form's edits -> the resolved scenario or the message
``upload``     an uploaded file through the safe loader's limits
``caps``       the interactive cap on replications, horizon and arms, and the CLI command
``runs``       per-session runs keyed by the resolved scenario's hash and seed; downloads
``views``      results on the page: summary, outcomes, curves, grade chances, population
``app``        the Streamlit script
``launch``     the command line that starts Streamlit on loopback
"""
