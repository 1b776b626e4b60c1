"""pdz: content model, loading, validation and rendering for the Piani di Zona site.

Nothing in this package imports MkDocs: the MkDocs glue lives in ``macros/mkdocs_*.py``
so the site generator can be swapped without touching the content pipeline.
"""
from .content import rootguard as _rootguard

# Started without -P from a folder with a stray yaml.py? Stop before any library is imported
# (the entry points run with -P; content/rootguard.py says why).
if _rootguard.working_directory_is_importable():
    _rootguard.refuse_to_start(_rootguard.os.getcwd())
