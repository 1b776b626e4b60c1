"""pdz: content model, loading, validation and rendering for the Piani di Zona site.

Nothing in this package imports MkDocs: the MkDocs glue lives in ``macros/mkdocs_*.py``
so the site generator can be swapped without touching the content pipeline.
"""
