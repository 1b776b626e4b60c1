"""Validation problems, reported to editors in Italian as ``path:line: field: message (hint)``."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pdz.content import invisible

ERROR = "errore"
WARNING = "avviso"


@dataclass(frozen=True, order=True)
class Problem:
    path: str            # path relative to the project root, e.g. content/ambiti/corsico/...
    line: int            # 1-based line in the file; 0 when the problem concerns the whole file
    field: str           # dotted field path, e.g. "coprogettazione.partner[0]"; "" for the file
    message: str         # what is wrong, in Italian
    hint: str = ""       # how to fix it, in Italian
    severity: str = ERROR

    def format(self) -> str:
        """One line, whatever the path, field or quoted value holds: a line break in a hostile
        key is shown as ␤, and no line starts with '::' or '##[' (GitHub Actions workflow commands)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = self.field or "(file)"
        text = f"{where}: {field}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.severity == WARNING:
            text = "avviso: " + text
        text = _visible(_LINE_BREAKS.sub("\u2424", text))
        return "./" + text if text.lstrip().startswith(("::", "##[")) else text

    def annotation(self) -> str:
        """The problem as a GitHub Actions workflow command: a pull request shows it on its line."""
        level = "warning" if self.severity == WARNING else "error"
        props = f"file={_escape_property(self.path)}"
        if self.line:
            props += f",line={self.line}"
        props += f",title={_escape_property(self.field or '(file)')}"
        message = self.message + (f" ({self.hint})" if self.hint else "")
        return f"::{level} {props}::{_escape_data(message)}"


# what ends a line for a terminal or for the GitHub Actions runner
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _visible(text: str) -> str:
    """Invisible format characters (a direction control in a quoted key) written as <U+202E>:
    the terminal or the pull request page must not reorder the problem's own text."""
    return invisible.PATTERN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def _escape_data(text: str) -> str:
    """GitHub's escaping of a workflow command's message (%, CR, LF), after the other line
    breaks are shown as ␤ and invisible characters as <U+...> like in ``format``."""
    text = _visible(text)
    text = _LINE_BREAKS.sub(lambda m: m.group() if m.group() in ("\r", "\n", "\r\n") else "\u2424", text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def field_path(parts) -> str:
    """Turn a JSON path (keys and indexes) into ``a.b[0].c``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
