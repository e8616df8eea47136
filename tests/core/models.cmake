# Tests of models
