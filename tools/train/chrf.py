"""chrF (Popović 2015) as sacrebleu's default CHRF(): character n-grams n = 1..6, beta = 2,
whitespace removed, no word n-grams, case-sensitive.

Corpus level, as sacrebleu (eps_smoothing off, its default): per order n, the hypothesis /
reference / matched n-gram counts are summed over all sentences; precision and recall of each
order are averaged over the 6 orders (an order with no n-grams counts as 0), and the score is
100 x the F-beta of that mean precision and mean recall.
core/stats/chrf.cpp implements the same definition for the C++ tests.
"""
from collections import Counter

CHAR_ORDER = 6
BETA = 2.0
_EPS = 1e-16  # sacrebleu's value for an undefined precision or recall


def _ngrams(text, n):
    return Counter(text[i:i + n] for i in range(len(text) - n + 1))


def statistics(hypothesis, reference, order=CHAR_ORDER):
    """[(hyp count, ref count, matches)] for n = 1..order; whitespace is not a character."""
    h, r = "".join(hypothesis.split()), "".join(reference.split())
    out = []
    for n in range(1, order + 1):
        hn, rn = _ngrams(h, n), _ngrams(r, n)
        out.append((sum(hn.values()), sum(rn.values()), sum((hn & rn).values())))
    return out


def score_from_statistics(stats, beta=BETA):
    prec = sum(m / h if h > 0 else _EPS for h, _, m in stats) / len(stats)
    rec = sum(m / r if r > 0 else _EPS for _, r, m in stats) / len(stats)
    if prec + rec == 0:
        return 0.0
    factor = beta * beta
    return 100.0 * (1 + factor) * prec * rec / (factor * prec + rec)


def corpus_chrf(hypotheses, references, order=CHAR_ORDER, beta=BETA):
    summed = [[0, 0, 0] for _ in range(order)]
    for hyp, ref in zip(hypotheses, references, strict=True):
        for acc, st in zip(summed, statistics(hyp, ref, order)):
            for k in range(3):
                acc[k] += st[k]
    return score_from_statistics(summed, beta)


def sentence_chrf(hypothesis, reference):
    return corpus_chrf([hypothesis], [reference])
