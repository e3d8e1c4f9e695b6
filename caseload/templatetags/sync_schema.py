"""Embed the sync schema in the page for static/js/outbox.js (one source of truth)."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from caseload.sync.schema import published

register = template.Library()


@register.simple_tag
def outbox_schema() -> SafeString:
    return json_script(published(), "outbox-schema")
