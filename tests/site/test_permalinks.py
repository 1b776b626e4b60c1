"""Permalinks never break: every published URL still resolves, or redirects to its successor."""
from __future__ import annotations

from pdz_dev.project import FIXTURES, ROOT, build, make_project
from pdz.site.permalinks import missing_permalinks, read_list, site_urls
from pdz.content.redirects import load_redirects


def test_every_published_url_resolves(real_site):
    listed = read_list(ROOT)
    assert len(listed) >= 400
    redirects, problems = load_redirects(ROOT)
    assert problems == []
    assert missing_permalinks(listed, real_site, redirects) == []


def test_every_record_page_is_in_the_published_list(real_site):
    listed = set(read_list(ROOT))
    unlisted = [url for url in site_urls(real_site) if url not in listed]
    assert unlisted == [], "nuove pagine: esegui 'make permalinks' e committa permalinks.txt"


def test_a_vanished_url_is_reported_unless_redirected(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    (project / "redirects.yaml").write_text('"prova/2021-2023/obiettivi/00-casa-vecchia/": "prova/2021-2023/obiettivi/01-casa/"\n',
                                            encoding="utf-8")
    site = tmp_path / "site"
    result = build(project, site)
    assert result.returncode == 0, result.stderr[-2000:]
    page = (site / "prova/2021-2023/obiettivi/00-casa-vecchia/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../01-casa/"' in page
    assert 'href="../01-casa/"' in page and 'lang="it"' in page
    redirects, _ = load_redirects(project)
    listed = ["prova/2021-2023/obiettivi/01-casa/", "prova/2021-2023/obiettivi/00-casa-vecchia/", "prova/2021-2023/obiettivi/99-sparita/"]
    assert missing_permalinks(listed, site, redirects) == ["prova/2021-2023/obiettivi/99-sparita/"]
