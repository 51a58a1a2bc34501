"""A small n-gram language model in ARPA format, written from a text corpus, and a
pronunciation dictionary for its words (for the offline speech recogniser).

Smoothing: interpolated absolute discounting (one discount per order, Ney's estimate
``D = n1 / (n1 + 2 n2)`` from the counts of n-grams seen once and twice, clamped to
[0.1, 0.9]). For a history ``h`` seen ``c(h)`` times, followed by ``N1+(h)`` different words::

    P(w | h) = max(c(h w) - D, 0) / c(h) + gamma(h) * P(w | h'),  gamma(h) = D * N1+(h) / c(h)

where ``h'`` is ``h`` without its first word. ARPA stores exactly this: every listed n-gram
carries its interpolated probability, and ``gamma(h)`` is the back-off weight of ``h``, so an
unlisted word gets ``gamma(h) * P(w | h')`` and every distribution sums to one. Unigrams are
the relative frequencies, mixed with a uniform share (``UNIFORM``) so no word of the
vocabulary is impossible. ``<s>`` is a history only (probability -99 in ARPA, as usual).

Pronunciations come from the CMU dictionary that ships with pocketsphinx; a word it lacks
(synthetic surnames such as "testcase") is spelt as a compound of dictionary words
("test" + "case") when one exists, and left out of the model otherwise.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

BOS, EOS = "<s>", "</s>"
UNIFORM = 0.02
PROB_FLOOR = -99.0


def _log10(p: float) -> float:
    return math.log10(p) if p > 0 else PROB_FLOOR


class NgramModel:
    """Counts of a tokenised corpus and the smoothed probabilities derived from them."""

    def __init__(self, sentences: Iterable[list[str]], order: int = 3) -> None:
        if order < 1:
            raise ValueError("order must be at least 1")
        self.order = order
        self.counts: list[Counter[tuple[str, ...]]] = [Counter() for _ in range(order + 1)]
        for words in sentences:
            if not words:
                continue
            padded = [BOS, *words, EOS]
            for n in range(1, order + 1):
                for i in range(len(padded) - n + 1):
                    gram = tuple(padded[i : i + n])
                    if gram == (BOS,):
                        continue
                    self.counts[n][gram] += 1
        self.vocab = sorted({g[0] for g in self.counts[1]} | {BOS})
        self._total = sum(self.counts[1].values())
        # history statistics: c(h) as a history and N1+(h), per order
        self._hist: list[dict[tuple[str, ...], list[int]]] = [{} for _ in range(order + 1)]
        for n in range(2, order + 1):
            table: dict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
            for gram, c in self.counts[n].items():
                entry = table[gram[:-1]]
                entry[0] += c
                entry[1] += 1
            self._hist[n] = dict(table)
        self.discounts = [0.0, 0.0] + [self._discount(n) for n in range(2, order + 1)]

    def _discount(self, n: int) -> float:
        values = Counter(self.counts[n].values())
        n1, n2 = values.get(1, 0), values.get(2, 0)
        d = n1 / (n1 + 2 * n2) if n1 + n2 else 0.5
        return min(0.9, max(0.1, d))

    def unigram(self, word: str) -> float:
        if word == BOS:
            return 0.0
        size = len(self.vocab) - 1  # <s> is never predicted
        return (1 - UNIFORM) * self.counts[1].get((word,), 0) / self._total + UNIFORM / size

    def backoff(self, history: tuple[str, ...]) -> float:
        """gamma(h): the weight given to the shorter history (1.0 for an unseen history)."""
        n = len(history) + 1
        if n > self.order or history not in self._hist[n]:
            return 1.0
        total, types = self._hist[n][history]
        return self.discounts[n] * types / total

    def prob(self, word: str, history: tuple[str, ...] = ()) -> float:
        history = history[-(self.order - 1):] if self.order > 1 else ()
        if not history:
            return self.unigram(word)
        lower = self.prob(word, history[1:])
        n = len(history) + 1
        stats = self._hist[n].get(history)
        if stats is None:
            return lower
        total, _ = stats
        c = self.counts[n].get((*history, word), 0)
        return max(c - self.discounts[n], 0.0) / total + self.backoff(history) * lower

    def to_arpa(self, keep: set[str] | None = None) -> str:
        """The model as ARPA text; with ``keep``, only n-grams whose words are all in it
        (the probabilities are not renormalised: the few dropped words keep their mass)."""

        def ok(gram: tuple[str, ...]) -> bool:
            return keep is None or all(w in keep or w in (BOS, EOS) for w in gram)

        sections: list[list[str]] = []
        unigrams = [w for w in self.vocab if ok((w,))]
        sections.append([self._line((w,), PROB_FLOOR if w == BOS else _log10(self.unigram(w)))
                         for w in unigrams])
        for n in range(2, self.order + 1):
            grams = sorted(g for g in self.counts[n] if ok(g))
            sections.append([self._line(g, _log10(self.prob(g[-1], g[:-1]))) for g in grams])
        out = ["\\data\\"]
        out += [f"ngram {n}={len(lines)}" for n, lines in enumerate(sections, start=1)]
        for n, lines in enumerate(sections, start=1):
            out += ["", f"\\{n}-grams:", *lines]
        out += ["", "\\end\\", ""]
        return "\n".join(out)

    def _line(self, gram: tuple[str, ...], logp: float) -> str:
        text = f"{logp:.4f}\t{' '.join(gram)}"
        if len(gram) < self.order and gram[-1] != EOS and self._is_history(gram):
            text += f"\t{_log10(self.backoff(gram)):.4f}"
        return text

    def _is_history(self, gram: tuple[str, ...]) -> bool:
        return gram in self._hist[len(gram) + 1]


# ----------------------------------------------------------------------- pronunciations


def read_dictionary(path: Path) -> dict[str, list[str]]:
    """A CMU-format dictionary: word → its pronunciations (alternates "word(2)" folded in)."""
    out: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = parts[0].split("(")[0]
            out[word].append(" ".join(p for p in parts[1:] if not p.startswith("#")))
    return dict(out)


def spell_compound(word: str, lexicon: dict[str, list[str]], *, min_piece: int = 3,
                   max_pieces: int = 3) -> str | None:
    """A pronunciation for ``word`` as the concatenation of dictionary words ("sampleton" →
    "sample" + "ton"); fewest pieces first, then longest first piece. None if none fits."""
    best: list[str] | None = None

    def search(rest: str, pieces: list[str]) -> None:
        nonlocal best
        if not rest:
            if best is None or len(pieces) < len(best):
                best = list(pieces)
            return
        if len(pieces) >= max_pieces or (best is not None and len(pieces) + 1 >= len(best)):
            return
        for cut in range(len(rest), min_piece - 1, -1):
            piece = rest[:cut]
            if piece in lexicon and (len(rest) - cut == 0 or len(rest) - cut >= min_piece):
                search(rest[cut:], [*pieces, piece])

    search(word, [])
    if best is None:
        return None
    return " ".join(lexicon[piece][0] for piece in best)


def build_dictionary(words: Iterable[str], lexicon: dict[str, list[str]]
                     ) -> tuple[list[str], list[str]]:
    """Dictionary lines (CMU format) for ``words``, and the words that got none."""
    lines: list[str] = []
    missing: list[str] = []
    for word in sorted(set(words)):
        if word in (BOS, EOS):
            continue
        prons = lexicon.get(word)
        if not prons:
            compound = spell_compound(word, lexicon)
            prons = [compound] if compound else []
        if not prons:
            missing.append(word)
            continue
        for i, pron in enumerate(prons):
            lines.append(f"{word} {pron}" if i == 0 else f"{word}({i + 1}) {pron}")
    return lines, missing
