"""The web editor (Decap CMS at /admin/) against the local backend (decap-server), in Debian's
chromium, offline: create an objective through the form, edit one field of another (and one
measurement deep inside it: the file changes by that line only, and by the reason of the change,
which the form asks afresh at every save), enter a measured value as the plan writes it ("circa
300", "tra 10 e 15"), read the form's words and the preview, and see bad input (a missing reason
included) stopped before saving with an Italian message.

The screenshots of the guide's chapter "Modificare dal browser" come from this test: they are
written to tmp, or to docs/assets/guida/ with PDZ_GUIDE_SCREENSHOTS=1 (`make screenshots`), so a
plain `make test` never changes tracked files.
"""
from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from pdz_dev.browser import CHROMIUM, Visit, serve
from pdz_dev.project import FIXTURES, ROOT, build, make_project
from pdz.commands.check import main as check_main
from pdz.commands.to_markdown import main as to_markdown
from pdz.content.loader import split_front_matter

GUIDE_SHOTS = ROOT / "docs" / "assets" / "guida"
EDITED = "content/ambiti/prova/2021-2023/obiettivi/02-sportello.md"
EDITED_YAML = """# Scheda di prova per la modifica dal browser: questo commento deve restare.
titolo: "Sportello casa"
numero: "2"
area: B
target: Famiglie in affitto   # destinatari come scritti nella scheda
categorie_target: [famiglie]
descrizione: |
  Uno sportello per chi cerca casa.

  Aperto due giorni a settimana.
risorse_economiche:
  testo: "€ 10.000,00"
  componenti:
    - importo: 10000.00
      tipo: risorse_preventivate
trasversale: {risposta: "no"}
bisogni:
  testo: "Affitti alti."
  indicatori:
    - tipo: input
      descrizione: "Famiglie in lista d'attesa"
      unita: "famiglie"
      misurazioni:
        - periodo: "2021"
          valore: 40   # dal monitoraggio del 2022
          fonte: {documento: doc-prova, righe: [10, 12]}
        - periodo: "2022"
          valore: 45
        - periodo: "2023"
          valore: 50
fonti:
  - documento: doc-prova
    righe: [10, 12]
"""
ENTRY = "admin/#/collections/prova-2021-2023-obiettivi/entries/02-sportello"
INDICATOR = "Famiglie in lista d'attesa · Input"   # the indicator's summary: description and type


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def editor(tmp_path_factory, browser):
    """A project with the fixture content, its site built for the local backend and served,
    and decap-server writing into its content/ (127.0.0.1 only)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    if not (ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").exists():
        pytest.fail("Decap CMS is not installed: run npm ci (make test does it)")
    tmp = tmp_path_factory.mktemp("editor")
    project = make_project(tmp, FIXTURES / "valid")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    (project / EDITED).with_suffix(".yaml").write_text(EDITED_YAML, encoding="utf-8")
    assert to_markdown(["--root", str(project)]) == 0   # the scripted migration, as on main
    port = free_port()
    proxy = f"http://127.0.0.1:{port}/api/v1"
    site = tmp / "site"
    result = build(project, site, {"PDZ_EDITOR_PROXY": proxy, "PDZ_SEARCH": "false"})   # /admin/ never searches
    assert result.returncode == 0, result.stderr[-3000:]
    server, base = serve(site)
    env = dict(os.environ, PORT=str(port), BIND_HOST="127.0.0.1", MODE="fs", GIT_REPO_DIRECTORY=str(project),
               ORIGIN=base.rstrip("/"), LOG_LEVEL="error")
    decap = subprocess.Popen(["node", str(ROOT / "node_modules" / "decap-server" / "dist" / "index.js")],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:   # wait for the server's port, not a fixed time
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline and decap.poll() is None, "decap-server did not start"
            time.sleep(0.1)
    # the session's Chromium (conftest): Playwright's sync API cannot be started twice at once
    shots = GUIDE_SHOTS if os.environ.get("PDZ_GUIDE_SCREENSHOTS") == "1" else tmp / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    yield {"project": project, "base": base, "browser": browser, "shots": shots, "tmp": tmp}
    decap.terminate()
    decap.wait(timeout=30)
    server.shutdown()
    server.server_close()


# What a visitor of /admin/ keeps, read in the page: localStorage, the keys of Decap's local store
# (localforage, in IndexedDB: a draft's backup is "backup.<collection>.<slug>"), the address, how far
# the page is scrolled and the notifications on screen.
STORED = """async () => {
  const db = await new Promise((resolve, reject) => {
    const opened = indexedDB.open('localforage');
    opened.onsuccess = () => resolve(opened.result);
    opened.onerror = () => reject(opened.error);
  });
  const keys = !db.objectStoreNames.contains('keyvaluepairs') ? [] : await new Promise((resolve, reject) => {
    const request = db.transaction('keyvaluepairs').objectStore('keyvaluepairs').getAllKeys();
    request.onsuccess = () => resolve(request.result.map(String).sort());
    request.onerror = () => reject(request.error);
  });
  db.close();
  return {localStorage: Object.fromEntries(Object.entries(localStorage).sort()), localforage: keys,
          url: location.href, scrolled: window.scrollY, toasts: document.querySelectorAll('.Toastify__toast').length};
}"""
# STORED once it equals ``expected``, or after 5 s (page.wait_for_function cannot wait on a promise).
STORED_ONCE_AS = """async (expected) => {
  const deadline = Date.now() + 5000;
  while (true) {
    const stored = await (%s)();
    if (JSON.stringify(stored) === JSON.stringify(expected) || Date.now() > deadline) return stored;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}""" % STORED
COLLECTIONS = "Ambito di Prova 2021-2023 · Obiettivi"


class Admin:
    """A visitor of /admin/, signed in once and then shared by the tests of this file: loading
    Decap CMS (5 MB of script) in a new browser context for each test cost 3-4 s of CPU a test.
    ``fresh()`` brings it back to the state of a visitor who has just signed in, and proves it."""

    def __init__(self, editor):
        self.visit = Visit(editor["browser"], editor["base"], {"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.leaving = False
        page = self.page = self.visit.page
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._answer)
        page.goto(editor["base"] + "admin/", wait_until="commit")
        try:
            page.get_by_role("button", name="Accedi").click(timeout=60_000)   # 5 MB of script to start
        except Exception as exc:
            raise AssertionError(f"{self.errors} {page.content()[:3000]}") from exc
        page.get_by_text(COLLECTIONS).first.wait_for()
        page.wait_for_function("() => document.querySelectorAll('.Toastify__toast').length === 0")
        self.signed_in = page.evaluate(STORED)

    def _answer(self, dialog):
        """Leaving an entry with unsaved changes asks for confirmation: yes while ``fresh()`` leaves
        it. Any other question is recorded (a test asserts there was none) and answered no, as
        Playwright answers when nobody listens: a draft's backup left behind would ask to be restored."""
        if self.leaving:
            dialog.accept()
        else:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

    def fresh(self):
        """Back to the collections, as a visitor who has just signed in: the entry a test left open
        is closed (Decap deletes its draft's backup then), the notifications dismissed, the page
        scrolled to the top; then the stored values and the address must be those after signing in."""
        page = self.page
        self.leaving = True
        try:
            page.goto(self.signed_in["url"])   # same document: only the route after "#" changes
            # the question comes after the address changed: the editor is gone once it is answered
            page.get_by_role("button", name=re.compile("^Pubblica")).first.wait_for(state="detached")
        finally:
            self.leaving = False
        page.get_by_text(COLLECTIONS).first.wait_for()
        # notifications close on click (clicked in the page: one on its way out moves under the mouse)
        page.evaluate("() => document.querySelectorAll('.Toastify__toast').forEach((toast) => toast.click())")
        page.evaluate("() => window.scrollTo(0, 0)")
        page.mouse.move(0, 0)
        # Decap deletes the backup after the editor closed: wait for that, not a fixed time
        assert page.evaluate(STORED_ONCE_AS, self.signed_in) == self.signed_in
        assert self.errors == [] and self.dialogs == [], (self.errors, self.dialogs)
        self.foreign_seen = len(self.visit.foreign)
        return page

    def close(self):
        self.visit.close()


@pytest.fixture(scope="module")
def admins(editor):
    """The visitors of /admin/ of this file: one, and a new one after each failed test, so that a
    failure does not spread to the next tests."""
    opened: list[tuple[Admin, int]] = []   # a visitor, and the count of failed tests when it signed in
    yield opened
    if opened:
        opened[-1][0].close()


@pytest.fixture
def cms(editor, admins, request):
    """The signed-in visitor of /admin/ (the local backend needs no account), as a new visitor is
    just after signing in."""
    failed = request.session.testsfailed
    if not admins or admins[-1][1] != failed:
        if admins:
            admins[-1][0].close()
        admins.append((Admin(editor), failed))
    admin = admins[-1][0]
    page = admin.fresh()
    page.pdz_errors = admin.errors
    yield page
    foreign = admin.visit.foreign[admin.foreign_seen:]
    assert foreign == [], f"requests to other hosts: {foreign}"
    assert admin.errors == [], admin.errors
    assert admin.dialogs == [], f"questions the editor should not have asked: {admin.dialogs}"


# No CSS transition running on the page (animations, such as a notification's countdown, go on).
STILL = "() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running')"


def shot(editor, page, name: str, at=None, preview: str | None = None):
    """A screenshot for the guide: ``at`` (a control) in the middle of the form, the preview
    scrolled to the section ``preview``."""
    if at is not None:
        at.evaluate("element => element.scrollIntoView({block: 'center'})")
    if preview:
        page.frame_locator("iframe").first.locator(f"#{preview}").evaluate("element => element.scrollIntoView()")
    page.wait_for_function(STILL)   # an invalid field turns red in a transition: shown once it has
    page.screenshot(path=str(editor["shots"] / f"{name}.png"))


def field(page, label: str):
    """The visible form control of a field, by its Italian label (in ``page`` or a group)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(opzionale\))?$", re.I)).filter(visible=True).first


def field_all(page, label: str):
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(opzionale\))?$", re.I)).filter(visible=True)


def open_group(page, label: str, widget: str = "object"):
    """The group of fields (an object or list widget) with this title, opened if it is closed."""
    label_re = re.compile(rf"^{re.escape(label)}( \(opzionale\))?$", re.I)
    top = getattr(page, "page", page)   # inner locators of filter(has=...) start from the page
    group = page.locator(f"div[aria-label='{widget} field']").filter(has=top.locator("label", has_text=label_re)).first
    group.wait_for()
    if not group.locator("label").nth(1).is_visible():   # an empty optional group starts closed
        group.get_by_test_id("expand-button").first.click()
    return group


def measurement(page, period: str):
    """The fields of one measurement of an open indicator, found by its period."""
    return page.locator(f"xpath=//input[@value='{period}']/ancestor::div[.//div[contains(@class,'pdz-valore')]][1]")


def choose(page, label: str, typed: str, option: str, within=None):
    """A relation or select widget: type to search, pick the option by name."""
    control = field(within or page, label)
    control.click()
    control.press_sequentially(typed)
    page.get_by_role("option", name=option).first.click()


REASON = "Motivo della modifica"


def give_reason(page, reason: str):
    """The reason of the change, which the form asks first and empty at every opening."""
    asked = field(page, REASON)
    assert asked.input_value() == ""
    asked.fill(reason)
    return asked


def publish(page, reason: str | None):
    """Save, with the reason of the change (``None``: left empty; "": typed already)."""
    if reason:
        give_reason(page, reason)
    elif reason is None:
        assert field(page, REASON).input_value() == ""
    page.get_by_role("button", name="Pubblica").first.click()
    page.get_by_text("Pubblica ora").first.click()


def front_matter(path: Path) -> tuple[dict, str]:
    front, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return yaml.safe_load(front), body


def check(project: Path) -> tuple[int, str]:
    """``make check`` on the project: its exit status and what it printed. In this process (a
    Python started for it cost 1 s of CPU, the check itself a quarter of that)."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        status = check_main(["--root", str(project)])
    return status, printed.getvalue()


def test_create_an_objective_through_the_form(editor, cms):
    page = cms
    shot(editor, page, "01-raccolte")
    page.get_by_text("Ambito di Prova 2021-2023 · Obiettivi").first.click()
    page.get_by_role("link", name=re.compile("Obiettivo$")).first.click()
    field(page, "Titolo").fill("Centro per le famiglie")
    choose(page, "Area di policy", "abitat", "Politiche abitative")
    field(page, "Descrizione").fill("Un centro che accoglie le famiglie.\n\n- aperto tutto l'anno\n- gratuito")
    money = open_group(page, "Risorse economiche preventivate")
    field(money, "Testo della scheda").fill("€ 5.000,00")
    page.get_by_role("button", name="Aggiungi voce di spesa").click()
    field(page, "Importo").fill("5000")
    field(page, "Descrizione della voce").fill("affitto dei locali")
    choose(page, "Tipo di risorsa", "preventiv", "Risorse economiche preventivate (senza altra indicazione)")
    answer = open_group(page, "Integrazione con altre aree di policy")
    choose(page, "Risposta", "No", "No", within=answer)
    field(answer, "Nota alla risposta").fill("solo area famiglie")
    page.get_by_role("button", name="Aggiungi fonte").click()
    choose(page, "Documento", "prova", "Documento di prova")
    for line in ("10", "12"):   # first and last line in the source document
        page.get_by_role("button", name="Aggiungi riga").click()
        field_all(page, "Riga").last.fill(line)
    # the preview names the area and keeps the description's list a list, as the site does
    preview = page.frame_locator("iframe").first
    preview.get_by_text("B. Politiche abitative").wait_for()
    assert preview.locator("li", has_text="gratuito").count() == 1
    shot(editor, page, "02-nuovo-obiettivo")
    publish(page, "nuovo centro approvato dall'Assemblea dei Sindaci")
    page.get_by_text("Voce salvata").first.wait_for()
    shot(editor, page, "03-salvato")

    created = editor["project"] / "content/ambiti/prova/2021-2023/obiettivi/centro-per-le-famiglie.md"
    assert created.exists(), sorted(p.name for p in created.parent.iterdir())
    data, body = front_matter(created)
    assert data["titolo"] == "Centro per le famiglie"
    assert data["motivo_modifica"] == "nuovo centro approvato dall'Assemblea dei Sindaci"
    assert next(iter(data)) == "motivo_modifica"   # first, as the form asks it
    assert data["area"] == "B"
    assert data["risorse_economiche"] == {"testo": "€ 5.000,00",
                                          "componenti": [{"importo": 5000, "voce": "affitto dei locali",
                                                          "tipo": "risorse_preventivate"}]}
    assert data["trasversale"] == {"risposta": "no", "nota": "solo area famiglie"}
    assert data["fonti"] == [{"documento": "doc-prova", "righe": [10, 12]}]
    assert "descrizione" not in data
    assert body.strip() == "Un centro che accoglie le famiglie.\n\n- aperto tutto l'anno\n- gratuito"
    status, printed = check(editor["project"])
    assert status == 0, printed
    site = editor["tmp"] / "site-after-create"
    built = build(editor["project"], site)
    assert built.returncode == 0, built.stderr[-3000:]
    html = (site / "prova/2021-2023/obiettivi/centro-per-le-famiglie/index.html").read_text(encoding="utf-8")
    assert "Centro per le famiglie" in html and "<li>gratuito</li>" in html
    assert "Assemblea dei Sindaci" not in html   # the reason is the change history's (from git), not the page's


def test_edit_one_field_changes_only_that_line(editor, cms):
    path = editor["project"] / EDITED
    before = path.read_text(encoding="utf-8")
    page = cms
    page.goto(editor["base"] + ENTRY)
    target = field(page, "Destinatari (target)")
    target.wait_for()
    target.fill("Famiglie in affitto e giovani coppie")
    shot(editor, page, "04-modifica", at=target)
    asked = give_reason(page, "destinatari estesi alle giovani coppie")
    shot(editor, page, "08-motivo", at=asked)
    publish(page, "")
    page.get_by_text("Voce salvata").first.wait_for()
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        ([], ["motivo_modifica: destinatari estesi alle giovani coppie"]),   # the reason, first
        (["target: Famiglie in affitto   # destinatari come scritti nella scheda"],
         ["target: Famiglie in affitto e giovani coppie"])]
    assert after.startswith("---\n# Scheda di prova per la modifica dal browser: questo commento deve restare.\n")


