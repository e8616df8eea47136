# Sources of core/tokenizers
