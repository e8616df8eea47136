# Tests of cli