def changed_lines(before: str, after: str) -> list[tuple[list[str], list[str]]]:
    a, b = before.split("\n"), after.split("\n")
    return [(a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
            if tag != "equal"]


def open_indicator(page):
    page.goto(page.url.split("#")[0] + "#" + ENTRY.split("#")[1])
    button = page.get_by_role("button", name=INDICATOR)   # the collapsed indicator opens with one click
    button.wait_for()
    button.click()
    return measurement(page, "2022")


def test_a_measurement_is_one_click_away_and_its_save_changes_one_line(editor, cms):
    path = editor["project"] / EDITED
    before = path.read_text(encoding="utf-8")
    page = cms
    page.goto(editor["base"] + ENTRY)
    page.get_by_text("1 indicatore").wait_for()   # counted in Italian, with the singular
    measured = open_indicator(page)
    number = measured.get_by_label("Numero", exact=True)
    assert number.input_value() == "45"
    number.fill("46")
    page.frame_locator("iframe").first.get_by_text("2022: 46 famiglie").wait_for()   # the preview follows
    shot(editor, page, "06-misurazione", at=measured.get_by_label("Qualificatore"), preview="bisogni")
    publish(page, "dato 2022 dal monitoraggio")   # the previous save's reason is not offered again
    page.get_by_text("Voce salvata").first.wait_for()
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        (["motivo_modifica: destinatari estesi alle giovani coppie"], ["motivo_modifica: dato 2022 dal monitoraggio"]),
        (["          valore: 45"], ["          valore: 46"])]


