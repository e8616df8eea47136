# Tests of attention
