"""Caseload pages: thin views over caseload.services and caseload.selectors."""
