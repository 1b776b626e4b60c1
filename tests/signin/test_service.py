"""The sign-in service (pdz_signin/service.py) on its own: settings refused in Italian, the state
and PKCE verifier kept in this browser only, the code exchanged with the secret, the result page
that gives the token only to an allowed origin, and the three ways to run it (its own server,
WSGI, CGI). The whole flow in Chromium is tests/editor/test_github_signin.py."""
from __future__ import annotations

import ast
import base64
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import pytest

from pdz_dev.github_double import GitHubDouble
from pdz_signin import service

SECRET = "s3cr3t-of-the-oauth-app"
ENV = {"PDZ_AUTH_CLIENT_ID": "pdz-prova", "PDZ_AUTH_CLIENT_SECRET": SECRET,
       "PDZ_AUTH_URL": "https://servizi.ente.example/pdz-accesso", "PDZ_AUTH_ORIGINS": "https://ente.github.io",
       "PDZ_AUTH_GITHUB_URL": "https://github.com"}


def config(**changes) -> service.Config:
    return service.config_from({**ENV, **changes})


def call(app, path: str, query: str = "", cookie: str = "", method: str = "GET", **environ):
    """One request to a WSGI application: (status, headers as a list, body)."""
    answer: dict = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, headers
    body = b"".join(app({"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_COOKIE": cookie,
                         "SCRIPT_NAME": "", "wsgi.errors": io.StringIO(), **environ}, start_response))
    return answer["status"], answer["headers"], body


def header(headers, name: str) -> str:
    return next(v for k, v in headers if k.lower() == name.lower())


def begin(app=None, path: str = "/pdz-accesso/auth", **changes):
    """/auth: the redirect's parameters and the cookie's value and attributes."""
    status, headers, _ = call(app or service.make_app(config(**changes)), path,
                              "provider=github&site_id=ente.github.io&scope=public_repo")
    assert status == "302 Found"
    location = urlsplit(header(headers, "Location"))
    cookie = SimpleCookie(header(headers, "Set-Cookie"))[service.COOKIE]
    return location, {k: v[0] for k, v in parse_qs(location.query).items()}, cookie, header(headers, "Set-Cookie")


def result_of(body: bytes) -> dict:
    return json.loads(re.search(rb'<script type="application/json" id="esito">(.*?)</script>', body, re.S)[1])


def test_the_service_is_one_file_of_the_standard_library():
    """The guide says: copy this one file to the server (no pip, no other file of the project)."""
    tree = ast.parse(open(service.__file__, encoding="utf-8").read())
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert modules - {"__future__"} <= sys.stdlib_module_names, modules - sys.stdlib_module_names
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree))


# ---- settings --------------------------------------------------------------------------------

def test_every_missing_or_wrong_setting_is_told_at_once_in_italian():
    with pytest.raises(service.ConfigError) as caught:
        service.config_from({"PDZ_AUTH_URL": "http://servizi.ente.example", "PDZ_AUTH_ORIGINS": "https://ente.github.io/pdz-site/"})
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["PDZ_AUTH_CLIENT_ID", "PDZ_AUTH_CLIENT_SECRET", "PDZ_AUTH_URL", "PDZ_AUTH_ORIGINS"]
    assert "http:// solo per 127.0.0.1" in problems[2]
    assert "senza percorso" in problems[3]


def test_settings_accept_a_local_trial_and_several_origins():
    local = config(PDZ_AUTH_URL="http://127.0.0.1:8085/", PDZ_AUTH_ORIGINS="https://ente.github.io, https://pdz.ente.it")
    assert local.callback == "http://127.0.0.1:8085/callback" and not local.secure
    assert local.origins == ("https://ente.github.io", "https://pdz.ente.it")


