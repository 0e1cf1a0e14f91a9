"""Performance tooling: the data generator, the reference views and the benchmark runner.

Nothing here is part of the product's behaviour; the product's URLs mount the reference views only
when BENCHMARK_REFERENCE_VIEWS is on.
"""
