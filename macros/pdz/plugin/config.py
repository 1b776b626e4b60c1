"""The plugin's options, typed and validated by MkDocs before any work starts, with Italian
messages; ``settings`` turns them, with MkDocs' own configuration, into ``pdz.site.Settings``.

In mkdocs.yml every option can come from an environment variable (``!ENV [NAME, default]``),
so a deployment sets them as repository variables.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from pdz.site.settings import Body, EditorBackend, Settings, Statistics

_TYPE_NAMES = {str: "un testo", bool: "true oppure false", dict: "un gruppo di campi", list: "un elenco"}


class _Italian(base.Config):
    """Options whose problems are told in Italian, unknown names included (MkDocs would only
    warn about those, and a misspelt option would silently do nothing)."""

    def validate(self):
        failed, warnings = super().validate()
        allowed = ", ".join(sorted(self._schema_keys))
        for key, message in warnings:
            if "Unrecognised configuration name" in str(message):
                failed.append((key, ValidationError(f"opzione sconosciuta: le opzioni ammesse sono {allowed}")))
        return failed, [(k, m) for k, m in warnings if "Unrecognised configuration name" not in str(m)]


class Text(c.Type):
    """A single-line text (empty allowed)."""

    def __init__(self, default: str = ""):
        super().__init__(str, default=default)

    def run_validation(self, value):
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValidationError(f"serve un testo tra virgolette, trovato {_TYPE_NAMES.get(type(value), type(value).__name__)}")
        if re.search(r"[\x00-\x1f\x7f]", value):
            raise ValidationError("il testo deve stare su una riga, senza caratteri di controllo")
        return value.strip()


class Address(Text):
    """An https:// address, or empty."""

    def run_validation(self, value):
        value = super().run_validation(value)
        if value and not re.match(r"^https://[^\s/?#]+[^\s]*$", value):
            raise ValidationError(f"serve un indirizzo che inizia con https://, trovato {value!r}")
        return value


class ServiceAddress(Text):
    """An https:// address, or http:// on this computer only (trials and tests), or empty."""

    LOOPBACK = r"http://(?:127\.0\.0\.1|localhost|\[::1\])(?::[0-9]{1,5})?(?:/[^\s?#]*)?"

    def run_validation(self, value):
        value = super().run_validation(value)
        if value and not (re.match(r"^https://[^\s/?#]+[^\s?#]*$", value) or re.fullmatch(self.LOOPBACK, value)):
            raise ValidationError(f"serve un indirizzo che inizia con https:// (http:// solo per 127.0.0.1), trovato {value!r}")
        return value.rstrip("/")


class Origin(ServiceAddress):
    """Only scheme, host and port: the web editor compares it with the sign-in window's origin."""

    def run_validation(self, value):
        value = super().run_validation(value)
        if re.match(r"^[a-z]+://[^/]+/", value):
            raise ValidationError(f"serve solo l'origine del servizio di accesso (per esempio https://servizi.ente.it), "
                                  f"trovato {value!r}: il percorso va in `auth_endpoint` (per esempio pdz-accesso/auth)")
        return value


