# Tests of tokenizers
