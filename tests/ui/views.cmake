# Tests of the arcs, model grid, pipeline and chart views
