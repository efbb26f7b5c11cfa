"""Group coded quotes into report sections with counts, chosen quotes and recommendations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from qualtool.domain import Codebook, Method
from qualtool.i18n.numbers import decimal
from qualtool.report.quotes import Quote
from qualtool.report.ranking import representative
from qualtool.report.recommendations import Recommendation, for_codes


class GroupBy(StrEnum):
    CODE = "code"
    SERVICE = "service"
    REGION = "region"
    METHOD = "method"


@dataclass
class Counts:
    interviews: int = 0
    focus_groups: int = 0
    mystery_shoppers: int = 0
    respondents: int = 0
    codings: int = 0
    segments: int = 0
    share: float = 0.0  # of all coded segments in the report's scope

    @classmethod
    def of(cls, quotes: list[Quote], all_segments: int) -> Counts:
        recs: dict[str, set[str]] = defaultdict(set)
        for q in quotes:
            recs[q.method].add(q.recording)
        segs = {q.segment_id for q in quotes}
        return cls(
            interviews=len(recs[Method.INTERVIEW]), focus_groups=len(recs[Method.FOCUS_GROUP]),
            mystery_shoppers=len(recs[Method.MYSTERY_SHOPPER]),
            respondents=len({q.respondent for q in quotes}), codings=len(quotes),
            segments=len(segs), share=len(segs) / all_segments if all_segments else 0.0,
        )  # fmt: skip

    def sentence(self) -> str:
        """The analytic lead the seeds open a section with, drafted from the counts."""
        where = []
        for n, one, few, many in (
            (self.interviews, "глубинном интервью", "глубинных интервью", "глубинных интервью"),
            (self.focus_groups, "фокус-группе", "фокус-группах", "фокус-группах"),
            (self.mystery_shoppers, "визите «тайного покупателя»", "визитах «тайного покупателя»",
             "визитах «тайного покупателя»"),
        ):  # fmt: skip
            if n:
                where.append(f"{n} {_plural(n, one, few, many)}")
        people = _plural(self.respondents, "респондент", "респондента", "респондентов")
        joined = (
            ", ".join(where[:-1]) + (" и " if len(where) > 1 else "") + where[-1] if where else "—"
        )
        return (f"Упоминается в {joined}: {self.respondents} {people}, "
                f"{self.segments} {_plural(self.segments, 'фрагмент', 'фрагмента', 'фрагментов')} "
                f"({_percent(self.share)} кодированных фрагментов).")  # fmt: skip

    def overview(self) -> str:
        """The report's opening line: where the coded material comes from."""
        return "Всего: " + self.sentence()[0].lower() + self.sentence()[1:]


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _percent(x: float) -> str:
    return decimal(100 * x, 1, "ru") + " %"  # the report is written in Russian


@dataclass
class Section:
    key: str
    title: str
    level: int
    counts: Counts
    quotes: list[Quote]
    candidates: int
    recommendations: list[Recommendation] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)


@dataclass
class Report:
    title: str
    grouping: GroupBy
    generated: date
    scope: str
    sections: list[Section]
    totals: Counts
    anonymised: bool
    timestamps: bool

    def walk(self) -> list[Section]:
        out: list[Section] = []

        def visit(s: Section) -> None:
            out.append(s)
            for c in s.children:
                visit(c)

        for s in self.sections:
            visit(s)
        return out


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    """Two coders on the same span (or consensus + coder) are one quote for a report."""
    seen: dict[tuple[str, int, str], Quote] = {}
    for q in quotes:
        k = (q.code_id, q.segment_id, q.text)
        if k not in seen or (q.pinned and not seen[k].pinned):
            seen[k] = q
    return list(seen.values())


def by_code(cb: Codebook, quotes: list[Quote], recs: list[Recommendation], k: int,
            all_segments: int, level: int = 2) -> list[Section]:  # fmt: skip
    per: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        per[q.code_id].append(q)

    def build(code_id: str | None, depth: int) -> list[Section]:
        out = []
        for code in cb.children(code_id):
            kids = build(code.id, depth + 1)
            own = per.get(code.id, [])
            if not own and not kids:
                continue
            every = own + [q for c in cb.descendants(code.id) for q in per.get(c.id, [])]
            out.append(Section(
                key=code.id, title=code.label_ru, level=depth, counts=Counts.of(every, all_segments),
                quotes=representative(own, k), candidates=len(own),
                recommendations=for_codes(recs, {code.id}), children=kids,
            ))  # fmt: skip
        return out

    sections = build(None, level)
    unknown = sorted(c for c in per if c not in cb)
    for code_id in unknown:  # codes since removed from the file: still reported, never lost
        sections.append(Section(code_id, code_id, level, Counts.of(per[code_id], all_segments),
                                representative(per[code_id], k), len(per[code_id])))  # fmt: skip
    return sections


def group(cb: Codebook, quotes: list[Quote], recs: list[Recommendation], by: GroupBy, k: int,
          all_segments: int) -> list[Section]:  # fmt: skip
    quotes = _dedupe(quotes)
    if by == GroupBy.CODE:
        return by_code(cb, quotes, recs, k, all_segments)
    key: Callable[[Quote], str] = {
        GroupBy.SERVICE: lambda q: q.service or "Услуга не указана",
        GroupBy.REGION: lambda q: q.region or "Регион не указан",
        GroupBy.METHOD: lambda q: Method(q.method).label_ru.capitalize(),
    }[by]
    order = ["interview", "mystery_shopper", "focus_group", "other"]  # the seeds' IDI → MS → FG
    buckets: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        buckets[key(q)].append(q)

    def rank(name: str) -> tuple[int, str]:
        if by == GroupBy.METHOD:
            return next(
                i for i, m in enumerate(order) if Method(m).label_ru.capitalize() == name
            ), ""
        return 0, name

    out = []
    for name in sorted(buckets, key=rank):
        qs = buckets[name]
        out.append(Section(
            key=name, title=name, level=2, counts=Counts.of(qs, all_segments), quotes=[],
            candidates=len(qs), children=by_code(cb, qs, recs, k, all_segments, level=3),
        ))  # fmt: skip
    return out
