"""A second reader of the bank that works by word shapes: a multinomial logistic model over
the character n-grams of a passage's lemmas and its content stems, fitted offline on the
shipped bank (scripts/fit_grams.py) and shipped beside it as `data/barriers.grams.npz`.

Why a second reader: the ridge classifier (classifier.py) sees a word only if the bank used
that very stem; respondents say «волокитили», «футболили», «отфутболили», «конвертик»,
«налик», «инет» — forms no bank writer chose. Their n-grams («фут», «бол», «онве») still
carry the bank's evidence, and the softmax over every code plus "no barrier" makes the codes
compete, which is where the ridge's one-vs-rest least squares is weakest. On the written
test splits (classifier alone, turn level) it lifted average precision from 0.70 to 0.80.

It costs one table look-up per distinct lemma of a run (a lemma's n-grams are summed once,
then cached), so a million words add well under a second. Fitting takes scikit-learn and
ten seconds, which is why it is done once, offline, and not at every run: the team's own
codings teach through the classifier, the decided vote and the calibration offsets instead.
The model applies to a study's codes by id under the same rule as the bank (`Bank.means`).
"""

from __future__ import annotations

import importlib.resources
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from qualtool.autocode.profiles import NEGATED, content_stem, content_stems
from qualtool.autocode.vectors import add_grouped, rows_of

MODEL_FILE = "barriers.grams.npz"
GRAM_SIZES = (3, 4, 5)  # characters, over the lemma padded with a space on each side
MIN_WORD = 3  # letters: shorter lemmas («не», «за») carry no shape
GRAM_SCALE = 1.0  # a passage's n-gram part: the sum of its words' unit vectors / √words
STEM_SCALE = 0.9  # its stem part: a unit vector over its content stems, times this


def word_grams(lemma: str) -> list[str]:
    """The distinct n-grams of one lemma (as scikit-learn's «char_wb» analyzer cuts them)."""
    padded = f" {lemma} "
    return list(dict.fromkeys(padded[i : i + n] for n in GRAM_SIZES
                              for i in range(len(padded) - n + 1)))  # fmt: skip


def shaped_words(lemmas: Sequence[str]) -> list[str]:
    """The words whose n-grams count, repeats kept (a repeated word weighs more)."""
    return [x for x in lemmas if len(x) >= MIN_WORD]


def word_vector(
    lemma: str, grams: dict[str, int], idf: np.ndarray
) -> tuple[list[int], list[float]]:
    """A lemma's unit vector over the known n-grams, IDF-weighted: (gram rows, values)."""
    ids = [grams[g] for g in word_grams(lemma) if g in grams]
    if not ids:
        return [], []
    w = idf[ids]
    norm = float(np.sqrt((w * w).sum()))
    return ids, list(w / norm)


def passage_features(
    lemmas: Sequence[str], grams: dict[str, int], idf: np.ndarray, stems: dict[str, int]
) -> dict[int, float]:
    """The model's input for one passage, column → value: its n-gram columns first, then its
    stem columns (offset by the number of n-grams). The fit (scripts/fit_grams.py) reads this
    definition; `GramModel.probabilities` computes the same sums faster, a lemma at a time."""
    out: dict[int, float] = {}
    words = shaped_words(lemmas)
    for x in words:
        ids, vals = word_vector(x, grams, idf)
        for k, v in zip(ids, vals, strict=True):
            out[k] = out.get(k, 0.0) + v * GRAM_SCALE / np.sqrt(len(words))
    found = [stems[s] for s in content_stems(lemmas) if s in stems]
    for k in found:
        out[len(grams) + k] = STEM_SCALE / np.sqrt(len(found))
    return out


