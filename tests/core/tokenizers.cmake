# Tests of tokenizers (expected ids: tests/data/tokenizers/, made by tools/tokenizers/make_expected.mjs)
attnviz_add_test(test_tokenizers_gpt2 SOURCES tokenizers/test_gpt2bpe.cpp LIBS attnviz_core)
attnviz_add_test(test_tokenizers_wordpiece SOURCES tokenizers/test_wordpiece.cpp LIBS attnviz_core)
attnviz_add_test(test_tokenizers_sentencepiece SOURCES tokenizers/test_sentencepiecebpe.cpp LIBS attnviz_core)
attnviz_add_test(test_tokenizers_errors SOURCES tokenizers/test_tokenizererrors.cpp LIBS attnviz_core)
attnviz_add_test(test_tokenizers_unicode SOURCES tokenizers/test_unicode.cpp LIBS attnviz_core)
attnviz_add_test(test_tokenizers_unigram SOURCES tokenizers/test_unigram.cpp LIBS attnviz_core)
# The built-in translator's 16k vocabulary: single-token rate on tests/data/vocab/top2000_words.txt.
attnviz_add_test(test_tokenizers_builtinvocabulary SOURCES tokenizers/test_builtinvocabulary.cpp LIBS attnviz_core LABELS core)
