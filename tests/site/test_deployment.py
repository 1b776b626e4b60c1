"""A deployment's identity comes from one documented place: MkDocs' site_url and the options of the
pdz plugin in mkdocs.yml, each from its environment variable, which the publishing workflow fills
from the repository's variables. A build for publication refuses placeholders, with the list of
what is missing, in ``make check`` and in the build alike (issue #29)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pdz_dev.project import DEPLOYED_URL, FIXTURES, OWNER_ENV, ROOT, env_tags, make_project
from pdz.plugin.plugin import load_settings
from pdz.site.publication import HEAD, VARIABLES, example_address

# Setting (mkdocs.yml; plugin options under pdz.) -> environment variable: the table of the guide
# (docs/gestione.md, "Mettere online il sito") and of the README.
DEPLOYMENT = {
    "site_url": "PDZ_SITE_URL",
    "repo_url": "PDZ_REPO_URL",
    "pdz.ente.nome": "PDZ_ENTE_NOME",
    "pdz.ente.codice_ipa": "PDZ_ENTE_IPA",
    "pdz.ente.sito": "PDZ_ENTE_SITO",
    "pdz.email_contatto": "PDZ_ENTE_EMAIL",
    "pdz.ente_superiore.nome": "PDZ_ENTE_SUPERIORE_NOME",
    "pdz.ente_superiore.sito": "PDZ_ENTE_SUPERIORE_SITO",
    "pdz.statistiche.url": "PDZ_MATOMO_URL",
    "pdz.statistiche.id_sito": "PDZ_MATOMO_SITE_ID",
    "pdz.editor.repo": "PDZ_EDITOR_REPO",
    "pdz.editor.base_url": "PDZ_EDITOR_BASE_URL",
    "pdz.editor.auth_endpoint": "PDZ_EDITOR_AUTH_ENDPOINT",
    "pdz.editor.api_root": "PDZ_EDITOR_API_ROOT",
    "pdz.pubblicazione": "PDZ_PUBBLICAZIONE",
}
DEFAULT_URL = "https://pdz-site.example.org/"


def clean_env(**settings) -> dict:
    """This process's environment without any PDZ_ variable, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PDZ_")}
    return dict(env, NO_MKDOCS_2_WARNING="1", **settings)


def test_every_setting_has_its_variable_and_works_unconfigured():
    tags = env_tags()
    assert {option: tags[option][0] for option in DEPLOYMENT} == DEPLOYMENT
    for field, variable in VARIABLES.items():   # the refusal names the variables mkdocs.yml reads
        assert tags.get(field, tags.get("pdz." + field))[0] == variable
    # nothing to set for `make serve` or `make site`: example address, empty body, no publication
    defaults = {option: tags[option][1] for option in DEPLOYMENT}
    assert defaults.pop("site_url") == DEFAULT_URL and defaults.pop("repo_url").startswith("https://github.com/")
    assert defaults.pop("pdz.pubblicazione") is False
    assert set(defaults.values()) == {""}


def test_the_publishing_workflow_passes_the_repository_variables():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "pubblica.yml").read_text(encoding="utf-8"))
    env = flow["jobs"]["build"]["env"]
    assert env.pop("PDZ_PUBBLICAZIONE") == "true"
    assert env.pop("PDZ_REPO_URL") == \
        "${{ vars.PDZ_REPO_URL || format('{0}/{1}', github.server_url, github.repository) }}"
    expected = set(DEPLOYMENT.values()) - {"PDZ_PUBBLICAZIONE", "PDZ_REPO_URL"}
    assert env == {variable: f"${{{{ vars.{variable} }}}}" for variable in expected}
    steps = [step.get("run") for step in flow["jobs"]["build"]["steps"]]
    assert steps.index("make check") < steps.index("make site")   # both under the same settings


@pytest.mark.parametrize("document", ["docs/gestione.md", "README.md"])
def test_the_guide_and_the_readme_list_every_setting_with_its_variable(document):
    text = (ROOT / document).read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.lstrip().startswith("|") and "`PDZ_" in line]
    for option, variable in DEPLOYMENT.items():
        name = option.removeprefix("pdz.")
        assert any(f"`{name}`" in row and f"`{variable}`" in row for row in rows), (document, option)


