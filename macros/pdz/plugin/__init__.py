"""The MkDocs plugin: the only part of the project that knows MkDocs (and Material).

``config.py`` declares and validates the plugin's options (``plugins: - pdz:`` in mkdocs.yml),
``plugin.py`` hands MkDocs what ``pdz.site`` assembled, ``docs_macros.py`` gives the hand-written
pages of ``docs/`` their macros (mkdocs-macros). A move to another generator replaces this folder.
"""
