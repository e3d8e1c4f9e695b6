"""``{% url %}`` that reverses each distinct link once per process, not once per row.

A list page reverses the same few patterns for every row (Today's cards: the client, the visit,
its form; dozens a page), and reversing costs more than the rest of a row's markup. The result
of ``reverse`` depends only on what the key holds: the URL resolver in use (a new one after
``clear_url_caches``), the script prefix, the name, the arguments with their types, and the
current application. Installed as a template builtin, so it replaces Django's tag everywhere.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.template import defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


@lru_cache(maxsize=16_384)
def _reverse(key: tuple, view_name: str, args: tuple, kwargs: tuple, current_app: Any) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def cached_reverse(view_name: str, *, args: list, kwargs: dict, current_app: Any) -> str:
    """Return ``reverse(...)``, remembered under everything its answer depends on."""
    try:
        typed = tuple((name, type(value), value) for name, value in kwargs.items())
        key = (get_resolver(get_urlconf()), get_script_prefix(), tuple(map(type, args)), typed)
        return _reverse(key, view_name, tuple(args), tuple(kwargs.items()), current_app)
    except TypeError:  # an argument that cannot be a key: reverse it every time
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)


class CachedURLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = cached_reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> CachedURLNode:
    node = defaulttags.url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
