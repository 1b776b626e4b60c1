"""Content: the model of every record kind, the one reader of schemas/, strict YAML, validation,
loading into a catalog, links between plans, and the guards around the content (root code,
fonti/, invisible characters, main-line dates). Plain Python: it never imports MkDocs or rendering."""
