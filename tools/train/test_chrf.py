"""chrf.py on hand-computed cases (run: /usr/bin/python3 -m unittest tools/train/test_chrf.py)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chrf  # noqa: E402


class TestChrf(unittest.TestCase):
    def test_identical_is_100(self):
        self.assertAlmostEqual(chrf.sentence_chrf("El coche rojo.", "El coche rojo."), 100.0)

    def test_no_shared_character_is_0(self):
        self.assertAlmostEqual(chrf.sentence_chrf("xyz", "abc"), 0.0, places=9)

    def test_whitespace_is_not_a_character(self):
        self.assertAlmostEqual(chrf.sentence_chrf("el coche rojo", "elcoche  rojo"), 100.0)

    def test_short_strings_lack_orders(self):
        # "ab" has no 3..6-grams: those orders count as precision = recall = 0 (sacrebleu).
        self.assertAlmostEqual(chrf.sentence_chrf("ab", "ab"), 100 * 2 / 6)

    def test_hand_computed_prefix(self):
        # hyp "ab", ref "abc": n=1 P 2/2 R 2/3; n=2 P 1/1 R 1/2; n=3 P 0 R 0; n=4..6 nothing.
        # mean P = 2/6 = 1/3, mean R = (2/3 + 1/2) / 6 = 7/36;
        # F2 = 5 P R / (4 P + R) = (35/108) / (55/36) = 7/33.
        self.assertAlmostEqual(chrf.sentence_chrf("ab", "abc"), 700 / 33, places=9)
        self.assertEqual(chrf.statistics("ab", "abc")[:3], [(2, 3, 2), (1, 2, 1), (0, 1, 0)])

    def test_clipped_matches(self):
        # "aa" against "a": one unigram match only (counts are clipped), no bigram in ref.
        # mean P = (1/2 + 0) / 6 = 1/12, mean R = (1/1) / 6 = 1/6; F2 = 5 (1/72) / (1/3 + 1/6) = 5/36.
        self.assertAlmostEqual(chrf.sentence_chrf("aa", "a"), 500 / 36, places=9)

    def test_corpus_sums_statistics(self):
        # Corpus chrF is not the mean of sentence scores: counts are summed first.
        # ("ab","abc") + ("abc","abc"): n=1 5/6 matched 5 of hyp 5; n=2 3 of hyp 3, ref 4; n=3 1 of 1, ref 2.
        # mean P = 3/6 = 1/2; mean R = (5/6 + 3/4 + 1/2) / 6 = 25/72; F2 = 5 (25/144) / (2 + 25/72) = 125/338.
        got = chrf.corpus_chrf(["ab", "abc"], ["abc", "abc"])
        self.assertAlmostEqual(got, 12500 / 338, places=9)
        mean = (chrf.sentence_chrf("ab", "abc") + chrf.sentence_chrf("abc", "abc")) / 2
        self.assertNotAlmostEqual(got, mean, places=3)

    def test_sacrebleu_documented_values(self):
        # Values printed in the Hugging Face chrF metric card, computed there by sacrebleu CHRF().
        self.assertAlmostEqual(chrf.sentence_chrf(
            "The relationship between Obama and Netanyahu is not exactly friendly.",
            "The ties between Obama and Netanyahu are not particularly friendly."), 61.576379378113785, places=9)
        self.assertAlmostEqual(chrf.corpus_chrf(
            ["The relationship between cats and dogs is not exactly friendly.",
             "a good bookshop is just a genteel black hole that knows how to read."],
            ["The relationship between dogs and cats is not exactly friendly.",
             "A good bookshop is just a genteel Black Hole that knows how to read."]), 84.64214891738334, places=9)


if __name__ == "__main__":
    unittest.main()
