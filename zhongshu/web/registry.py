"""What modules plug into the shell, declared as data: navigation, workbench cards, search providers.

Each app registers its entries in its AppConfig.ready() (see `<app>/nav.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse

from zhongshu.access.permissions import has_perm

SECTIONS = {
    "home": ("首页", 0),
    "work": ("办文办会", 10),
    "info": ("信息", 20),
    "org": ("组织人员", 30),
    "system": ("系统管理", 80),
    "security": ("安全保密", 85),
    "audit": ("安全审计", 90),
}


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    section: str
    perm: str | None = None  # None: every signed-in person
    order: int = 100
    icon: str = "•"


@dataclass(frozen=True)
class Card:
    """A 工作台 card. `context(request)` returns the template context; only called when `perm` holds."""

    key: str
    title: str
    template: str
    context: Callable[[Any], dict]
    perm: str | None = None
    order: int = 100
    url_name: str | None = None


@dataclass(frozen=True)
class SearchProvider:
    """Global search over one module: `search(user, q, limit)` returns SearchHit rows (through restrict)."""

    key: str
    label: str
    search: Callable[[Any, str, int], list[SearchHit]]
    perm: str | None = None


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    snippet: str = ""
    meta: str = ""
    classification: int = 0


@dataclass
class _Registry:
    nav: dict[str, NavItem] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    search: dict[str, SearchProvider] = field(default_factory=dict)


registry = _Registry()


def register_nav(*items: NavItem) -> None:
    for item in items:
        if item.section not in SECTIONS:
            raise ValueError(f"未知的导航分区：{item.section}")
        registry.nav[item.key] = item


def register_card(card: Card) -> None:
    registry.cards[card.key] = card


def register_search(provider: SearchProvider) -> None:
    registry.search[provider.key] = provider


def _allowed(user, perm: str | None) -> bool:
    return perm is None or has_perm(user, perm)


def _matches(url: str, path: str) -> bool:
    """`/` (the 工作台) only on itself; any other item on its own URL and everything below it."""
    return path == url if url == "/" else path.startswith(url)


def nav_for(user, current_path: str = "") -> list[dict]:
    """The nav sections the person may see. Exactly one item is active: the one whose URL is the longest prefix
    of the current path (/flow/toread/ highlights 待阅, not 待办 at /flow/ as well), none when nothing matches."""
    sections: dict[str, list[dict]] = {}
    entries: list[dict] = []
    for item in sorted(registry.nav.values(), key=lambda i: (SECTIONS[i.section][1], i.order)):
        if not _allowed(user, item.perm):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entry = {"label": item.label, "url": url, "icon": item.icon, "active": False}
        entries.append(entry)
        sections.setdefault(item.section, []).append(entry)
    best = max((e for e in entries if _matches(e["url"], current_path)), key=lambda e: len(e["url"]), default=None)
    if best is not None:
        best["active"] = True
    return [{"label": SECTIONS[key][0], "items": items} for key, items in sections.items()]


def cards_for(user) -> list[Card]:
    return [c for c in sorted(registry.cards.values(), key=lambda c: c.order) if _allowed(user, c.perm)]


def search_providers_for(user) -> list[SearchProvider]:
    return [p for p in registry.search.values() if _allowed(user, p.perm)]
