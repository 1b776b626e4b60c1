"""Helpers shared by the tests and the benchmarks (never used by the site): throw-away projects
and builds (``project``), Debian's Chromium on a served site (``browser``), table-fit probes,
hostile inputs, and the benchmark tools (``bench``, run with ``make bench``)."""
