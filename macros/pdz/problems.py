"""Validation problems, reported to editors in Italian as ``path:line: field: message (hint)``."""
from __future__ import annotations

from dataclasses import dataclass

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
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = self.field or "(file)"
        text = f"{where}: {field}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.severity == WARNING:
            text = "avviso: " + text
        return text


def field_path(parts) -> str:
    """Turn a JSON path (keys and indexes) into ``a.b[0].c``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