def test_a_value_as_the_plan_writes_it(editor, cms):
    """'circa 300', an average and 'tra 10 e 15' entered through the form: the file says so,
    make check accepts it and the site shows it as the source does."""
    path = editor["project"] / EDITED
    before = path.read_text(encoding="utf-8")
    page = cms
    open_indicator(page)
    first = measurement(page, "2021")
    first.get_by_label("Qualificatore").select_option(label="circa")
    first.get_by_label("Numero", exact=True).fill("300")
    second = measurement(page, "2022")
    second.get_by_role("button", name=re.compile("^Altri dati di questo numero")).click()
    second.get_by_label("Media").check()
    third = measurement(page, "2023")
    third.get_by_label("Forma").select_option(label="Un intervallo")
    third.get_by_label("Inizio dell'intervallo").fill("10")
    third.get_by_label("Fine dell'intervallo").fill("15")
    preview = page.frame_locator("iframe").first
    preview.get_by_text("2021: circa 300 famiglie").wait_for()   # the preview writes them as the site does
    preview.get_by_text("2023: tra 10 e 15 famiglie").wait_for()
    shot(editor, page, "07-valori", at=third.get_by_label("Forma"), preview="bisogni")
    publish(page, "valori scritti come nel piano")
    page.get_by_text("Voce salvata").first.wait_for()
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        (["motivo_modifica: dato 2022 dal monitoraggio"], ["motivo_modifica: valori scritti come nel piano"]),
        (["          valore: 40   # dal monitoraggio del 2022"],
         ["          valore:", "            valore: 300", "            qualificatore: circa"]),
        (["          valore: 46"], ["          valore:", "            valore: 46", "            media: true"]),
        (["          valore: 50"], ["          valore:", "            minimo: 10", "            massimo: 15"])]
    data, _ = front_matter(path)
    values = [m["valore"] for m in data["bisogni"]["indicatori"][0]["misurazioni"]]
    assert values == [{"valore": 300, "qualificatore": "circa"}, {"valore": 46, "media": True}, {"minimo": 10, "massimo": 15}]
    status, printed = check(editor["project"])
    assert status == 0, printed
    site = editor["tmp"] / "site-after-values"
    built = build(editor["project"], site)
    assert built.returncode == 0, built.stderr[-3000:]
    html = (site / "prova/2021-2023/obiettivi/02-sportello/index.html").read_text(encoding="utf-8")
    assert "circa 300 famiglie" in html and "46 famiglie in media" in html and "tra 10 e 15 famiglie" in html


