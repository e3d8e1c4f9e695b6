"""Rota pages. Thin: parse, authorise with ``team_view``, call one service, render."""
