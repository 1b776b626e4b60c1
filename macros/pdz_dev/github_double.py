"""A local stand-in for GitHub (on 127.0.0.1), for the web editor's tests: its OAuth web flow
(authorisation page, token endpoint with client secret and PKCE) and the part of the REST API
that Decap CMS's GitHub backend calls (decap-cms-backend-github/src/API.ts and implementation.tsx):
the user, repositories and their permissions, forks, branches, the git data API (blobs, trees,
commits, refs), compare, commits of a path, pull requests and their labels, commit statuses and
the issue search.

Git objects are real git objects (SHA-1 of blob, tree and commit), kept in memory and shared by a
repository and its forks, as on GitHub. Every request is recorded; one that the double does not
implement answers 404 and is listed in ``unhandled``, so a test sees what Decap asked for.
"""
from __future__ import annotations

import base64
import difflib
import hashlib
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from html import escape

AVATAR = "data:image/svg+xml;base64," + base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#369"/></svg>').decode()


# ---- git objects ---------------------------------------------------------------------------

class Objects:
    """Blobs, trees and commits by their git SHA-1."""

    def __init__(self):
        self.blobs: dict[str, bytes] = {}
        self.trees: dict[str, list[tuple[str, str, str]]] = {}   # sha -> [(mode, name, sha)]
        self.commits: dict[str, dict] = {}

    @staticmethod
    def _sha(kind: str, body: bytes) -> str:
        return hashlib.sha1(f"{kind} {len(body)}\0".encode() + body).hexdigest()

    def blob(self, data: bytes) -> str:
        sha = self._sha("blob", data)
        self.blobs[sha] = data
        return sha

    def tree(self, entries: list[tuple[str, str, str]]) -> str:
        # git orders entries by name, a folder's name as if it ended with "/"
        entries = sorted(entries, key=lambda e: e[1] + ("/" if e[0] == "40000" else ""))
        body = b"".join(f"{mode} {name}\0".encode() + bytes.fromhex(sha) for mode, name, sha in entries)
        sha = self._sha("tree", body)
        self.trees[sha] = entries
        return sha

    def tree_of(self, files: dict[str, str]) -> str:
        """A tree (and its subtrees) from path -> blob sha."""
        here: dict[str, str] = {}
        folders: dict[str, dict[str, str]] = {}
        for path, sha in files.items():
            head, _, rest = path.partition("/")
            if rest:
                folders.setdefault(head, {})[rest] = sha
            else:
                here[head] = sha
        entries = [("100644", name, sha) for name, sha in here.items()]
        entries += [("40000", name, self.tree_of(sub)) for name, sub in folders.items()]
        return self.tree(entries)

    def files(self, tree: str, prefix: str = "") -> dict[str, str]:
        """path -> blob sha of every file under a tree."""
        out = {}
        for mode, name, sha in self.trees[tree]:
            if mode == "40000":
                out.update(self.files(sha, f"{prefix}{name}/"))
            else:
                out[prefix + name] = sha
        return out

    def subtree(self, tree: str, folder: str) -> str | None:
        for part in [p for p in folder.split("/") if p]:
            match = next((sha for mode, name, sha in self.trees[tree] if name == part and mode == "40000"), None)
            if match is None:
                return None
            tree = match
        return tree

    def commit(self, tree: str, parents: list[str], message: str, author: dict | None = None) -> str:
        author = author or {"name": "Ufficio di Piano", "email": "udp@ente.example", "date": _now()}
        when = int(time.time())
        body = (f"tree {tree}\n" + "".join(f"parent {p}\n" for p in parents)
                + f"author {author['name']} <{author['email']}> {when} +0000\n"
                + f"committer {author['name']} <{author['email']}> {when} +0000\n\n{message}").encode()
        sha = self._sha("commit", body)
        self.commits[sha] = {"tree": tree, "parents": parents, "message": message, "author": author}
        return sha

    def ancestors(self, sha: str) -> list[str]:
        """The commit and every ancestor, nearest first."""
        seen, order, todo = set(), [], [sha]
        while todo:
            current = todo.pop(0)
            if current in seen or current not in self.commits:
                continue
            seen.add(current)
            order.append(current)
            todo += self.commits[current]["parents"]
        return order


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# ---- repositories, users, pull requests ----------------------------------------------------