def test_a_table_is_edited_cell_by_cell(editor, cms):
    """A table's rows, which the schema allows as lists of cells, have a grid in the form too."""
    path = editor["project"] / "content/ambiti/prova/2021-2023/dati/popolazione.yaml"
    before = path.read_text(encoding="utf-8")
    page = cms
    page.goto(editor["base"] + "admin/#/collections/prova-2021-2023-dati/entries/popolazione")
    page.get_by_label("Riga 2, Abitanti").fill("2500")
    page.get_by_role("button", name="Aggiungi una riga").click()
    page.get_by_label("Riga 3, Comune").fill("Terzo")
    page.get_by_label("Riga 3, Spesa").fill("10,5")   # a decimal comma, as an office writes it
    publish(page, "dati del censimento")
    page.get_by_text("Voce salvata").first.wait_for()
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [([], ["motivo_modifica: dati del censimento"]),
                                            (['  - ["Secondo", null, 0]'],
                                             ['  - ["Secondo", 2500, 0]', '  - ["Terzo", null, 10.5]'])]
    status, printed = check(editor["project"])
    assert status == 0, printed


@pytest.mark.parametrize("case", ["required", "negative", "percentage", "reason"])
def test_bad_input_is_stopped_before_saving_in_italian(editor, cms, case):
    page = cms
    content = editor["project"] / "content"
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    if case == "percentage":
        page.goto(editor["base"] + "admin/#/collections/prova-2021-2023-valutazioni/entries/01-portale")
        field(page, "Titolo").wait_for()
        progress = open_group(page, "Grado di raggiungimento")
        field(progress, "Percentuale").fill("125")
        expected = "deve essere tra 0 e 100"
    else:
        page.goto(editor["base"] + ENTRY)
        field(page, "Titolo").wait_for()
        if case == "required":
            field(page, "Titolo").fill("")
            expected = "è richiesto"
        elif case == "reason":   # a change, and no reason for it
            field(page, "Destinatari (target)").fill("Famiglie in affitto e studenti")
            expected = "è richiesto"
        else:
            money = open_group(page, "Risorse economiche preventivate")
            field(money, "Importo").fill("-10")
            expected = "deve essere almeno 0"
    publish(page, None if case == "reason" else "prova di un errore")
    page.get_by_text(expected).first.wait_for()
    if expected == "è richiesto":   # one field refused: the title, or the reason left empty
        assert page.get_by_text(expected).count() == 1
    page.pdz_errors[:] = [e for e in page.pdz_errors if e != "undefined"]   # the refused save's rejection
    if case == "negative":
        shot(editor, page, "05-errore", at=page.get_by_text(expected).first)
    after = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    assert after == before

