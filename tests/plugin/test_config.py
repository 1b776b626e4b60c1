"""The plugin's options are typed and validated by MkDocs before any work starts, in Italian."""
from __future__ import annotations

import pytest

from pdz.plugin.plugin import load_settings
from pdz_dev.project import ROOT


def with_options(tmp_path, old: str, new: str):
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    for part in ("docs", "overrides"):
        (tmp_path / part).symlink_to(ROOT / part)
    return config


def test_the_real_configuration_gives_the_settings():
    settings, problems = load_settings(ROOT / "mkdocs.yml")
    assert problems == []
    assert settings.site_url and settings.search is True and settings.preview is None
    assert [link["url"] for link in settings.footer_links] == ["accessibilita/", "segnalazioni/", "privacy/", "note-legali/"]


@pytest.mark.parametrize("old,new,message", [
    ("      percorso_modifica: edit/main/", "      percorso_modifca: edit/main/", "opzione sconosciuta"),
    ("      percorso_modifica: edit/main/", "      percorso_modifica: 12", "serve un testo tra virgolette"),
    ("url: !ENV [PDZ_MATOMO_URL, \"\"]", "url: \"https://statistiche.example.org/\"", "servono sia `url`"),
    ("sito: !ENV [PDZ_ENTE_SITO, \"\"]", "sito: \"ente.example.org\"", "serve un indirizzo che inizia con https://"),
    ("      ricerca: !ENV [PDZ_SEARCH, true]", "      ricerca: forse", "serve true oppure false"),
    ("      csp: {}", "      csp: {frame-src: [\"*\"]}", "non ammessa"),
], ids=["unknown option", "wrong type", "statistics half set", "not https", "not a flag", "policy"])
def test_bad_options_are_refused_in_italian(tmp_path, old, new, message):
    settings, problems = load_settings(with_options(tmp_path, old, new))
    assert settings is None
    assert any(message in p for p in problems), problems


def test_environment_variables_set_the_options(monkeypatch):
    monkeypatch.setenv("PDZ_AMBITO", "corsico")
    monkeypatch.setenv("PDZ_SEARCH", "false")
    monkeypatch.setenv("PDZ_ENTE_NOME", "Ufficio di Piano di Prova")
    settings, problems = load_settings(ROOT / "mkdocs.yml")
    assert problems == []
    assert (settings.preview, settings.search, settings.owner.nome) == ("corsico", False, "Ufficio di Piano di Prova")


@pytest.mark.parametrize("name,value,message", [
    ("PDZ_EDITOR_BASE_URL", "https://servizi.ente.example/pdz-accesso", "il percorso va in `auth_endpoint`"),
    ("PDZ_EDITOR_BASE_URL", "http://servizi.ente.example", "http:// solo per 127.0.0.1"),
    ("PDZ_EDITOR_API_ROOT", "api.github.com", "serve un indirizzo che inizia con https://"),
], ids=["sign-in service with a path", "sign-in service without https", "API root without scheme"])
def test_the_editor_backend_settings_are_checked(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    settings, problems = load_settings(ROOT / "mkdocs.yml")
    assert settings is None
    assert any(message in p for p in problems), problems


def test_the_editor_backend_comes_from_the_environment(monkeypatch):
    for name, value in {"PDZ_EDITOR_REPO": "ente/pdz-site", "PDZ_EDITOR_BASE_URL": "https://servizi.ente.example/",
                        "PDZ_EDITOR_AUTH_ENDPOINT": "pdz-accesso/auth", "PDZ_EDITOR_API_ROOT": "http://127.0.0.1:9000"}.items():
        monkeypatch.setenv(name, value)
    settings, problems = load_settings(ROOT / "mkdocs.yml")
    assert problems == []
    editor = settings.editor
    assert (editor.repo, editor.base_url, editor.auth_endpoint, editor.api_root) == (
        "ente/pdz-site", "https://servizi.ente.example", "pdz-accesso/auth", "http://127.0.0.1:9000")
