"""``mkdocs serve`` renders again only the generated pages whose inputs changed (pdz.render.reuse,
issue #27 point 3): after each edit of a sequence, the pages assembled with serve's memo are, byte
for byte, those of a cold assembly of the same tree, while the units no edit concerns are given
again. The edits reach pages through every path a page reads: the record itself, a record it
names (a partner, an area, an evaluation), an index (the records that refer to a partner), the
glossary (the text converter), the source texts, the history (an edit not committed, a commit),
and records added and removed. The digest of each page's body and the date it is given, which serve
keeps for a body given again, are those of the cold assembly too."""
from __future__ import annotations

from pdz.plugin.plugin import load_settings
from pdz.render import page_units
from pdz.site.assembly import Memo, assemble
from pdz_dev.gitrepo import edit, git
from pdz_dev.project import FIXTURES, make_project, write

PLAN = "content/ambiti/prova/2021-2023/"
OBJECTIVE = PLAN + "obiettivi/01-casa.md"


def pages(site) -> list[tuple]:
    return [(p.url, p.title, p.body, p.source, p.sources, p.is_record, p.search_exclude) for p in site.pages]


def test_pages_given_again_are_those_of_a_cold_assembly(tmp_path):
    project = make_project(tmp_path, FIXTURES / "valid")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "content")
    git(project, "commit", "-qm", "Contenuti iniziali", date="2024-01-10T10:00:00+00:00")
    settings, problems = load_settings(project / "mkdocs.yml")
    assert settings is not None, problems
    memo = Memo()

    def rebuild(step: str) -> int:
        """Assemble as serve does and as a cold build does; the units serve rendered."""
        served, cold = assemble(settings, memo=memo, later=True), assemble(settings)
        assert served.errors == [] and pages(served) == pages(cold), step
        # the bodies' digests and the pages' dates, kept by body in serve's memo
        assert served.digests == cold.digests and served.dates == cold.dates, step
        return memo.pages.rendered

    units = len(page_units(assemble(settings).catalog))
    assert rebuild("first build") == units
    assert rebuild("nothing changed") == 0

    edit(project, OBJECTIVE, 'titolo: "Agenzia per la casa"', 'titolo: "Agenzia per l\'abitare"')
    assert 0 < rebuild("an objective's title, shown on its plan, area, partner and evaluation") < units
    for rel, old, new in [
            ("content/partner/asst-prova.yaml", 'nome: "ASST di Prova"', 'nome: "ASST della Prova"'),
            ("content/aree/B.yaml", 'argomento: "Casa e abitare"', 'argomento: "Abitare"'),
            (PLAN + "valutazioni/01-portale.md", 'titolo: "Portale unico"', 'titolo: "Portale dei servizi"'),
            ("content/fonti/doc-prova.yaml", 'titolo: "Documento di prova"', 'titolo: "Il documento"')]:
        edit(project, rel, old, new)
        assert 0 < rebuild(rel) < units

    # reached only through the index of the records that refer to a partner: its page lists them
    edit(project, OBJECTIVE, "partner: [asst-prova]", "partner: []")
    assert 0 < rebuild("a reference removed") < units

    edit(project, "content/glossario/asst.yaml", "Azienda Socio Sanitaria", "Azienda Sociosanitaria")
    assert rebuild("the glossary: every text converted again") == units

    added = write(project, PLAN[len("content/"):] + "obiettivi/02-nuovo.md",
                  (project / OBJECTIVE).read_text(encoding="utf-8").replace('numero: "1"', 'numero: "2"'))
    rebuild("a record added")
    added.unlink()
    rebuild("a record removed")

    git(project, "add", "content")   # the history: a commit, then an edit of what it changed
    git(project, "commit", "-qm", "Correzioni", date="2024-02-10T10:00:00+00:00")
    rebuild("a commit")
    edit(project, OBJECTIVE, "Agenzia per l'abitare", "Agenzia della casa")
    assert 0 < rebuild("an edit of a record with a history") < units
