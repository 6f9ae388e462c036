"""Pure statistics core of Koers.

Everything under ``koers.stats`` works on numpy arrays and pandas DataFrames and
never imports Django, so it can be used, tested and benchmarked on its own
(``tests/stats/test_no_django.py`` checks this).
"""
