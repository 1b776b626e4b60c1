#!/usr/bin/env python3
"""Sign-in service of the pdz-site web editor (/admin/, Decap CMS) with GitHub.

The site is static. GitHub's OAuth token endpoint needs the OAuth App's client secret and sends
no CORS headers, so the browser alone cannot finish a sign-in: this service does that one step,
keeps the secret, and hands the editor's token to the editor page. Nothing else: no storage, no
session, no copy of the token after the answer.

Decap's protocol for an external OAuth client (decap-cms-lib-auth, netlify-auth.js):
1. "Accedi con GitHub" opens a popup at ``<base_url>/<auth_endpoint>?provider=github&scope=...``.
2. ``/auth`` puts a random state and a PKCE verifier in a short-lived HttpOnly cookie and sends
   the popup to GitHub's authorisation page.
3. GitHub sends it back to ``/callback?code=...&state=...``: the state must match the cookie
   (a sign-in this browser started), and the code is exchanged for a token with the secret and
   the verifier.
4. The page tells its opener ``authorizing:github`` (no secret in it, any origin); Decap answers
   from its own origin, and only if that origin is in the allow-list does the page send
   ``authorization:github:success:{"token": ..., "provider": "github"}``, to that origin alone.
   Errors travel the same way as ``authorization:github:error:{"message": ...}`` (Italian).

Only the standard library: copy this one file to the server. Settings (environment variables,
or ``SetEnv`` under Apache):
  PDZ_AUTH_CLIENT_ID      the OAuth App's Client ID
  PDZ_AUTH_CLIENT_SECRET  the OAuth App's client secret (only here, never in the repository)
  PDZ_AUTH_URL            this service's public address, e.g. https://servizi.ente.it/pdz-accesso
                          (the OAuth App's callback URL is this address + /callback)
  PDZ_AUTH_ORIGINS        the sites allowed to receive a token, e.g. https://ente.github.io
  PDZ_AUTH_GITHUB_URL     optional: GitHub's address (GitHub Enterprise Server), default https://github.com
Run ``python3 service.py --port 8085`` behind the body's HTTPS web server, or under any WSGI
server (``service:application``), or as a CGI script.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import html
import json
import os
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Callable, Iterable, Mapping
from wsgiref.handlers import CGIHandler
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

PROVIDER = "github"
SCOPES = {"public_repo", "repo"}   # what Decap asks: public_repo with open authoring, repo without
COOKIE = "pdz_signin"
COOKIE_AGE = 600                   # GitHub's code is valid for 10 minutes
TIMEOUT = 15                       # seconds for GitHub's token endpoint
VARIABLES = ("PDZ_AUTH_CLIENT_ID", "PDZ_AUTH_CLIENT_SECRET", "PDZ_AUTH_URL", "PDZ_AUTH_ORIGINS", "PDZ_AUTH_GITHUB_URL")

# https:// anywhere; plain http:// only on this computer (trials and tests)
_LOOPBACK = r"(?:127\.0\.0\.1|localhost|\[::1\])"
_ADDRESS = re.compile(rf"^(?:https://[A-Za-z0-9.-]+|http://{_LOOPBACK})(?::[0-9]{{1,5}})?(?P<path>/[^\s?#]*)?$")


class ConfigError(Exception):
    """The settings that are missing or wrong, one Italian line each."""

    def __init__(self, problems: list[str]):
        super().__init__("Il servizio di accesso non può partire:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


class SignInError(Exception):
    """A sign-in that cannot be completed, in words for the editor (Italian)."""


@dataclass(frozen=True)
class Config:
    client_id: str
    client_secret: str
    url: str                    # this service's public address, no final /
    origins: tuple[str, ...]    # the editor pages allowed to receive a token
    github: str = "https://github.com"

    @property
    def callback(self) -> str:
        return self.url + "/callback"

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path.rstrip("/")

    @property
    def secure(self) -> bool:
        return self.url.startswith("https://")


def config_from(environ: Mapping[str, str]) -> Config:
    """The settings from environment variables; ConfigError lists every problem at once."""
    problems = []

    def value(name: str) -> str:
        return str(environ.get(name, "")).strip()

    def address(name: str, example: str, default: str = "") -> str:
        text = value(name) or default
        if not text:
            problems.append(f"{name}: manca; serve l'indirizzo https://, per esempio {example}")
        elif not _ADDRESS.match(text):
            problems.append(f"{name}: {text!r} non è un indirizzo valido; serve un indirizzo https:// "
                            f"(http:// solo per 127.0.0.1), senza ? né #, per esempio {example}")
        return text.rstrip("/")

    client_id = value("PDZ_AUTH_CLIENT_ID")
    if not re.fullmatch(r"[A-Za-z0-9._-]+", client_id):
        problems.append("PDZ_AUTH_CLIENT_ID: manca o non è valido; è il Client ID dell'OAuth App registrata su GitHub")
    secret = value("PDZ_AUTH_CLIENT_SECRET")
    if not secret:
        problems.append("PDZ_AUTH_CLIENT_SECRET: manca; è il client secret generato nella pagina dell'OAuth App su GitHub")
    url = address("PDZ_AUTH_URL", "https://servizi.ente.it/pdz-accesso")
    github = address("PDZ_AUTH_GITHUB_URL", "https://github.com", default="https://github.com")
    origins = tuple(o.rstrip("/") for o in re.split(r"[\s,]+", value("PDZ_AUTH_ORIGINS")) if o)
    if not origins:
        problems.append("PDZ_AUTH_ORIGINS: manca; serve l'origine del sito con la redazione, per esempio https://ente.github.io")
    for origin in origins:
        match = _ADDRESS.match(origin)
        if not match or match.group("path"):
            problems.append(f"PDZ_AUTH_ORIGINS: {origin!r} non è un'origine; si scrivono solo schema e host "
                            "(e la porta, se c'è), senza percorso: per esempio https://ente.github.io")
    if problems:
        raise ConfigError(problems)
    return Config(client_id=client_id, client_secret=secret, url=url, origins=origins, github=github)


# ---- the page that hands the result to the editor ------------------------------------------

# Fixed text: the Content-Security-Policy allows exactly this script by its hash; the result
# travels in a JSON data block, never as code.
SCRIPT = """(function () {
  var result = JSON.parse(document.getElementById("esito").textContent);
  var status = document.getElementById("stato");
  var handshake = "authorizing:github";
  if (!window.opener) {
    status.textContent = "Questa finestra si apre dal pulsante \\u00abAccedi con GitHub\\u00bb della redazione: chiudila e riprova da l\\u00ec.";
    return;
  }
  window.addEventListener("message", function (event) {
    if (event.source !== window.opener || event.data !== handshake) return;
    if (result.origins.indexOf(event.origin) < 0) {
      status.textContent = "Accesso negato: " + event.origin + " non \\u00e8 tra i siti autorizzati a usare questo servizio di accesso.";
      return;
    }
    window.opener.postMessage("authorization:github:" + result.status + ":" + JSON.stringify(result.content), event.origin);
  });
  window.opener.postMessage(handshake, "*");
})();"""
STYLE = "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


POLICY = "; ".join(["default-src 'none'", f"script-src {_hash(SCRIPT)}", f"style-src {_hash(STYLE)}",
                    "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"])
PAGE_HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", POLICY),
                ("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer"),
                ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]


def _json_for_html(data: object) -> str:
    """JSON that cannot close the <script> element it sits in."""
    return json.dumps(data, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def result_page(config: Config, status: str, content: dict, text: str) -> bytes:
    data = {"status": status, "content": content, "origins": list(config.origins)}
    return f"""<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Accesso alla redazione</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>Accesso alla redazione</h1>
