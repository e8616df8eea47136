# Tests of the UI shell
