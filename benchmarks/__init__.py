"""Scale benchmarks (`make bench`): seed PostgreSQL, measure, write benchmarks/RESULTS.md.

Not part of the test suite (pytest's testpaths is tests/).
"""