<p id="stato">{html.escape(text)}</p>
</main>
<script type="application/json" id="esito">{_json_for_html(data)}</script>
<script>{SCRIPT}</script>
</body>
</html>
""".encode("utf-8")


def _error(config: Config, status: str, message: str, extra_headers: Iterable[tuple[str, str]] = ()):
    page = result_page(config, "error", {"message": message}, message + " Chiudi questa finestra e riprova.")
    return status, PAGE_HEADERS + list(extra_headers), page


# ---- the two steps -------------------------------------------------------------------------

def _cookie(config: Config, value: str, age: int) -> tuple[str, str]:
    attributes = f"{COOKIE}={value}; Max-Age={age}; Path={config.path or ''}/; HttpOnly; SameSite=Lax"
    return "Set-Cookie", attributes + ("; Secure" if config.secure else "")


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).decode("ascii").rstrip("=")


def begin(config: Config, query: dict[str, str]):
    """/auth: remember a new state and PKCE verifier in this browser, go to GitHub."""
    if query.get("provider") != PROVIDER:
        return _error(config, "400 Bad Request", "Questo servizio fa accedere solo con GitHub (provider=github).")
    scopes = [s for s in re.split(r"[\s,]+", query.get("scope", "public_repo")) if s]
    if not scopes or not set(scopes) <= SCOPES:
        return _error(config, "400 Bad Request", f"Permessi richiesti non ammessi ({query.get('scope')!r}): "
                      "la redazione chiede public_repo oppure repo.")
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    location = config.github + "/login/oauth/authorize?" + urllib.parse.urlencode({
        "client_id": config.client_id, "redirect_uri": config.callback, "scope": " ".join(scopes),
        "state": state, "code_challenge": _challenge(verifier), "code_challenge_method": "S256"})
    return "302 Found", [("Location", location), ("Cache-Control", "no-store"), ("Referrer-Policy", "no-referrer"),
                         _cookie(config, f"{state}.{verifier}", COOKIE_AGE)], b""


def finish(config: Config, query: dict[str, str], cookie_header: str, exchange: Callable[[Config, str, str], str]):
    """/callback: the state must be this browser's; exchange the code; answer the editor."""
    forget = [_cookie(config, "", 0)]
    if query.get("error"):
        reason = "hai annullato l'autorizzazione" if query["error"] == "access_denied" else query.get(
            "error_description") or query["error"]
        return _error(config, "400 Bad Request", f"GitHub non ha concesso l'accesso: {reason}.", forget)
    expected_state, _, verifier = _read_cookie(cookie_header).partition(".")
    state, code = query.get("state", ""), query.get("code", "")
    if not (state and code and expected_state and verifier and secrets.compare_digest(state, expected_state)):
        return _error(config, "400 Bad Request", "La richiesta di accesso è scaduta oppure non è partita da questo "
                      "browser.", forget)
    try:
        token = exchange(config, code, verifier)
    except SignInError as exc:
        return _error(config, "502 Bad Gateway", str(exc), forget)
    page = result_page(config, "success", {"token": token, "provider": PROVIDER},
                       "Accesso riuscito: puoi tornare alla redazione (questa finestra si chiude da sola).")
    return "200 OK", PAGE_HEADERS + forget, page


