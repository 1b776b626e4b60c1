"""Facts derived from the catalog (budgets, monitoring and states, plans over time, fidelity to
the source lines, the check of derived statements). Reads content; never renders."""
