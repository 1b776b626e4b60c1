"""The benchmark tools behind ``make bench`` (results in benchmarks/results.md)."""