@dataclass
class Repo:
    owner: str
    name: str
    writers: set[str]
    refs: dict[str, str] = field(default_factory=dict)     # "heads/main" -> commit sha
    parent: Repo | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Pull:
    number: int
    title: str
    body: str
    head_repo: Repo
    head_ref: str
    base_repo: Repo
    base_ref: str
    user: str
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    updated_at: str = field(default_factory=_now)


class GitHubDouble:
    """The state of the double and its server. ``signed_in``: who is signed in to "GitHub" in the
    browser (the authorisation page acts for that user)."""

    def __init__(self, repo: str, files: dict[str, bytes], *, users: dict[str, str], writers: set[str],
                 client_id: str, client_secret: str, callback: str, branch: str = "main"):
        self.lock = threading.RLock()
        self.objects = Objects()
        self.users = users                     # login -> display name
        self.branch = branch
        owner, name = repo.split("/")
        tree = self.objects.tree_of({path: self.objects.blob(data) for path, data in files.items()})
        first = self.objects.commit(tree, [], "Contenuti iniziali")
        self.repos = {repo: Repo(owner, name, set(writers), {f"heads/{branch}": first})}
        self.origin = self.repos[repo]
        self.pulls: list[Pull] = []
        self.app = {"client_id": client_id, "client_secret": client_secret, "callback": callback}
        self.signed_in: str | None = None
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}      # token -> {"login", "scope"}
        self.token_requests: list[dict] = []   # what the sign-in service sent to the token endpoint
        self.log: list[tuple[str, str, str | None]] = []   # (method, path, user)
        self.unhandled: list[str] = []
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    # -- life ----------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1") -> str:
        handler = type("Handler", (_Handler,), {"double": self})   # this double's requests
        self.server = ThreadingHTTPServer((host, 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://{host}:{self.server.server_address[1]}"
        return self.url

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    # -- what a test asserts -------------------------------------------------------------------

    def pull_changes(self, pull: Pull) -> dict[str, tuple[str | None, str | None]]:
        """The pull request's diff as GitHub shows it (from the merge base): path -> (old, new)."""
        head = pull.head_repo.refs[f"heads/{pull.head_ref}"]
        return self.changes(self.merge_base(pull.base_repo.refs[f"heads/{pull.base_ref}"], head), head)

    # -- OAuth -----------------------------------------------------------------------------------

    def authorize_page(self, query: dict) -> tuple[int, dict, bytes]:
        """GitHub's "Authorize application" page for the signed-in user (the application must be
        registered with exactly this callback address)."""
        if query.get("client_id") != self.app["client_id"]:
            return 404, {}, b"unknown client_id"
        if query.get("redirect_uri") != self.app["callback"]:
            return 400, {}, b"The redirect_uri is not associated with this application."
        if not self.signed_in:
            return 401, {}, b"nobody is signed in to the double"
        fields = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in query.items())
        page = (f'<!doctype html><html lang="en"><title>Authorize application</title><main><h1>Authorize pdz-site</h1>'
                f'<p>Signed in as {escape(self.signed_in)}; scope {escape(query.get("scope", ""))}</p>'
                f'<form method="post" action="/login/oauth/authorize">{fields}'
                f'<button type="submit">Authorize</button></form></main></html>')
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

    def authorize(self, form: dict) -> tuple[int, dict, bytes]:
        """The user pressed "Authorize": back to the application with a one-time code."""
        refused = self.authorize_page(form)
        if refused[0] != 200:
            return refused
        code = secrets.token_hex(10)
        self.codes[code] = {"login": self.signed_in, "scope": form.get("scope", ""), "redirect_uri": form["redirect_uri"],
                            "challenge": form.get("code_challenge"), "method": form.get("code_challenge_method")}
        location = form["redirect_uri"] + "?" + urlencode({"code": code, "state": form.get("state", "")})
        return 302, {"Location": location}, b""

    def access_token(self, form: dict) -> dict:
        self.token_requests.append(dict(form))
        if (form.get("client_id"), form.get("client_secret")) != (self.app["client_id"], self.app["client_secret"]):
            return {"error": "incorrect_client_credentials"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return {"error": "bad_verification_code"}
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if grant["method"] != "S256" or digest != grant["challenge"]:
                return {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        token = "gho_" + secrets.token_hex(18)
        self.tokens[token] = {"login": grant["login"], "scope": grant["scope"]}
        return {"access_token": token, "token_type": "bearer", "scope": grant["scope"]}

    # -- REST ----------------------------------------------------------------------------------

    def user_json(self, login: str) -> dict:
        return {"login": login, "id": abs(hash(login)) % 10**6, "name": self.users[login], "email": f"{login}@example.org",
                "avatar_url": AVATAR, "type": "User"}

    def repo_json(self, repo: Repo, user: str) -> dict:
        out = {"full_name": repo.full_name, "name": repo.name, "owner": {"login": repo.owner}, "private": False,
               "default_branch": self.branch, "fork": repo.parent is not None,
               "permissions": {"admin": user == repo.owner, "push": user in repo.writers, "pull": True}}
        if repo.parent:
            out["parent"] = out["source"] = {"full_name": repo.parent.full_name}
        return out

    def commit_json(self, sha: str) -> dict:
        c = self.objects.commits[sha]
        author = {**c["author"], "date": c["author"].get("date") or _now()}
        return {"sha": sha, "commit": {"message": c["message"], "author": author, "committer": author,
                                       "tree": {"sha": c["tree"]}},
                "parents": [{"sha": p} for p in c["parents"]]}

    def pull_json(self, pull: Pull) -> dict:
        head_sha = pull.head_repo.refs.get(f"heads/{pull.head_ref}", "")
        return {"number": pull.number, "title": pull.title, "body": pull.body, "state": pull.state,
                "labels": [{"name": n} for n in pull.labels], "user": {"login": pull.user},
                "updated_at": pull.updated_at, "merged_at": None,
                "html_url": f"{self.url}/{pull.base_repo.full_name}/pull/{pull.number}",
                "head": {"ref": pull.head_ref, "sha": head_sha, "label": f"{pull.head_repo.owner}:{pull.head_ref}",
                         "repo": {"full_name": pull.head_repo.full_name, "fork": pull.head_repo.parent is not None,
                                  "owner": {"login": pull.head_repo.owner}}},
                "base": {"ref": pull.base_ref, "sha": pull.base_repo.refs[f"heads/{pull.base_ref}"],
                         "repo": {"full_name": pull.base_repo.full_name}}}

    def resolve(self, repo: Repo, name: str) -> tuple[Repo, str] | None:
        """A commit from a sha, a branch, or owner:branch (another repository of the network)."""
        if ":" in name:
            owner, name = name.split(":", 1)
            repo = next((r for r in self.repos.values() if r.owner == owner and r.name == repo.name), None)
            if repo is None:
                return None
        if name in self.objects.commits:
            return repo, name
        sha = repo.refs.get(f"heads/{name}")
        return (repo, sha) if sha else None

    def merge_base(self, base: str, head: str) -> str:
        base_side = set(self.objects.ancestors(base))
        return next(c for c in self.objects.ancestors(head) if c in base_side)

    def changes(self, old_commit: str, new_commit: str) -> dict[str, tuple[str | None, str | None]]:
        """path -> (old text, new text) of every file that differs between two commits."""
        old = self.objects.files(self.objects.commits[old_commit]["tree"])
        new = self.objects.files(self.objects.commits[new_commit]["tree"])
        return {path: (self.text(old.get(path)), self.text(new.get(path)))
                for path in sorted(set(old) | set(new)) if old.get(path) != new.get(path)}

    def text(self, blob: str | None) -> str | None:
        return self.objects.blobs[blob].decode("utf-8") if blob else None

    def compare(self, repo: Repo, base_name: str, head_name: str) -> dict | None:
        base, head = self.resolve(repo, base_name), self.resolve(repo, head_name)
        if not base or not head:
            return None
        merge_base = self.merge_base(base[1], head[1])
        commits, current = [], head[1]
        while current != merge_base:
            commits.append(current)
            current = self.objects.commits[current]["parents"][0]
        new_blobs = self.objects.files(self.objects.commits[head[1]]["tree"])
        files = []
        for path, (old, new) in self.changes(merge_base, head[1]).items():
            status = "added" if old is None else "removed" if new is None else "modified"
            diff = difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), lineterm="")
            patch = "\n".join(list(diff)[2:])   # without the ---/+++ header
            files.append({"filename": path, "status": status, "sha": new_blobs.get(path), "patch": patch})
        return {"base_commit": self.commit_json(base[1]), "merge_base_commit": self.commit_json(merge_base),
                "commits": [self.commit_json(c) for c in reversed(commits)], "files": files,
                "status": "ahead" if commits else "identical", "ahead_by": len(commits)}

    def commits_of_path(self, repo: Repo, branch: str, path: str) -> list[dict]:
        out, current = [], repo.refs.get(f"heads/{branch}")
        while current:
            commit = self.objects.commits[current]
            parent = commit["parents"][0] if commit["parents"] else None
            mine = self.objects.files(commit["tree"]).get(path)
            before = self.objects.files(self.objects.commits[parent]["tree"]).get(path) if parent else None
            if mine != before:
                out.append(self.commit_json(current))
            current = parent
        return out

    def api(self, method: str, path: str, query: dict, body: dict, user: str) -> tuple[int, object] | None:
        """One REST call: (status, JSON), or None for a call the double does not implement."""
        not_found = (404, {"message": "Not Found"})
        if path == "/user":
            return 200, self.user_json(user)
        if m := re.fullmatch(r"/users/([^/]+)", path):
            return (200, self.user_json(m[1])) if m[1] in self.users else not_found
        if path == "/search/issues":
            return 200, {"total_count": 0, "incomplete_results": False, "items": []}
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if not m:
            return None
        repo = self.repos.get(f"{m[1]}/{m[2]}")
        rest = m[3] or ""
        if repo is None:
            return not_found
        writes = method != "GET" and not rest.startswith(("/forks", "/pulls", "/issues"))
        if writes and user not in repo.writers:
            return 403, {"message": "Resource not accessible by integration"}
        if rest == "" and method == "GET":
            return 200, self.repo_json(repo, user)
        if (m := re.fullmatch(r"/collaborators/([^/]+)/permission", rest)) and method == "GET":
            if user not in repo.writers:
                return 403, {"message": "Must have push access to view collaborator permission."}
            return 200, {"permission": "write" if m[1] in repo.writers else "read", "user": {"login": m[1]}}
        if rest == "/forks" and method == "POST":
            fork = self.repos.setdefault(f"{user}/{repo.name}", Repo(user, repo.name, {user},
                                                                       {f"heads/{self.branch}": repo.refs[f"heads/{self.branch}"]},
                                                                       parent=repo))
            return 202, self.repo_json(fork, user)
        if rest == "/merge-upstream" and method == "POST":
            return 200, {"message": "This branch is not behind the upstream", "merge_type": "none"}
        if (m := re.fullmatch(r"/branches/(.+)", rest)) and method == "GET":
            sha = repo.refs.get(f"heads/{unquote(m[1])}")
            return (200, {"name": unquote(m[1]), "commit": self.commit_json(sha), "protected": False}) if sha else \
                (404, {"message": "Branch not found"})
        if (m := re.fullmatch(r"/git/trees/(.+)", rest)) and method == "GET":
            return self._get_tree(repo, unquote(m[1]), query.get("recursive") == "1")
        if (m := re.fullmatch(r"/git/blobs/([0-9a-f]{40})", rest)) and method == "GET":
            data = self.objects.blobs.get(m[1])
            return (200, {"sha": m[1], "size": len(data), "encoding": "base64",
                          "content": base64.b64encode(data).decode()}) if data is not None else not_found
        if rest == "/git/blobs" and method == "POST":
            data = base64.b64decode(body["content"]) if body.get("encoding") == "base64" else body["content"].encode()
            return 201, {"sha": self.objects.blob(data)}
        if rest == "/git/trees" and method == "POST":
            return self._post_tree(body)
        if rest == "/git/commits" and method == "POST":
            if body["tree"] not in self.objects.trees:
                return 422, {"message": "Tree SHA does not exist"}
            sha = self.objects.commit(body["tree"], body.get("parents", []), body["message"], body.get("author"))
            return 201, {**self.commit_json(sha), "tree": {"sha": body["tree"]}, "message": body["message"]}
        if rest == "/git/refs" and method == "POST":
            name = body["ref"].removeprefix("refs/")
            if name in repo.refs:
                return 422, {"message": "Reference already exists"}
            repo.refs[name] = body["sha"]
            return 201, {"ref": body["ref"], "object": {"sha": body["sha"], "type": "commit"}}
        if m := re.fullmatch(r"/git/refs/(.+)", rest):
            name = unquote(m[1])
            if method == "GET":
                matches = [{"ref": f"refs/{n}", "object": {"sha": s, "type": "commit"}}
                           for n, s in sorted(repo.refs.items()) if n == name or n.startswith(name + "/")]
                return (200, matches) if matches else not_found
            if name not in repo.refs:
                return 422, {"message": "Reference does not exist"}
            if method == "PATCH":
                if not body.get("force") and repo.refs[name] not in self.objects.ancestors(body["sha"]):
                    return 422, {"message": "Update is not a fast forward"}
                repo.refs[name] = body["sha"]
                return 200, {"ref": f"refs/{name}", "object": {"sha": body["sha"], "type": "commit"}}
            if method == "DELETE":
                del repo.refs[name]
                return 204, None
        if (m := re.fullmatch(r"/compare/(.+)\.\.\.(.+)", rest)) and method == "GET":
            result = self.compare(repo, unquote(m[1]), unquote(m[2]))
            return (200, result) if result else not_found
        if rest == "/commits" and method == "GET":
            return 200, self.commits_of_path(repo, query.get("sha", self.branch), query.get("path", ""))
        if (m := re.fullmatch(r"/commits/([0-9a-f]{40})/status", rest)) and method == "GET":
            return 200, {"state": "pending", "statuses": [], "sha": m[1]}
        if rest == "/pulls" and method == "GET":
            pulls = [p for p in self.pulls if p.base_repo is repo
                     and (query.get("state", "open") == "all" or p.state == query.get("state", "open"))
                     and ("base" not in query or p.base_ref == query["base"])
                     and ("head" not in query or f"{p.head_repo.owner}:{p.head_ref}" == query["head"])]
            return 200, [self.pull_json(p) for p in pulls]
        if rest == "/pulls" and method == "POST":
            return self._open_pull(repo, body, user)
        if (m := re.fullmatch(r"/pulls/(\d+)(/commits)?", rest)):
            pull = next((p for p in self.pulls if p.base_repo is repo and p.number == int(m[1])), None)
            if pull is None:
                return not_found
            if m[2] and method == "GET":
                found = self.compare(repo, pull.base_ref, f"{pull.head_repo.owner}:{pull.head_ref}")
                return 200, found["commits"] if found else []
            if method == "PATCH" and user in (pull.user, *repo.writers):
                pull.state = body.get("state", pull.state)
                pull.updated_at = _now()
                return 200, self.pull_json(pull)
            if method == "GET":
                return 200, self.pull_json(pull)
        if (m := re.fullmatch(r"/issues/(\d+)/labels", rest)) and method == "PUT":
            pull = next((p for p in self.pulls if p.base_repo is repo and p.number == int(m[1])), None)
            if pull is None or user not in repo.writers:
                return 403, {"message": "Must have push access to set labels."}
            pull.labels = list(body.get("labels", []))
            return 200, [{"name": n} for n in pull.labels]
        return None

    def _get_tree(self, repo: Repo, treeish: str, recursive: bool) -> tuple[int, object]:
        """``<tree sha>``, or ``<commit or branch>:<folder>`` (git's extended syntax, as Decap asks)."""
        name, _, folder = treeish.partition(":")
        tree = None
        if name in self.objects.trees and not folder:
            tree = name
        elif found := self.resolve(repo, name):
            tree = self.objects.subtree(self.objects.commits[found[1]]["tree"], folder)
        if tree is None:
            return 404, {"message": "Not Found"}
        entries = []

        def walk(sha: str, prefix: str):
            for mode, entry, child in self.objects.trees[sha]:
                kind = "tree" if mode == "40000" else "blob"
                item: dict[str, object] = {"path": prefix + entry, "mode": mode, "type": kind, "sha": child}
                if kind == "blob":
                    item["size"] = len(self.objects.blobs[child])
                entries.append(item)
                if kind == "tree" and recursive:
                    walk(child, f"{prefix}{entry}/")
        walk(tree, "")
        return 200, {"sha": tree, "tree": entries, "truncated": False}

    def _post_tree(self, body: dict) -> tuple[int, object]:
        """A new tree: the base (a tree, or a commit's tree as GitHub also accepts) with the
        listed paths set to a blob, or removed (sha null)."""
        base = body.get("base_tree")
        if base in self.objects.commits:
            base = self.objects.commits[base]["tree"]
        if base and base not in self.objects.trees:
            return 422, {"message": "base_tree is not a valid tree"}
        files = self.objects.files(base) if base else {}
        for item in body.get("tree", []):
            if item.get("sha") is None:
                files.pop(item["path"], None)
            elif item["sha"] not in self.objects.blobs:
                return 422, {"message": f"blob {item['sha']} does not exist"}
            else:
                files[item["path"]] = item["sha"]
        return 201, {"sha": self.objects.tree_of(files), "tree": [], "truncated": False}

    def _open_pull(self, repo: Repo, body: dict, user: str) -> tuple[int, object]:
        owner, _, ref = body["head"].rpartition(":")
        head_repo = next((r for r in self.repos.values() if r.owner == (owner or repo.owner) and r.name == repo.name), None)
        if head_repo is None or f"heads/{ref}" not in head_repo.refs:
            return 422, {"message": "Validation Failed", "errors": [{"field": "head", "code": "invalid"}]}
        if user not in head_repo.writers:
            return 403, {"message": "Resource not accessible by integration"}
        pull = Pull(number=len(self.pulls) + 1, title=body.get("title", ""), body=body.get("body", ""), head_repo=head_repo,
                    head_ref=ref, base_repo=repo, base_ref=body["base"], user=user)
        self.pulls.append(pull)
        return 201, self.pull_json(pull)


class _Handler(BaseHTTPRequestHandler):
    double: GitHubDouble
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):   # quiet test output
        pass

    def _send(self, status: int, headers: dict, body: bytes):
        self.send_response(status)
        # api.github.com answers every origin (the token is in a header, never a cookie)
        for name, value in {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Link",
                            "Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_OPTIONS(self):   # CORS preflight
        self._send(204, {"Access-Control-Allow-Methods": "GET, POST, PATCH, PUT, DELETE",
                         "Access-Control-Allow-Headers": self.headers.get("Access-Control-Request-Headers", ""),
                         "Access-Control-Max-Age": "600"}, b"")

    def _handle(self):
        double = self.double
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with double.lock:
            if parts.path == "/login/oauth/authorize":
                double.log.append((self.command, parts.path, double.signed_in))
                form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                status, headers, body = double.authorize(form) if self.command == "POST" else double.authorize_page(query)
                return self._send(status, headers, body)
            if parts.path == "/login/oauth/access_token" and self.command == "POST":
                double.log.append((self.command, parts.path, None))
                grant_json = double.access_token({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                return self._send(200, {"Content-Type": "application/json"}, json.dumps(grant_json).encode())
            token = (self.headers.get("Authorization") or "").split(" ")[-1]
            grant = double.tokens.get(token)
            if grant is None:
                return self._send(401, {"Content-Type": "application/json"}, b'{"message": "Bad credentials"}')
            double.log.append((self.command, self.path, grant["login"]))
            payload = json.loads(raw) if raw else {}
            # Decap encodes folder names in some addresses (%2F): match on the raw path
            result = double.api(self.command, parts.path, query, payload, grant["login"])
            if result is None:
                double.unhandled.append(f"{self.command} {self.path}")
        status, answer = result or (404, {"message": "Not Found"})
        if answer is None:   # 204: no body, no type
            return self._send(status, {}, b"")
        self._send(status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(answer).encode())

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle
