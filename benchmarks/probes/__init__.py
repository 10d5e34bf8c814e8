"""Probes: small programs the benchmark runs in a fresh interpreter (``python -m``).

Each prints one JSON object as its last line (``benchmarks.child.run_probe`` reads it).
"""