def _read_cookie(header: str) -> str:
    """Our cookie's value; read by hand because http.cookies gives up on a whole header at the
    first cookie it dislikes (other sites of the body's domain may set such cookies)."""
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and re.fullmatch(r"[A-Za-z0-9_.-]+", value):
            return value
    return ""


def exchange_code(config: Config, code: str, verifier: str) -> str:
    """GitHub's token for the code (server to server: the secret never reaches a browser)."""
    form = urllib.parse.urlencode({"client_id": config.client_id, "client_secret": config.client_secret,
                                   "code": code, "redirect_uri": config.callback, "code_verifier": verifier})
    request = urllib.request.Request(config.github + "/login/oauth/access_token", data=form.encode("ascii"),
                                     headers={"Accept": "application/json", "User-Agent": "pdz-signin"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = json.load(response)
    except (OSError, ValueError) as exc:   # no answer, an HTTP error, or not JSON
        raise SignInError("GitHub non ha risposto alla richiesta di accesso: riprova tra qualche minuto.") from exc
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", token):
        error = answer.get("error") if isinstance(answer, dict) else None
        raise SignInError(f"GitHub non ha concesso l'accesso ({error or 'risposta senza token'}).")
    return token


# ---- WSGI ----------------------------------------------------------------------------------

def make_app(config: Config, exchange: Callable[[Config, str, str], str] = exchange_code):
    """The WSGI application: /auth and /callback under the service's address (with or without
    its path, as a reverse proxy passes it), and a short page at the address itself."""

    def app(environ, start_response):
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if config.path and path.startswith(config.path):
            path = path[len(config.path):]
        route = path.rstrip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            status, headers, body = "405 Method Not Allowed", [("Allow", "GET, HEAD")], b""
        elif route == "/auth":
            status, headers, body = begin(config, _query(environ))
        elif route == "/callback":
            status, headers, body = finish(config, _query(environ), environ.get("HTTP_COOKIE", ""), exchange)
        elif route == "":
            status, headers, body = "200 OK", [("Content-Type", "text/plain; charset=utf-8")], \
                "Servizio di accesso alla redazione del sito: si usa dal pulsante «Accedi con GitHub».\n".encode("utf-8")
        else:
            status, headers, body = "404 Not Found", [("Content-Type", "text/plain; charset=utf-8")], b"Not Found\n"
        start_response(status, headers + [("Content-Length", str(len(body)))])
        return [b""] if method == "HEAD" else [body]

    return app


def _query(environ) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).items()}


_APP = None


def application(environ, start_response):
    """For WSGI servers and CGI: settings from the process environment or, under Apache, from
    SetEnv (which reaches the WSGI environ rather than the process)."""
    global _APP
    if _APP is None:
        settings = dict(os.environ)
        settings.update({k: v for k, v in environ.items() if k in VARIABLES and isinstance(v, str)})
        try:
            _APP = make_app(config_from(settings))
        except ConfigError as exc:
            environ["wsgi.errors"].write(str(exc) + "\n")
            body = "Servizio di accesso non configurato: vedi il registro degli errori del server.\n".encode("utf-8")
            start_response("500 Internal Server Error", [("Content-Type", "text/plain; charset=utf-8"),
                                                         ("Content-Length", str(len(body)))])
            return [body]
    return _APP(environ, start_response)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    def log_request(self, code="-", size="-"):
        # the path without its query: a log never holds a code or a state
        sys.stderr.write(f"{self.address_string()} {self.command} {self.path.split('?', 1)[0]} {code}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Servizio di accesso con GitHub per la redazione (Decap CMS).")
    parser.add_argument("--host", default="127.0.0.1", help="indirizzo su cui ascoltare (predefinito 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8085, help="porta (predefinita 8085)")
    args = parser.parse_args(argv)
    try:
        config = config_from(os.environ)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if os.environ.get("GATEWAY_INTERFACE", "").startswith("CGI/"):
        CGIHandler().run(make_app(config))
        return 0
    server = make_server(args.host, args.port, make_app(config), server_class=_Server, handler_class=_Handler)
    print(f"Servizio di accesso in ascolto su http://{args.host}:{server.server_port}/ "
          f"(indirizzo pubblico {config.url}, callback {config.callback})", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