def test_settings_come_from_the_environment(monkeypatch):
    values = {"PDZ_SITE_URL": "https://pianidizona.ambito.it", "PDZ_REPO_URL": "https://github.com/ente/piani",
              "PDZ_ENTE_NOME": "Comune di Prova", "PDZ_ENTE_IPA": "c_x123", "PDZ_ENTE_SITO": "https://comune.it/",
              "PDZ_ENTE_EMAIL": "piano@comune.it", "PDZ_ENTE_SUPERIORE_NOME": "Regione Lombardia",
              "PDZ_EDITOR_BASE_URL": "https://accesso.comune.it", "PDZ_EDITOR_AUTH_ENDPOINT": "api/auth",
              "PDZ_PUBBLICAZIONE": "true"}
    for name in list(os.environ):
        if name.startswith("PDZ_"):
            monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    settings, problems = load_settings(ROOT / "mkdocs.yml")
    assert problems == []
    assert settings.site_url == "https://pianidizona.ambito.it/" and settings.repo_url == values["PDZ_REPO_URL"]
    assert (settings.owner.nome, settings.owner.codice_ipa, settings.owner.sito) == \
        ("Comune di Prova", "c_x123", "https://comune.it/")
    assert settings.contact_email == "piano@comune.it" and settings.parent_body.nome == "Regione Lombardia"
    assert (settings.editor.repo, settings.editor.base_url, settings.editor.auth_endpoint) == \
        ("ente/piani", "https://accesso.comune.it", "api/auth")   # the repository: from repo_url
    assert settings.publication is True
    monkeypatch.setenv("PDZ_EDITOR_REPO", "ente/redazione")
    assert load_settings(ROOT / "mkdocs.yml")[0].editor.repo == "ente/redazione"


@pytest.mark.parametrize("variable, value, expected", [
    ("PDZ_ENTE_IPA", "c 123", "serve il codice IPA dell'ente"),
    ("PDZ_ENTE_EMAIL", "ufficio.piano", "serve un indirizzo di posta elettronica"),
    ("PDZ_EDITOR_REPO", "https://github.com/ente/piani", "serve un repository GitHub nella forma proprietario/nome"),
    ("PDZ_EDITOR_BASE_URL", "http://accesso.comune.it", "serve un indirizzo che inizia con https://"),
])
def test_a_malformed_setting_is_refused_in_italian(monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    settings, problems = load_settings(ROOT / "mkdocs.yml")
    assert settings is None and len(problems) == 1 and expected in problems[0], problems


@pytest.mark.parametrize("url, reason", [
    (DEFAULT_URL, "è un indirizzo di esempio"),
    ("https://example.com/", "è un indirizzo di esempio"),
    ("https://www.example.net/piani/", "è un indirizzo di esempio"),
    ("https://piani.test/", "è un indirizzo di esempio"),
    ("http://localhost:8000/", "è un indirizzo di esempio"),
    ("http://127.0.0.1:8000/", "è l'indirizzo di un computer locale o di una rete privata"),
    ("https://192.168.1.20/", "è l'indirizzo di un computer locale o di una rete privata"),
    ("https://[::1]/", "è l'indirizzo di un computer locale o di una rete privata"),
    ("http://pianidizona.ambito.it/", "non inizia con https://"),
    ("https://pianidizona.ambito.it/", None),
    ("https://ente.github.io/pdz-site/", None),
    ("https://myexample.org/", None),           # a domain of its own, not under example.org
])
def test_example_and_local_addresses(url, reason):
    assert example_address(url) == reason


ADDRESS_HINT = ("scrivi l'indirizzo https:// a cui il sito è pubblicato, per esempio "
                "https://<proprietario>.github.io/<repository>/ su GitHub Pages")
REFUSAL = [
    HEAD,
    f"mkdocs.yml: site_url (PDZ_SITE_URL): l'indirizzo del sito «{DEFAULT_URL}» è un indirizzo di esempio ({ADDRESS_HINT})",
    "mkdocs.yml: ente.codice_ipa (PDZ_ENTE_IPA): manca il codice IPA dell'ente titolare "
    "(lo trovi cercando l'ente su www.indicepa.gov.it, alla voce «Codice IPA»)",
    "mkdocs.yml: email_contatto (PDZ_ENTE_EMAIL): manca l'indirizzo di posta elettronica dell'ente "
    "(scrivi l'indirizzo a cui il pubblico invia segnalazioni e richieste: compare nelle pagine "
    "Segnalazioni, Privacy e Accessibilità e nel catalogo dei dati aperti)",
]


def test_a_build_for_publication_refuses_placeholders_with_the_list(tmp_path):
    """The body is named but its IPA code and e-mail are missing and the address is the example:
    `make check` and the build refuse with the same list, and nothing is built."""
    project = make_project(tmp_path, FIXTURES / "valid")
    env = clean_env(PDZ_PUBBLICAZIONE="true", PDZ_ENTE_NOME="Comune di Prova – Ufficio di Piano")
    check = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], env=env,
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 1
    assert check.stderr.splitlines()[:len(REFUSAL)] == REFUSAL, check.stderr
    assert re.search(r"^3 errori in 1 file ", check.stderr, re.M), check.stderr
    site = tmp_path / "site"
    build = subprocess.run([sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                           cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert build.returncode == 1
    lines = (build.stdout + build.stderr).splitlines()   # MkDocs prints why it stopped on stdout
    assert HEAD in lines, build.stdout + build.stderr
    assert lines[lines.index(HEAD):lines.index(HEAD) + len(REFUSAL)] == REFUSAL
    assert not (site / "index.html").exists()
    # the same tree, configured as the workflow passes it (the variables not set are empty): accepted
    configured = clean_env(**{**{variable: "" for variable in DEPLOYMENT.values()}, **OWNER_ENV})
    assert subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], env=configured,
                          capture_output=True, text=True, timeout=600).returncode == 0


