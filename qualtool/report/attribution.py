"""Who said it, the way the monitoring reports say it: method, role, and the respondent's
attributes (gender, age band, region), never a name or a date.

    Из глубинного интервью с услугополучателем (женщина, 35–44, ВКО): «…»
    Участница фокус-группы (предприниматель, 45–54, Туркестанская): «…»
    Из наблюдения «тайного покупателя» (ВКО): «…»
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

_ROLE_INSTR = {  # «с кем»: instrumental case after «интервью с»
    "recipient": "услугополучателем",
    "expert": "экспертом",
    "civil_servant": "государственным служащим",
    "entrepreneur": "предпринимателем",
    "interviewer": "интервьюером",
    "other": "участником",
}
_ROLE_NOM = {
    "recipient": "услугополучатель",
    "expert": "эксперт",
    "civil_servant": "государственный служащий",
    "entrepreneur": "предприниматель",
    "interviewer": "интервьюер",
    "other": "участник",
}
_GENDER = {"f": "женщина", "m": "мужчина"}


class Level(StrEnum):
    """How much to say about the speaker: small samples may need less to stay anonymous."""

    FULL = "full"  # role + gender, age band, region
    ROLE = "role"  # role only
    METHOD = "method"  # method only


def _age(band: str | None) -> str | None:
    return band.replace("-", "–") if band else None


def attribution(q: dict[str, Any], level: Level = Level.FULL) -> str:
    """The lead-in before the quote (ends with a colon)."""
    role = q.get("role") or ("interviewer" if q.get("speaker") == "I" else "recipient")
    region = q.get("person_region") or q.get("rec_region")
    bits = [_GENDER.get(q.get("gender") or ""), _age(q.get("age_band")), region]
    details = ", ".join(b for b in bits if b)
    method = q.get("method")
    if method == "focus_group":
        if level == Level.METHOD:
            return "Из фокус-группы:"
        who = "Участница" if q.get("gender") == "f" else "Участник"
        inner = _ROLE_NOM.get(role, "участник")
        if level == Level.FULL:
            inner = ", ".join(b for b in [inner, _age(q.get("age_band")), region] if b)
        return f"{who} фокус-группы ({inner}):"
    if method == "mystery_shopper":
        where = f" ({region})" if region and level == Level.FULL else ""
        return f"Из наблюдения «тайного покупателя»{where}:"
    if level == Level.METHOD:
        return "Из глубинного интервью:"
    lead = f"Из глубинного интервью с {_ROLE_INSTR.get(role, 'участником')}"
    if level == Level.FULL and details:
        lead += f" ({details})"
    return lead + ":"


def guillemets(text: str) -> str:
    """«…» around a quote; inner «» become „“ as Russian typography wants."""
    inner = text.strip().replace("«", "„").replace("»", "“")
    return f"«{inner}»"