def test_the_command_refuses_to_start_without_settings_and_says_why():
    result = subprocess.run([sys.executable, "-P", service.__file__], env={"PATH": os.environ["PATH"]},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("Il servizio di accesso non può partire:") and "PDZ_AUTH_CLIENT_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


# ---- /auth -----------------------------------------------------------------------------------

def test_auth_sends_the_browser_to_github_with_a_state_and_a_pkce_challenge_it_remembers():
    location, params, cookie, raw = begin()
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://github.com/login/oauth/authorize"
    assert params["client_id"] == "pdz-prova" and params["scope"] == "public_repo"
    assert params["redirect_uri"] == "https://servizi.ente.example/pdz-accesso/callback"
    state, verifier = cookie.value.split(".")
    assert params["state"] == state and len(state) >= 40 and len(verifier) >= 43
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    assert params["code_challenge"] == digest and params["code_challenge_method"] == "S256"
    assert verifier not in location.geturl()   # only its hash leaves the service
    attributes = raw.lower()
    assert "httponly" in attributes and "samesite=lax" in attributes and "secure" in attributes
    assert "max-age=600" in attributes and "path=/pdz-accesso/" in attributes
    assert begin()[1]["state"] != state   # a new one each time


def test_auth_refuses_another_provider_or_other_permissions():
    app = service.make_app(config())
    for query in ("provider=gitlab&scope=api", "provider=github&scope=admin:org", "provider=github&scope=repo,delete_repo"):
        status, headers, body = call(app, "/pdz-accesso/auth", query)
        assert status == "400 Bad Request" and not any(k == "Set-Cookie" for k, _ in headers)
        assert result_of(body)["status"] == "error"


def test_the_service_answers_with_or_without_its_path_and_plain_http_only_on_this_computer():
    app = service.make_app(config())
    assert call(app, "/auth", "provider=github&scope=repo")[0] == "302 Found"   # a proxy that strips the path
    assert call(app, "/pdz-accesso/")[0] == "200 OK"
    assert call(app, "/pdz-accesso/altro")[0] == "404 Not Found"
    assert call(app, "/pdz-accesso/auth", method="POST")[0] == "405 Method Not Allowed"
    local = begin(path="/auth", PDZ_AUTH_URL="http://127.0.0.1:8085")[3].lower()
    assert "secure" not in local and "path=/;" in local


# ---- /callback -------------------------------------------------------------------------------

def finish(query: str, cookie: str, exchange=None):
    calls: list = []

    def fake_exchange(cfg, code, verifier):
        calls.append((code, verifier))
        return "gho_token123"
    status, headers, body = call(service.make_app(config(), exchange or fake_exchange), "/pdz-accesso/callback", query, cookie)
    return status, headers, body, calls


def test_callback_gives_the_token_to_the_page_that_hands_it_to_an_allowed_origin_only():
    _, params, cookie, _ = begin()
    status, headers, body, calls = finish(f"code=abc&state={params['state']}", f"{service.COOKIE}={cookie.value}")
    assert status == "200 OK" and calls == [("abc", cookie.value.split(".")[1])]
    assert result_of(body) == {"status": "success", "content": {"token": "gho_token123", "provider": "github"},
                               "origins": ["https://ente.github.io"]}
    policy = header(headers, "Content-Security-Policy")
    script = re.search(rb"<script>(.*?)</script>", body, re.S)[1]
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert header(headers, "Cache-Control") == "no-store" and header(headers, "Referrer-Policy") == "no-referrer"
    assert "max-age=0" in header(headers, "Set-Cookie").lower()   # the state is used once
    assert b'postMessage("authorization:github:" + result.status' in script and b"event.origin);" in script
    assert b"result.origins.indexOf(event.origin) < 0" in script and b"event.source !== window.opener" in script


@pytest.mark.parametrize("query,cookie", [
    ("code=abc&state=forged", "state-of-this-browser.verifier"),
    ("code=abc&state=state-of-this-browser", ""),
    ("code=abc&state=state-of-this-browser", "state-of-this-browser"),
    ("state=state-of-this-browser", "state-of-this-browser.verifier"),
], ids=["another state", "no cookie", "no verifier", "no code"])
def test_callback_refuses_a_sign_in_this_browser_did_not_start(query, cookie):
    status, _, body, calls = finish(query, f"{service.COOKIE}={cookie}" if cookie else "")
    assert status == "400 Bad Request" and calls == []
    result = result_of(body)
    assert result["status"] == "error" and "non è partita da questo browser" in result["content"]["message"]


def test_callback_reports_a_refusal_on_github_and_escapes_what_github_sent():
    status, _, body, calls = finish("error=access_denied&state=x", "")
    assert status == "400 Bad Request" and calls == []
    assert "hai annullato" in result_of(body)["content"]["message"]
    _, _, body, _ = finish("error=other&error_description=%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E", "")
    assert b"<script>alert(1)" not in body and "</script><script>alert(1)" in result_of(body)["content"]["message"]


# ---- the exchange with GitHub (its double) ---------------------------------------------------

@pytest.fixture
def github():
    double = GitHubDouble("ente/pdz-site", {"README.md": b"prova\n"}, users={"redattrice": "Redattrice"},
                          writers={"redattrice"}, client_id="pdz-prova", client_secret=SECRET,
                          callback="https://servizi.ente.example/pdz-accesso/callback")
    double.start()
    double.signed_in = "redattrice"
    yield double
    double.stop()


def authorised_code(double: GitHubDouble, params: dict) -> str:
    status, headers, _ = double.authorize(params)
    assert status == 302
    return parse_qs(urlsplit(headers["Location"]).query)["code"][0]


def test_the_code_is_exchanged_with_the_secret_and_the_verifier(github):
    cfg = config(PDZ_AUTH_GITHUB_URL=github.url)
    location, params, cookie, _ = begin(service.make_app(cfg))
    code = authorised_code(github, params)
    status, _, body = call(service.make_app(cfg), "/pdz-accesso/callback", f"code={code}&state={params['state']}",
                           f"{service.COOKIE}={cookie.value}")
    assert status == "200 OK"
    token = result_of(body)["content"]["token"]
    assert github.tokens[token] == {"login": "redattrice", "scope": "public_repo"}
    assert github.token_requests[-1]["client_secret"] == SECRET


def test_a_refused_or_unanswered_exchange_is_an_italian_message(github):
    _, params, cookie, _ = begin()
    code = authorised_code(github, params)
    wrong_verifier = config(PDZ_AUTH_GITHUB_URL=github.url)
    with pytest.raises(service.SignInError, match="non ha concesso l'accesso .invalid_grant."):
        service.exchange_code(wrong_verifier, code, "not-the-verifier")
    with pytest.raises(service.SignInError, match="incorrect_client_credentials"):
        service.exchange_code(config(PDZ_AUTH_GITHUB_URL=github.url, PDZ_AUTH_CLIENT_SECRET="wrong"), "x", "y")
    github.stop()
    with pytest.raises(service.SignInError, match="GitHub non ha risposto"):
        service.exchange_code(wrong_verifier, code, cookie.value.split(".")[1])


# ---- WSGI and CGI ----------------------------------------------------------------------------

def test_under_a_wsgi_server_the_settings_may_come_from_apache_setenv(monkeypatch):
    for name in service.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(service, "_APP", None)
    status, _, body = call(service.application, "/pdz-accesso/auth")
    assert status == "500 Internal Server Error" and "non configurato" in body.decode()
    status, _, _ = call(service.application, "/pdz-accesso/auth", "provider=github&scope=repo", **ENV)
    assert status == "302 Found"


def test_as_a_cgi_script_under_apache():
    env = {"PATH": os.environ["PATH"], **ENV, "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET",
           "SCRIPT_NAME": "/cgi-bin/accesso.py", "PATH_INFO": "/auth", "QUERY_STRING": "provider=github&scope=repo",
           "SERVER_NAME": "servizi.ente.example", "SERVER_PORT": "443", "SERVER_PROTOCOL": "HTTP/1.1",
           "PDZ_AUTH_URL": "https://servizi.ente.example/cgi-bin/accesso.py"}
    result = subprocess.run([sys.executable, "-P", service.__file__], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Status: 302 Found")
    assert "Location: https://github.com/login/oauth/authorize?" in result.stdout
    assert "redirect_uri=https%3A%2F%2Fservizi.ente.example%2Fcgi-bin%2Faccesso.py%2Fcallback" in result.stdout
    assert "Path=/cgi-bin/accesso.py/;" in result.stdout


def test_other_cookies_of_the_bodys_domain_do_not_hide_the_state():
    _, params, cookie, _ = begin()
    others = 'consenso={"analitici":false}; _ga=GA1.2.3; lingua="it"'
    status, _, body, calls = finish(f"code=abc&state={params['state']}", f"{others}; {service.COOKIE}={cookie.value}; tema=scuro")
    assert status == "200 OK" and len(calls) == 1
