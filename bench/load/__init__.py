"""Parts of bench/load_respondents.py, the load and fault benchmark (run that script)."""
