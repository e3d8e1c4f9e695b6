"""Public pages of the hub's practices: browse and search them, and read one."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from commons import gate
from commons.practices import selectors


def _page_number(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 8 else 1


@require_safe
@cache_control(public=True, max_age=300)
def practice_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: selectors.MAX_QUERY]
    page = selectors.practice_page(
        query=query, page=_page_number(request.GET.get("page", "1")), path=request.path
    )
    return render(request, "commons/practices/list.html", {"query": query, "page": page})


@require_safe
@cache_control(public=True, max_age=300)
def practice_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    view = selectors.practice_detail(public_id=public_id)
    if view is None:
        raise Http404
    return render(
        request,
        "commons/practices/detail.html",
        {"practice": view, "share": gate.is_share_metric(view.metric), "min_teams": gate.MIN_TEAMS},
    )