def test_every_problem_of_a_bare_publication_is_listed(tmp_path):
    """The workflow of a repository with no variable set: GitHub Actions gives every ``vars.*`` as
    an empty string, and the repository's own address as PDZ_REPO_URL."""
    project = make_project(tmp_path, FIXTURES / "valid")
    unset = {variable: "" for variable in DEPLOYMENT.values()}
    env = clean_env(**dict(unset, PDZ_PUBBLICAZIONE="true", PDZ_REPO_URL="https://github.com/ente/pdz-site"))
    check = subprocess.run([sys.executable, "-P", "-m", "pdz.commands.check", "--root", str(project)], env=env,
                           capture_output=True, text=True, timeout=600)
    fields = re.findall(r"^mkdocs\.yml: (\S+ \(PDZ_\w+\)):", check.stderr, re.M)
    assert fields == ["site_url (PDZ_SITE_URL)", "ente.nome (PDZ_ENTE_NOME)", "ente.codice_ipa (PDZ_ENTE_IPA)",
                      "email_contatto (PDZ_ENTE_EMAIL)"], check.stderr
    assert check.returncode == 1 and "manca l'indirizzo pubblico del sito" in check.stderr


# --- the configured build (tests/conftest.py: a build for publication with OWNER_ENV) ----------

def text_files(site: Path):
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".jsonld", ".ttl", ".csv", ".txt"}:
            yield path, path.read_text(encoding="utf-8")


def test_every_address_of_a_configured_build_is_the_configured_one(configured_site):
    """Permanent addresses, citations, embed codes, canonical links, feeds, sitemap and open data."""
    stale = [str(path.relative_to(configured_site)) for path, text in text_files(configured_site)
             if "pdz-site.example.org" in text and path.parent.name not in ("guida", "gestione")]   # the guides quote it
    assert stale == []
    objective = "corsico/2021-2023/obiettivi/04-tutela-minori/"
    page = (configured_site / objective / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{DEPLOYED_URL}{objective}">' in page
    assert f'<a href="{DEPLOYED_URL}{objective}">{DEPLOYED_URL}{objective}</a>' in page   # permanent address
    assert f"{DEPLOYED_URL}{objective} (CC BY 4.0)." in page                                  # citation
    assert f"&lt;iframe src=&#34;{DEPLOYED_URL}{objective}scheda/&#34;" in page.replace("&quot;", "&#34;")
    card = (configured_site / objective / "scheda" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{DEPLOYED_URL}{objective}">' in card
    feed = (configured_site / "corsico" / "novita.xml").read_text(encoding="utf-8")
    assert f'<link href="{DEPLOYED_URL}corsico/"' in feed or f"{DEPLOYED_URL}corsico/" in feed
    assert f"<loc>{DEPLOYED_URL}</loc>" in (configured_site / "sitemap.xml").read_text(encoding="utf-8")


def test_legal_pages_name_the_configured_body_and_e_mail(configured_site):
    email = OWNER_ENV["PDZ_ENTE_EMAIL"]
    for url in ("note-legali", "privacy", "accessibilita", "segnalazioni"):
        page = (configured_site / url / "index.html").read_text(encoding="utf-8")
        assert "da configurare" not in page, url
        if url != "note-legali":
            assert f'href="mailto:{email}"' in page, url
        if url != "segnalazioni":
            assert 'Ufficio di Piano &#34;Prova&#34; &lt;b&gt;&amp; Co.&lt;/b&gt;' in page, url


def header(page: str) -> str:
    """The header as a reader sees it on opening the page: Material's bar shows the page title
    (data-md-component="header-topic") only once the page's own title has scrolled away."""
    html = page[page.index('<a href="#contenuto"'):page.index("</header>")]
    return re.sub(r'<div class="md-header__topic" data-md-component="header-topic">.*?</div>', "", html, flags=re.S)


def visible_text(html: str) -> str:
    html = re.sub(r'<[^>]*aria-label="[^"]*"[^>]*>', " ", html)   # labels of icons are not shown
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("build", ["real_site", "configured_site"])
def test_the_header_shows_the_site_name_once_and_the_parent_body_or_nothing(request, build):
    site = request.getfixturevalue(build)
    for url in ("", "corsico/", "note-legali/"):
        text = visible_text(header((site / url / "index.html").read_text(encoding="utf-8")))
        assert text.count("Piani di Zona della Lombardia") == 1, (build, url, text)
        slim = "Regione di Prova" in text
        assert slim == (build == "configured_site"), (build, url)
