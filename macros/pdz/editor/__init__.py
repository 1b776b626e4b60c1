"""Editors' tools: the web editor's configuration (Decap CMS) and content conversions."""
