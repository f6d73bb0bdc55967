"""What long work reports: a :class:`Progress` per step and an :class:`ImportResult` per file.

Kept apart from the store so that the readers, the exporter, the search upkeep and the GUI's
task runner can share these types without importing the library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

ImportStatus = Literal["added", "updated", "unchanged", "failed"]


@dataclass
class ImportResult:
    path: str
    status: ImportStatus
    issue_id: int | None = None
    items: int = 0
    message: str = ""
    balance: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    needs_force: bool = False  # a re-import refused for removing most of an issue: the GUI asks whether to force it

    def reason(self) -> str:
        """The message without a leading ``NAME:`` (readers name the file; a line that shows
        ``path`` already names it, and must not say it twice)."""
        name = Path(self.path).name
        for sep in (": ", "：", ":"):
            if name and self.message.startswith(name + sep):
                return self.message[len(name) + len(sep) :].lstrip()
        return self.message


@dataclass
class Progress:
    """One step of long work: what the CLI prints and the GUI turns into a signal."""

    done: int
    total: int
    text: str
    result: Any = None
