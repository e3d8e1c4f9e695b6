"""The template's {% url %} remembers each link, and gives the same answers as Django's."""

from __future__ import annotations

import uuid

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from teams.templatetags.cached_url import _reverse, cached_reverse


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_each_row_gets_its_own_link(team):
    ids = [uuid.uuid4() for _ in range(3)]
    source = "{% for v in ids %}{% url 'caseload:visit' team_slug=slug visit_id=v %} {% endfor %}"
    rendered = _render(source, ids=ids, slug=team.slug).split()
    assert rendered == [
        reverse("caseload:visit", kwargs={"team_slug": team.slug, "visit_id": v}) for v in ids
    ]


def test_the_same_link_twice_is_reversed_once():
    kwargs = {"team_slug": "riverside", "client_id": 7}
    first = cached_reverse("caseload:client", args=[], kwargs=kwargs, current_app=None)
    hits = _reverse.cache_info().hits
    assert cached_reverse("caseload:client", args=[], kwargs=kwargs, current_app=None) == first
    assert _reverse.cache_info().hits == hits + 1
    assert first == reverse("caseload:client", kwargs=kwargs)


def test_an_unknown_link_still_fails_and_as_var_still_swallows_it():
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no-such-page' %}")
    assert _render("{% url 'no-such-page' as link %}[{{ link }}]") == "[]"
