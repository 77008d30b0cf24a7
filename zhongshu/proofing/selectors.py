"""公文校对 reads: an organization's settings as the engine's Config."""

from __future__ import annotations

from zhongshu.proofread import RULES, Config

from .models import ProofreadSettings


def parse_banned_terms(text: str) -> tuple[tuple[str, str | None], ...]:
    """Lines "词语" or "词语=>建议" → ((term, replacement or None), …)."""
    out: list[tuple[str, str | None]] = []
    for raw in (text or "").splitlines():
        term, _sep, rep = raw.strip().partition("=>")
        term, rep = term.strip(), rep.strip()
        if term:
            out.append((term, rep or None))
    return tuple(out)


def settings_for(organization) -> ProofreadSettings | None:
    if organization is None:
        return None
    return ProofreadSettings.objects.filter(organization=organization).first()


def config_for(organization) -> Config:
    """The engine Config of an organization (defaults when it has no settings row)."""
    s = settings_for(organization)
    if s is None:
        return Config()
    return Config(
        disabled_rules=frozenset(r for r in (s.disabled_rules or []) if r in RULES),
        banned_terms=parse_banned_terms(s.banned_terms),
    )