class Flag(c.Type):
    """true or false (also the strings of an environment variable)."""

    def __init__(self, default: bool):
        super().__init__(bool, default=default)

    def run_validation(self, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", "si", "sì", "no", ""):
            return value.strip().lower() in ("true", "1", "si", "sì")
        raise ValidationError(f"serve true oppure false, trovato {value!r}")


class Group(c.SubConfig):
    """A group of options, with the failing option named in Italian."""

    def __init__(self, config_class):
        super().__init__()
        self.config_class = config_class

    def run_validation(self, value):
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise ValidationError("serve un gruppo di campi ('nome: valore' su righe rientrate)")
        config = self.config_class(config_file_path=self._config_file_path)
        config.load_dict(value)
        failed, warnings = config.validate()
        self.warnings.extend(f"campo '{key}': {message}" for key, message in warnings)
        if failed:
            key, error = failed[0]
            raise ValidationError(f"campo '{key}': {error}")
        return config


class Pattern(Text):
    """A single-line text of a given form, or empty."""

    def __init__(self, pattern: str, expected: str):
        super().__init__()
        self.pattern, self.expected = re.compile(pattern), expected

    def run_validation(self, value):
        if isinstance(value, int) and not isinstance(value, bool):   # digits only, from the environment
            value = str(value)
        value = super().run_validation(value)
        if value and not self.pattern.fullmatch(value):
            raise ValidationError(f"serve {self.expected}, trovato {value!r}")
        return value


class BodyOptions(_Italian):
    nome = Text()
    sito = Address()
    # the body's code in the IPA index (indicepa.gov.it): letters, digits and underscores, e.g. c_f205
    codice_ipa = Pattern(r"[A-Za-z0-9_]{1,40}", "il codice IPA dell'ente (lettere, cifre e _, per esempio c_f205)")


class Number(Text):
    """A number written as digits (the environment gives YAML an int): kept as text."""

    def run_validation(self, value):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return str(value)
        return super().run_validation(value)


class StatisticsOptions(_Italian):
    url = Address()
    id_sito = Number()

    def validate(self):
        failed, warnings = super().validate()
        if not failed and (self.url or self.id_sito) and not (self.url and str(self.id_sito).isdigit()):
            failed.append(("url", ValidationError(
                "servono sia `url` (un indirizzo https://, per esempio https://ingestion.webanalytics.italia.it/) "
                "sia `id_sito` (il numero del sito in Web Analytics Italia); trovati "
                f"url={self.url!r}, id_sito={self.id_sito!r}. Per non raccogliere statistiche lascia vuoti entrambi.")))
        return failed, warnings


class EditorOptions(_Italian):
    repo = Pattern(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+",   # owner/name; default: from repo_url
                   "un repository GitHub nella forma proprietario/nome, per esempio ente/pdz-site")
    base_url = Origin()      # the sign-in service (pdz_signin), its origin only
    auth_endpoint = Pattern(r"[A-Za-z0-9_./-]+",   # its path, default "auth"
                            "un percorso del servizio di accesso, per esempio pdz-accesso/auth")
    proxy = Text()           # `make redazione`: the local decap-server
    api_root = ServiceAddress()   # GitHub's REST API, when not https://api.github.com


class CspSources(c.Type):
    """Sources added to directives of the Content-Security-Policy (pdz.html.csp decides what is
    allowed: never 'unsafe-inline' for scripts)."""

    def __init__(self):
        super().__init__(dict, default={})

    def run_validation(self, value):
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValidationError("serve un gruppo 'direttiva: [sorgenti]', per esempio script-src: [\"https://host\"]")
        csp = importlib.import_module("pdz.html.csp")   # looked up now: `mkdocs serve` may have reloaded it
        try:
            csp.Policy(value)
        except csp.PolicyError as exc:
            raise ValidationError(str(exc)) from None
        return value


class FooterLink(_Italian):
    label = Text()
    url = Text()


class PdzConfig(_Italian):
    ente = Group(BodyOptions)               # the body that owns and publishes the site
    ente_superiore = Group(BodyOptions)     # its parent body (slim header), optional
    email_contatto = Pattern(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+",   # feedback channel of the owning body
                             "un indirizzo di posta elettronica, per esempio ufficiodipiano@ente.it")
    statistiche = Group(StatisticsOptions)  # Web Analytics Italia: off while empty
    csp = CspSources()
    editor = Group(EditorOptions)
    percorso_modifica = Text("edit/main/")  # edit links: <repo_url>/<percorso_modifica><file>
    navigazione = c.Type(list, default=[])  # hand-written pages in the navigation (MkDocs nav form)
    collegamenti_piede = c.ListOfItems(Group(FooterLink), default=[])
    anteprima_ambito = Text()               # PDZ_AMBITO: one Ambito only (quick preview)
    ricerca = Flag(True)                    # PDZ_SEARCH=false: no search index (quick preview)
    pubblicazione = Flag(False)             # PDZ_PUBBLICAZIONE=true: refuse placeholders (pubblica.yml)


def _body(options) -> Body:
    return Body(nome=options.nome, sito=options.sito, codice_ipa=options.codice_ipa)


def settings(config, options: PdzConfig, *, admin_styles=(), template_dirs=()) -> Settings:
    """The site's settings from MkDocs' configuration and the plugin's options."""
    editor = options.editor
    repo = editor.repo or "/".join((config.repo_url or "").rstrip("/").split("/")[-2:])
    return Settings(
        root=Path(config.config_file_path).absolute().parent,   # not resolve(): tests link mkdocs.yml
        site_name=config.site_name, site_url=config.site_url or "", repo_url=config.repo_url or "",
        edit_path=options.percorso_modifica, owner=_body(options.ente), parent_body=_body(options.ente_superiore),
        contact_email=options.email_contatto,
        statistics=Statistics(url=options.statistiche.url, id_sito=str(options.statistiche.id_sito)),
        csp_sources=dict(options.csp),
        editor=EditorBackend(repo=repo, base_url=editor.base_url, auth_endpoint=editor.auth_endpoint, proxy=editor.proxy,
                             api_root=editor.api_root),
        static_nav=list(options.navigazione),
        footer_links=tuple({"label": link.label, "url": link.url} for link in options.collegamenti_piede), preview=options.anteprima_ambito or None, search=options.ricerca,
        publication=options.pubblicazione,
        admin_styles=tuple(admin_styles), template_dirs=tuple(template_dirs))


def template_values(s) -> dict:
    """What the theme's templates and the pages of docs/ read of the settings (as ``pdz``)."""
    def body(b):
        return {"nome": b.nome, "sito": b.sito, "codice_ipa": b.codice_ipa}
    return {"ente": body(s.owner), "ente_superiore": body(s.parent_body), "email_contatto": s.contact_email,
            "statistiche": {"url": s.statistics.url, "id_sito": s.statistics.id_sito} if s.statistics.on else {},
            "collegamenti_piede": [dict(link) for link in s.footer_links]}
