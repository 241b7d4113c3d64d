"""The law engine: legislation as data, evaluated for one person or a whole population.

Plain Python (and Polars for populations); no web, CLI or database framework.
"""
