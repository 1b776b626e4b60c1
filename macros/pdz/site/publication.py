"""A build for publication (``pubblicazione: true``, as the publishing workflow runs it) never
publishes placeholders: the public address must be a real one and the owning body must be named,
with its IPA code and its e-mail. Otherwise the assembly refuses, with the list of what is
missing, so ``make check`` with the same settings refuses too.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from pdz.content.problems import Problem
from pdz.site.settings import Settings

CONFIG = "mkdocs.yml"
# The environment variable of each setting checked here, as mkdocs.yml reads it (!ENV); a test
# keeps the two the same.
VARIABLES = {"site_url": "PDZ_SITE_URL", "ente.nome": "PDZ_ENTE_NOME", "ente.codice_ipa": "PDZ_ENTE_IPA",
             "email_contatto": "PDZ_ENTE_EMAIL", "anteprima_ambito": "PDZ_AMBITO"}
HEAD = ("Il sito non può essere pubblicato: la costruzione per la pubblicazione (pubblicazione: true) "
        "non accetta dati mancanti o di esempio. Imposta questi valori come variabili del repository "
        "(GitHub: Settings > Secrets and variables > Actions > Variables) o nelle opzioni del plugin pdz "
        "in mkdocs.yml; vedi la guida per chi gestisce il sito, «Mettere online il sito».")
# Domains reserved for documentation and tests (RFC 2606, RFC 6761): never a public site.
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net", "example", "test", "invalid", "localhost",
                   "local")


ADDRESS_HINT = ("scrivi l'indirizzo https:// a cui il sito è pubblicato, per esempio "
                "https://<proprietario>.github.io/<repository>/ su GitHub Pages")


def example_address(url: str) -> str | None:
    """Why ``url`` cannot be a published site's address, or None when it can."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "non è un indirizzo completo"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    if ip is not None and not ip.is_global:
        return "è l'indirizzo di un computer locale o di una rete privata"
    if ip is None and any(host == d or host.endswith("." + d) for d in EXAMPLE_DOMAINS):
        return "è un indirizzo di esempio"
    if parts.scheme != "https":
        return "non inizia con https://"
    return None


def _missing(field: str, message: str, hint: str) -> Problem:
    return Problem(CONFIG, 0, f"{field} ({VARIABLES[field]})", message, hint)


def is_publication_problem(problem: Problem) -> bool:
    return problem.path == CONFIG and problem.field in {f"{f} ({v})" for f, v in VARIABLES.items()}


def refusal(problems: list[Problem]) -> list[str]:
    """The lines that say why a publication is refused (HEAD, then one line each), or none."""
    missing = [p.format() for p in problems if is_publication_problem(p)]
    return [HEAD, *missing] if missing else []


def publication_problems(settings: Settings) -> list[Problem]:
    """What a build for publication lacks; nothing when it is not one."""
    if not settings.publication:
        return []
    problems = []
    if not settings.site_url:
        problems.append(_missing("site_url", "manca l'indirizzo pubblico del sito", ADDRESS_HINT))
    else:
        reason = example_address(settings.site_url)
        if reason:
            problems.append(_missing("site_url", f"l'indirizzo del sito «{settings.site_url}» {reason}", ADDRESS_HINT))
    if not settings.owner.nome:
        problems.append(_missing("ente.nome", "manca il nome dell'ente titolare del sito",
                                 "scrivi il nome per esteso, per esempio «Comune di Corsico – Ufficio di Piano»"))
    if not settings.owner.codice_ipa:
        problems.append(_missing("ente.codice_ipa", "manca il codice IPA dell'ente titolare",
                                 "lo trovi cercando l'ente su www.indicepa.gov.it, alla voce «Codice IPA»"))
    if not settings.contact_email:
        problems.append(_missing("email_contatto", "manca l'indirizzo di posta elettronica dell'ente",
                                 "scrivi l'indirizzo a cui il pubblico invia segnalazioni e richieste: compare nelle pagine "
                                 "Segnalazioni, Privacy e Accessibilità e nel catalogo dei dati aperti"))
    if settings.preview:
        problems.append(_missing("anteprima_ambito", f"la costruzione comprende un solo Ambito («{settings.preview}»)",
                                 "lascia vuota la variabile, così si pubblicano tutti gli Ambiti"))
    return problems
