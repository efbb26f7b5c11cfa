"""Inter-coder reliability statistics on categorical data: percent agreement, Cohen's κ,
Krippendorff's α (nominal, any number of coders, missing values allowed).

Input is a reliability matrix: one row per unit, one value per coder, None where a coder did
not judge that unit. Pure functions, no I/O: the worked examples in tests/test_reliability.py
come from the papers that define them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from itertools import permutations

Value = Hashable | None
Matrix = Sequence[Sequence[Value]]


def percent_agreement(units: Matrix) -> float | None:
    """Share of agreeing coder pairs over all pairable values (the plain "% agreement")."""
    agree = pairs = 0
    for unit in units:
        vals = [v for v in unit if v is not None]
        for i in range(len(vals)):
            for j in range(i + 1, len(vals)):
                pairs += 1
                agree += vals[i] == vals[j]
    return agree / pairs if pairs else None


def cohen_kappa(units: Matrix) -> float | None:
    """Cohen (1960) for exactly two coders; units either coder skipped are left out.
    None when chance agreement is total (both coders used one and the same category)."""
    pairs = [(u[0], u[1]) for u in units if u[0] is not None and u[1] is not None]
    if not pairs:
        return None
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[c] * cb[c] for c in ca.keys() | cb.keys()) / (n * n)
    if pe == 1:
        return None
    return (po - pe) / (1 - pe)


def krippendorff_alpha(units: Matrix) -> float | None:
    """Krippendorff's α for nominal data via the coincidence matrix (Krippendorff 2011,
    "Computing Krippendorff's Alpha-Reliability"). Units with fewer than two values are not
    pairable and drop out. None when there is no variation at all (α is undefined)."""
    coincidence: dict[tuple[Value, Value], float] = defaultdict(float)
    for unit in units:
        vals = [v for v in unit if v is not None]
        m = len(vals)
        if m < 2:
            continue
        for a, b in permutations(vals, 2):
            coincidence[(a, b)] += 1 / (m - 1)
    n_c: dict[Value, float] = defaultdict(float)
    for (a, _), w in coincidence.items():
        n_c[a] += w
    n = sum(n_c.values())
    if n <= 1:
        return None
    observed = sum(w for (a, b), w in coincidence.items() if a != b)
    expected = sum(n_c[a] * n_c[b] for a in n_c for b in n_c if a != b)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected
