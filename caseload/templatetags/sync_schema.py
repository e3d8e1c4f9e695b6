"""Embed the sync schema in the page for static/js/outbox.js (one source of truth)."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import trans_real

from caseload.sync.schema import published

register = template.Library()

# The schema changes only with the code and the language, but every page with the outbox
# carries it: keep it per translation catalogue (the catalogue itself as key, so a catalogue
# swapped at run time, as the pseudo-locale test does, is never served another's labels).
_RENDERED: dict[object, SafeString] = {}
_KEPT = 8  # languages, with room for catalogues made afresh by deactivate_all()


@register.simple_tag
def outbox_schema() -> SafeString:
    catalogue = trans_real.catalog()
    if (rendered := _RENDERED.get(catalogue)) is None:
        if len(_RENDERED) >= _KEPT:
            _RENDERED.clear()
        rendered = _RENDERED[catalogue] = json_script(published(), "outbox-schema")
    return rendered
