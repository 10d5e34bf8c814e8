"""The sections of ``benchmarks/results.md``, one module each, in the order they appear.

Each module has ``TITLE`` (its heading's words) and ``run(cfg, report)``, which measures and
adds its section and its summary rows to the report.
"""
