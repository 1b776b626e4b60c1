"""``redirects.yaml``: moved pages. Contributor input, so read like content and fully checked.

Each line is ``vecchio/indirizzo/: nuovo/indirizzo/``, both site-relative with the final '/'.
The file is read with the strict YAML loader and the size limit of content files (no aliases,
no duplicate keys, no tags). An old address must be a clean path inside the site that no page
uses; a new address must be a page of the site; no redirect may point at another redirect.
"""
from __future__ import annotations

import re
from pathlib import Path

from pdz.content import yamlsafe
from pdz.content.loader import invisible_problem, read_text
from pdz.content.problems import Problem, field_path
from pdz.html.text import escape
from pdz.content.urls import relative

REDIRECTS_FILE = "redirects.yaml"
# site-relative, made of the names content files may have (lower case, digits, single hyphens),
# each segment ending with '/': no '.', '..', '//', leading '/', backslash, '%', query or fragment
_ADDRESS = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)+$")
FORMAT_HINT = "scrivi righe 'vecchio/indirizzo/: nuovo/indirizzo/', relative al sito, con la barra finale"


class Redirects(dict):
    """old address -> new address; ``lines`` maps each old address to its line in the file."""
    def __init__(self, items=(), lines=None):
        super().__init__(items)
        self.lines = dict(lines or {})


def load_redirects(root: Path) -> tuple[Redirects, list[Problem]]:
    """The redirects of ``root``/redirects.yaml and the problems of their form (the addresses are
    checked against the site by ``redirect_problems``). A missing or empty file means none."""
    path = Path(root) / REDIRECTS_FILE
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return Redirects(), []
    text, problem = read_text(path, REDIRECTS_FILE)
    if problem is not None:
        return Redirects(), [problem]
    parsed = yamlsafe.load(text)
    problems = [Problem(REDIRECTS_FILE, issue.line, field_path(issue.path), issue.message, issue.hint)
                for issue in parsed.issues]
    hidden = None if problems else invisible_problem(text, REDIRECTS_FILE)   # a comment
    if problems or hidden:
        return Redirects(), problems or [hidden]
    if parsed.data is None:   # only comments
        return Redirects(), []
    if not isinstance(parsed.data, dict):
        return Redirects(), [Problem(REDIRECTS_FILE, 1, "", "il file deve contenere un elenco di redirect", FORMAT_HINT)]
    redirects = Redirects(lines={key[0]: line for key, line in parsed.lines.items() if len(key) == 1})
    for old, new in parsed.data.items():
        line = parsed.lines.get((old,), 1)
        bad = [(side, value) for side, value in (("vecchio", old), ("nuovo", new))
               if not (isinstance(value, str) and _ADDRESS.match(value))]
        for side, value in bad:
            shown = value if isinstance(value, str) and len(value) <= 80 else (str(value)[:60] + "…")
            problems.append(Problem(REDIRECTS_FILE, line, str(old)[:80], f"l'indirizzo {side} '{shown}' non è valido",
                                    "usa un indirizzo relativo al sito, senza '/' iniziale, '..' o '//', "
                                    "con lettere minuscole, numeri e trattini, che finisce con '/', "
                                    "per esempio corsico/obiettivi/04-tutela-minori/"))
        if not bad:
            redirects[old] = new
    return redirects, problems


def redirect_problems(redirects: Redirects, pages: set[str], reserved: dict[str, str],
                      elsewhere=lambda address: False) -> list[Problem]:
    """Addresses checked against the site: ``pages`` are its page addresses ('' is the home),
    ``reserved`` maps folders and files that are not pages to their owner, ``elsewhere(address)``
    is true for pages this load cannot see (another Ambito, in a single-Ambito preview)."""
    problems = []

    def problem(old, message, hint):
        problems.append(Problem(REDIRECTS_FILE, redirects.lines.get(old, 1), old, message, hint))

    for old, new in redirects.items():
        if old == new:
            problem(old, "la pagina rimanda a se stessa", "togli la riga")
            continue
        if old in pages:
            problem(old, f"l'indirizzo vecchio '{old}' è una pagina del sito: il redirect la cancellerebbe",
                    "togli la riga, oppure sposta prima la pagina")
            continue
        taken = next((owner for prefix, owner in reserved.items() if (old + "index.html").startswith(prefix)), None)
        if taken:
            problem(old, f"l'indirizzo vecchio '{old}' è dentro {taken}", "togli la riga")
            continue
        if new in redirects:
            seen, step = [old], new
            while step in redirects and step not in seen:
                seen.append(step)
                step = redirects[step]
            if step in seen:
                problem(old, "i redirect formano un ciclo: " + " → ".join(seen + [step]), "togli una delle righe del ciclo")
            else:
                problem(old, f"catena di redirect: '{new}' rimanda a sua volta a '{redirects[new]}'",
                        f"fai puntare la riga direttamente alla pagina finale ('{step}')")
            continue
        if new not in pages and not elsewhere(new):
            problem(old, f"l'indirizzo nuovo '{new}' non è una pagina del sito",
                    "usa l'indirizzo di una pagina esistente (come compare nel browser, senza il dominio)")
    return problems


def redirect_page(old: str, new: str) -> bytes:
    """The page left at a moved address. ``new`` is a checked address, and escaped anyway (the
    build adds the Content-Security-Policy, as to every HTML file)."""
    target = escape(relative(old, new))
    return (
        '<!doctype html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
        '<title>Pagina spostata</title>\n'
        f'<link rel="canonical" href="{target}">\n<meta http-equiv="refresh" content="0; url={target}">\n'
        '<meta name="robots" content="noindex">\n</head>\n<body>\n<main>\n<h1>Pagina spostata</h1>\n'
        f'<p>Questa pagina ha un nuovo indirizzo: <a href="{target}">vai alla nuova pagina</a>.</p>\n'
        "</main>\n</body>\n</html>\n").encode("utf-8")
