"""translation_eval.py's gold links and alignment hits on hand-made cases
(run: /usr/bin/python3 -m unittest tools/train/test_translation_eval.py)."""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translation_eval as ev  # noqa: E402

LEXICON = {"the": "el", "red": "rojo", "car": "coche", "is": "es", "fast": "rápido", "house": "casa"}


class TestGoldLinks(unittest.TestCase):
    def test_noun_adjective_swap(self):
        # target word index -> source word index; "El" and "el" are both "the" but only one is in the target.
        links = ev.gold_links("the red car is fast.", "El coche rojo es rápido.", LEXICON)
        self.assertEqual(sorted(links), [(0, 0), (1, 2), (2, 1), (3, 3), (4, 4)])

    def test_inflected_forms_share_the_stem(self):
        self.assertEqual(ev.gold_links("the red house", "la casa roja", LEXICON), [(1, 2), (2, 1)])

    def test_ambiguous_links_are_dropped(self):
        # Two "el" in the target for one "the": neither is linked.
        self.assertEqual(ev.gold_links("the car", "el coche el", LEXICON), [(1, 1)])

    def test_unknown_words_are_not_linked(self):
        self.assertEqual(ev.gold_links("the zorb", "el zorb", LEXICON), [(0, 0)])


class TestAlignmentHits(unittest.TestCase):
    def test_argmax_inside_the_source_word(self):
        # One layer, two heads; source "<s> a b </s>" (word 0 = token 1, word 1 = token 2); target of 2 words.
        cross = np.zeros((1, 2, 3, 4))
        cross[0, 0, 0, 2] = 1.0  # head 0: query 0 reads word 1
        cross[0, 0, 1, 1] = 1.0  # query 1 reads word 0
        cross[0, 1, :, 3] = 1.0  # head 1 always reads </s>
        links = [(0, 1), (1, 0)]  # target word 0 <- source word 1 (the swap), 1 <- 0
        hits = ev.alignment_hits([cross[0]], links, [(0, 1), (1, 2)], [(0, 1), (1, 2)])
        self.assertEqual(hits.tolist(), [[2.0, 0.0]])


if __name__ == "__main__":
    unittest.main()
