"""The sign-in service of the web editor (GitHub OAuth for a static site): ``service.py``, one file
with only the standard library, deployed on its own (docs/gestione.md, "Configurare l'accesso")."""
