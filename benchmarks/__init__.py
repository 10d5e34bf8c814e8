"""Benchmarks of the model against bare SimPy (not part of the installed package)."""
