"""The web editor as published: "Accedi con GitHub" through the sign-in service (pdz_signin,
started as the guide says) and GitHub answered by a local double (pdz_dev.github_double), in
Debian's Chromium, with nothing leaving 127.0.0.1.

A member of the Ufficio di Piano (write access) saves an objective: a branch and a pull request in
the repository. A partner without write access saves their partner record: Decap forks the
repository into the partner's account, saves there and, asked for review, opens a pull request
from the fork. In both the pull request changes exactly the edited line, and adds the reason of
the change the form asked for. An editor page on a site that is not in the service's allow-list
never receives the token.
"""
from __future__ import annotations

import difflib
import os
import re
import secrets
import socket
import subprocess
import sys
import time

import pytest
import yaml
from playwright.sync_api import expect

from pdz_dev.browser import Visit, serve
from pdz_dev.github_double import GitHubDouble
from pdz_dev.project import FIXTURES, ROOT, build, make_project
from pdz_signin import service

REPO = "ente/pdz-site"
MAINTAINER, PARTNER = "redattrice", "cooperativa"
OBJECTIVE = "content/ambiti/prova/2021-2023/obiettivi/01-casa.md"
PARTNER_RECORD = "content/partner/asst-prova.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen):
    deadline = time.monotonic() + 30
    while True:   # the port, not a fixed time
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)


