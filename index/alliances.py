"""The alliance name table: canonical names, short names and misspellings.

The table is data (``resources/alliances.json``) so it can grow without code changes. Credit
lines name alliances in full, in short, or misspelt; :meth:`AllianceTable.resolve` maps what a
credit says to one canonical name, and returns None for a name it does not know (the caller then
records it as a new alliance, never an error).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources

from .text import fold

SUFFIX = "产业技术创新战略联盟"


def _key(name: str) -> str:
    """Matching key: folded, without brackets (建筑信息模型（BIM）… = 建筑信息模型BIM…)."""
    return re.sub(r"[()（）\[\]【】]", "", fold(name))


def distinctive(name: str) -> str:
    """What tells an alliance apart: the name without 产业技术创新战略联盟."""
    for suffix in (SUFFIX, "技术创新战略联盟", "产业联盟", "战略联盟", "联盟"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def derived_aliases(name: str) -> list[str]:
    d = distinctive(name)
    if d == name:
        return []
    return [d + "联盟", d + "产业联盟", d + "战略联盟"]


def _damerau1(a: str, b: str) -> bool:
    """True if a and b differ by at most one edit (insert, delete, substitute, swap)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


@dataclass
class Alliance:
    name: str
    aliases: list[str] = field(default_factory=list)


class AllianceTable:
    """Canonical names and every alias that points at them."""

    def __init__(self, alliances: list[Alliance]):
        self.alliances: dict[str, Alliance] = {}
        self._alias: dict[str, set[str]] = {}
        self._groups: dict[str, list[str]] | None = None
        self._group_of: dict[str, list[str]] = {}
        for a in alliances:
            self.add(a.name, a.aliases)

    @classmethod
    def builtin(cls) -> AllianceTable:
        data = json.loads(resources.files("jianbao.resources").joinpath("alliances.json").read_text("utf-8"))
        return cls([Alliance(e["name"], [*e.get("short", []), *e.get("variants", [])]) for e in data["alliances"]])

    def add(self, name: str, aliases: list[str] | tuple[str, ...] = ()) -> Alliance:
        a = self.alliances.get(name)
        if a is None:
            a = self.alliances[name] = Alliance(name, [])
        for alias in [*aliases, *derived_aliases(name)]:
            if alias != name and alias not in a.aliases:
                a.aliases.append(alias)
        for alias in (name, *a.aliases):
            self._alias.setdefault(_key(alias), set()).add(name)
        self._groups = None
        return a

    def groups(self) -> dict[str, list[str]]:
        """Alliances that are one to a reader, by the name that stands for them (the longest).

        Two names are one alliance when they share a name: 钒钛产业技术创新战略联盟 and
        钒钛资源综合利用产业技术创新战略联盟 are both 钒钛联盟. Items keep the name their credit
        line gives; listings and filters treat the group as one alliance."""
        if self._groups is not None:
            return self._groups
        parent = {n: n for n in self.alliances}

        def root(n: str) -> str:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        for names in self._alias.values():
            first, *rest = sorted(names)
            for n in rest:
                parent[root(n)] = root(first)
        members: dict[str, list[str]] = {}
        for n in self.alliances:
            members.setdefault(root(n), []).append(n)
        out = {}
        for ns in members.values():
            ns.sort(key=lambda n: (-len(n), n))
            out[ns[0]] = ns
        self._groups = out
        self._group_of = {n: ns for ns in out.values() for n in ns}
        return out

    def group_of(self, name: str) -> list[str]:
        """Every name of the alliance ``name`` belongs to, the one that stands for it first."""
        self.groups()
        return self._group_of.get(name, [name])

    def resolve(self, raw: str | None) -> str | None:
        """The canonical name for an alliance named in a credit line, or None if unknown."""
        if not raw:
            return None
        k = _key(raw)
        for cand in (k, k.removeprefix("中国"), k.replace("联盟联盟", "联盟")):
            names = self._alias.get(cand)
            if names and len(names) == 1:
                return next(iter(names))
            exact = [n for n in names or () if _key(n) == cand]
            if exact:
                return exact[0]
        # a shorter legitimate name: its short form (钒钛联盟) names one alliance
        d = distinctive(k)
        if d != k:
            names = self._alias.get(_key(d + "联盟"))
            if names and len({self.group_of(n)[0] for n in names}) == 1:
                return self.group_of(next(iter(names)))[0]
        # one typo in the distinctive part (禽畜/畜禽, 物种/特种)
        if len(d) >= 3:
            close = {n for n in self.alliances if _damerau1(_key(distinctive(n)), d)}
            if len(close) == 1:
                return close.pop()
        return None

    def lookup(self, query: str) -> set[str]:
        """Every alliance name a user may mean by ``query`` (full name, short name, part of a
        name), with all the names of each alliance found (see :meth:`groups`)."""
        found = self._lookup(query)
        return {m for n in found for m in self.group_of(n)} if found else found

    def _lookup(self, query: str) -> set[str]:
        k = _key(query)
        if not k:
            return set()
        if k in self._alias:
            return set(self._alias[k])
        resolved = self.resolve(query)
        if resolved:
            return {resolved}
        return {n for n, a in self.alliances.items() if any(k in _key(x) for x in (n, *a.aliases))}