@dataclass
class _Lemmas:
    """Per run, what each distinct lemma brings, looked up by row: its n-gram sum, whether it
    counts as a shaped word, its stem's column plain and after «не» (-1: not a feature)."""

    rows: dict[str, int] = field(default_factory=dict)
    parts: list[np.ndarray] = field(default_factory=list)  # (lemmas × classes), joined lazily
    shaped: list[bool] = field(default_factory=list)
    stem: list[int] = field(default_factory=list)
    negated_stem: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class GramModel:
    codes: tuple[str, ...]  # the classes that are codes; the model's last class is "none"
    grams: dict[str, int]  # n-gram → row
    idf: np.ndarray  # (grams,)
    gram_weights: np.ndarray  # (grams, classes)
    stems: dict[str, int]  # content stem (or «не_» + stem) → row
    stem_weights: np.ndarray  # (stems, classes)
    bias: np.ndarray  # (classes,)
    _seen: _Lemmas = field(default_factory=_Lemmas, init=False, repr=False, compare=False)

    def probabilities(self, lemma_lists: Sequence[Sequence[str]]) -> np.ndarray:
        """(passages × codes): each code's share of the softmax over every code and "none"."""
        return self.read(lemma_lists)[0]

    def read(self, lemma_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """`probabilities`, and which passages have a word long enough to have a shape (the
        others get the bias alone: the model has nothing to say about them). The same sums as `passage_features` · weights, done for a whole batch in numpy: only
        the lemma → row look-up runs per word in Python (mapped in C)."""
        n = len(lemma_lists)
        logits = np.tile(self.bias.astype(np.float64), (n, 1))
        rows = [rows_of(self._seen.rows, lemmas, self._add) for lemmas in lemma_lists]
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=n)
        shaped_any = np.zeros(n, dtype=bool)
        if not lengths.sum():
            return _softmax(logits)[:, : len(self.codes)], shaped_any
        seen = self._seen
        flat = np.fromiter(
            (r for row in rows for r in row), dtype=np.int64, count=int(lengths.sum())
        )
        owner = np.repeat(np.arange(n), lengths)
        table = self._table()
        # n-grams: each shaped word's unit vector, scaled by 1/√(shaped words of its passage)
        shaped = np.array(seen.shaped)[flat]
        shaped_any[owner[shaped]] = True
        add_grouped(logits, owner[shaped], table[flat[shaped]], GRAM_SCALE)
        # stems: each distinct one of a passage once, scaled by 1/√(its distinct stems)
        ne = seen.rows.get("не", -1)
        after_ne = np.zeros(len(flat), dtype=bool)
        after_ne[1:] = (flat[:-1] == ne) & (owner[1:] == owner[:-1])
        stem = np.where(after_ne, np.array(seen.negated_stem)[flat], np.array(seen.stem)[flat])
        keep = stem >= 0
        if not keep.any():
            return _softmax(logits)[:, : len(self.codes)], shaped_any
        pairs = np.unique(owner[keep] * len(self.stems) + stem[keep])
        add_grouped(logits, pairs // len(self.stems), self.stem_weights[pairs % len(self.stems)],
                    STEM_SCALE)  # fmt: skip
        return _softmax(logits)[:, : len(self.codes)], shaped_any

    def _add(self, lemmas: Sequence[str], k: int) -> None:
        lemma, seen = lemmas[k], self._seen
        ids, vals = word_vector(lemma, self.grams, self.idf)
        vec = (np.array(vals, dtype=np.float32) @ self.gram_weights[ids] if ids
               else np.zeros(self.gram_weights.shape[1], dtype=np.float32))  # fmt: skip
        seen.rows[lemma] = len(seen.rows)
        seen.parts.append(vec[None, :])
        seen.shaped.append(len(lemma) >= MIN_WORD)
        stem = content_stem(lemma)
        seen.stem.append(self.stems.get(stem, -1) if stem else -1)
        seen.negated_stem.append(self.stems.get(NEGATED + stem, -1) if stem else -1)

    def _table(self) -> np.ndarray:
        parts = self._seen.parts
        if len(parts) > 1:  # the new lemmas of a batch joined to the table once
            parts[:] = [np.concatenate(parts)]
        return parts[0]


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    return np.asarray(p / p.sum(axis=1, keepdims=True))


def save(model: GramModel) -> bytes:
    """The model as npz bytes (float16 weights: three significant digits are plenty), the
    same bytes for the same model: numpy's own savez stamps each member with the time, which
    would make every refit a change in git."""
    arrays = {
        "codes": np.array(model.codes),
        "grams": np.array(sorted(model.grams, key=model.grams.__getitem__)),
        "idf": model.idf.astype(np.float32),
        "gram_weights": model.gram_weights.astype(np.float16),
        "stems": np.array(sorted(model.stems, key=model.stems.__getitem__)),
        "stem_weights": model.stem_weights.astype(np.float16),
        "bias": model.bias.astype(np.float32),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, member.getvalue(), compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def load(data: bytes) -> GramModel:
    with np.load(io.BytesIO(data)) as z:
        return GramModel(
            tuple(str(c) for c in z["codes"]),
            {str(g): n for n, g in enumerate(z["grams"])},
            z["idf"].astype(np.float32),
            z["gram_weights"].astype(np.float32),
            {str(s): n for n, s in enumerate(z["stems"])},
            z["stem_weights"].astype(np.float32),
            z["bias"].astype(np.float32),
        )


@lru_cache(maxsize=1)
def _shipped_bytes() -> bytes | None:
    path = importlib.resources.files("qualtool.autocode") / "data" / MODEL_FILE
    try:
        return path.read_bytes()
    except (FileNotFoundError, OSError):
        return None


def shipped_model() -> GramModel | None:
    """A fresh model from the package (its lemma cache is per run); None if it is missing."""
    data = _shipped_bytes()
    if data is None:
        return None
    try:
        return load(data)
    except (OSError, ValueError, KeyError):
        return None
