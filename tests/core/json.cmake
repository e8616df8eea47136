# Tests of json