@pytest.fixture(scope="module")
def published(tmp_path_factory, browser):
    """The fixture content in a GitHub double, the site built for it as a deployment would be
    (PDZ_EDITOR_* settings), served twice (the allowed origin and another one), and the sign-in
    service running on its own port with the OAuth App's secret."""
    if not (ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").exists():
        pytest.fail("Decap CMS is not installed: run npm ci (make test does it)")
    tmp = tmp_path_factory.mktemp("published")
    project = make_project(tmp, FIXTURES / "valid")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    files = {p.relative_to(project).as_posix(): p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    secret = secrets.token_hex(20)
    service_port = free_port()
    service_url = f"http://127.0.0.1:{service_port}"
    double = GitHubDouble(REPO, files, users={MAINTAINER: "Redattrice dell'Ufficio di Piano", PARTNER: "Cooperativa partner"},
                          writers={MAINTAINER}, client_id="pdz-prova", client_secret=secret,
                          callback=service_url + "/callback")
    double.start()
    site = tmp / "site"
    result = build(project, site, {"PDZ_EDITOR_REPO": REPO, "PDZ_EDITOR_BASE_URL": service_url,
                                   "PDZ_EDITOR_API_ROOT": double.url, "PDZ_SEARCH": "false"})   # /admin/ never searches
    assert result.returncode == 0, result.stderr[-3000:]
    server, base = serve(site)
    other_server, other = serve(site)
    env = {"PATH": os.environ["PATH"], "PDZ_AUTH_CLIENT_ID": "pdz-prova", "PDZ_AUTH_CLIENT_SECRET": secret,
           "PDZ_AUTH_URL": service_url, "PDZ_AUTH_ORIGINS": base.rstrip("/"), "PDZ_AUTH_GITHUB_URL": double.url}
    signin = subprocess.Popen([sys.executable, "-P", service.__file__, "--port", str(service_port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for_port(service_port, signin)
    yield {"project": project, "double": double, "base": base, "other": other, "browser": browser, "secret": secret,
           "site": site, "service": service_url}
    signin.terminate()
    signin.wait(timeout=30)
    for s in (server, other_server):
        s.shutdown()
        s.server_close()
    double.stop()


@pytest.fixture
def profile(published):
    """A new browser profile; afterwards: no request left 127.0.0.1, the admin page's policy let
    everything through, no script error, no call the double does not implement, and the OAuth
    App's secret never travelled through the browser."""
    visit = Visit(published["browser"], published["base"], {"width": 1280, "height": 900})
    errors: list[str] = []
    sent: list[str] = []
    visit.page.on("pageerror", lambda error: errors.append(str(error)))
    visit.context.on("request", lambda request: sent.append(f"{request.url} {request.post_data or ''}"))
    yield visit
    visit.close()
    assert visit.foreign == [], f"requests to other hosts: {visit.foreign}"
    assert visit.csp == [], visit.csp
    assert errors == [], errors
    assert published["double"].unhandled == []
    assert not [s for s in sent if published["secret"] in s]


def sign_in(page, published, login: str, base: str | None = None):
    """Open /admin/, press "Accedi con GitHub" and authorise the application on "GitHub" as
    ``login``; returns the sign-in window once GitHub sent it back to the service."""
    page.goto((base or published["base"]) + "admin/", wait_until="commit")
    button = page.get_by_role("button", name="Accedi con GitHub")
    button.wait_for(timeout=60_000)   # 5 MB of script to start
    published["double"].signed_in = login
    with page.expect_popup() as opened:
        button.click()
    popup = opened.value
    popup.get_by_role("button", name="Authorize").wait_for()
    return popup


def authorise(popup):
    """Press "Authorize" and wait for the window to close (the editor closes it on success)."""
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Authorize").click()


REASON = "dato aggiornato dal Tavolo di coordinamento"


def edit(page, published, collection: str, entry: str, field: str, old: str, new: str):
    page.goto(published["base"] + f"admin/#/collections/{collection}/entries/{entry}")
    control = page.locator(f"[id^='{field}-field-']").first
    expect(control).to_have_value(old, timeout=30_000)
    control.fill(new)
    page.locator("[id^='motivo_modifica-field-']").first.fill(REASON)   # why: asked at every save
    page.get_by_role("button", name="Salva", exact=True).click()
    page.get_by_text("Voce salvata").first.wait_for()


def the_pull_request_of(double: GitHubDouble, login: str):
    pulls = [p for p in double.pulls if p.user == login]
    assert len(pulls) == 1, pulls
    return pulls[0]


def assert_changes_exactly_one_line(double: GitHubDouble, pull, path: str, original: str, line: str, field: str, value: str):
    """The pull request's diff against the original file: that line replaced by the new value,
    and the reason of the change added first, nothing else (GitHub's view: from the merge base to
    the head of the branch)."""
    changes = double.pull_changes(pull)
    assert list(changes) == [path]
    before, after = changes[path]
    assert before == original
    diff = list(difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=0))[2:]
    removed = [d[1:] for d in diff if d.startswith("-")]
    added = [d[1:] for d in diff if d.startswith("+")]
    assert removed == [line]
    assert len(added) == 2 and yaml.safe_load(added[0]) == {"motivo_modifica": REASON}
    assert yaml.safe_load(added[1]) == {field: value}
    assert after.replace(added[0] + "\n", "", 1) == before.replace(line, added[1])


def test_a_member_of_the_office_saves_and_a_pull_request_proposes_exactly_that_line(published, profile):
    double, page = published["double"], profile.page
    main_before = double.origin.refs["heads/main"]
    original = (published["project"] / OBJECTIVE).read_text(encoding="utf-8")
    authorise(sign_in(page, published, MAINTAINER))
    page.wait_for_url(re.compile(r"#/collections/"), timeout=30_000)   # signed in: the collections
    grant = double.token_requests[-1]
    assert grant["client_secret"] == published["secret"] and grant["code_verifier"]   # from the service, with PKCE
    assert [t["scope"] for t in double.tokens.values() if t["login"] == MAINTAINER] == ["public_repo"]

    edit(page, published, "prova-2021-2023-obiettivi", "01-casa", "target",
         "Famiglie in difficoltà abitativa", "Famiglie in difficoltà abitativa e giovani coppie")

    pull = the_pull_request_of(double, MAINTAINER)
    assert (pull.head_repo.full_name, pull.head_ref, pull.base_repo.full_name, pull.base_ref, pull.state) == \
        (REPO, "cms/prova-2021-2023-obiettivi/01-casa", REPO, "main", "open")
    assert pull.labels == ["decap-cms/draft"]   # the editorial workflow's first column
    assert_changes_exactly_one_line(double, pull, OBJECTIVE, original, 'target: "Famiglie in difficoltà abitativa"',
                                    "target", "Famiglie in difficoltà abitativa e giovani coppie")
    assert double.origin.refs["heads/main"] == main_before and f"{MAINTAINER}/pdz-site" not in double.repos   # main untouched, no fork


def test_a_partner_without_write_access_proposes_a_change_from_a_fork(published, profile):
    double, page = published["double"], profile.page
    main_before = double.origin.refs["heads/main"]
    original = (published["project"] / PARTNER_RECORD).read_text(encoding="utf-8")
    authorise(sign_in(page, published, PARTNER))
    page.get_by_role("button", name="Fork the repo").click()   # Decap's open authoring (its own English words)
    page.wait_for_url(re.compile(r"#/collections/"), timeout=30_000)
    fork = double.repos[f"{PARTNER}/pdz-site"]
    assert fork.parent is double.origin and fork.writers == {PARTNER}

    edit(page, published, "partner", "asst-prova", "sigla", "ASST Prova", "ASST Prova Nord")
    branch = f"cms/{PARTNER}/pdz-site/partner/asst-prova"
    assert f"heads/{branch}" in fork.refs                       # saved in the fork
    assert [p for p in double.pulls if p.user == PARTNER] == []  # a draft until review is asked
    assert double.origin.refs["heads/main"] == main_before and not any(
        ref.startswith(f"heads/cms/{PARTNER}") for ref in double.origin.refs)   # nothing written in the repository

    page.get_by_role("button", name=re.compile("^Stato: Bozza")).click()
    page.get_by_role("menuitem", name="In revisione").click()
    page.get_by_text("Stato della voce aggiornato").first.wait_for()
    pull = the_pull_request_of(double, PARTNER)
    assert (pull.head_repo, pull.head_ref, pull.base_repo, pull.base_ref, pull.state) == (fork, branch, double.origin, "main", "open")
    assert_changes_exactly_one_line(double, pull, PARTNER_RECORD, original, 'sigla: "ASST Prova"', "sigla", "ASST Prova Nord")


def test_an_editor_page_on_another_site_never_receives_the_token(published, profile):
    page = profile.page
    popup = sign_in(page, published, MAINTAINER, base=published["other"])
    popup.get_by_role("button", name="Authorize").click()
    expect(popup.locator("#stato")).to_contain_text("Accesso negato: " + published["other"].rstrip("/"))
    assert page.evaluate("() => localStorage.getItem('decap-cms-user')") is None
    expect(page.get_by_role("button", name="Accedi con GitHub")).to_be_visible()
    popup.close()
