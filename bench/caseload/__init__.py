"""Caseload benchmark: Today, client page and search on a 5,000-client team."""
