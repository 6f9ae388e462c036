"""Recruitment: the selection funnel by gender (and, to come, vacancy and appraisal texts)."""
