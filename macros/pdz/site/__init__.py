"""Site assembly: the settings of a build and ``assembly.assemble(settings)``, the one function
that assembles everything the site publishes, shared by the MkDocs build and ``make check``."""
