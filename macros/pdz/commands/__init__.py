"""Command-line entry points (``python -P -m pdz.commands.<name>``, run by make): check, site,
nuovo, coverage, permalinks, fidelity, derived, to_markdown. The top layer: each ``main()`` reads
its arguments, calls the layers below and turns problems into Italian messages and exit codes."""
