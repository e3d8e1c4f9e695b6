"""The practices' part of the hub's API: publish, browse, adopt and report an effect.

Registered on ``commons.api.api`` (imported at the end of that module), so they share its
OpenAPI document, its error shape and its limits. The signed endpoints read the raw body, as
ingest does: the signature covers the exact bytes.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from commons import gate
from commons.apikit import Errors, IngestThrottle, too_large
from commons.practices import selectors, services

router = Router()


class Published(Schema):
    id: str
    revision: int


class Adopted(Schema):
    id: str
    counted: bool


class Reported(Schema):
    id: str


class PracticeSummary(Schema):
    id: str
    title: str
    problem: str
    metric: str
    trialWeeks: int  # noqa: N815 - the API's field names
    publishedWeek: str  # noqa: N815
    adoptions: int


class PracticePage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[PracticeSummary]


class Quartiles(Schema):
    q1: float | None
    median: float | None
    q3: float | None


class Pooled(Schema):
    teams: int
    status: str | None
    before: Quartiles
    after: Quartiles
    change: Quartiles


class PracticeDetail(Schema):
    id: str
    title: str
    problem: str
    practice: str
    metric: str
    before: float | None
    after: float | None
    weeksBefore: int  # noqa: N815
    weeksAfter: int  # noqa: N815
    trialWeeks: int  # noqa: N815
    publishedWeek: str  # noqa: N815
    adoptions: int
    pooled: Pooled


def _body(name: str) -> dict:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": gate.practice_schema(name)}},
        },
        "security": [{"signature": []}],
    }


def _refused(request: HttpRequest) -> Status | None:
    if too_large(request) or len(request.body) > settings.COMMONS_MAX_BODY_BYTES:
        return Status(413, {"errors": ["The body is too large."]})
    return None


def _quartiles(spread: gate.Distribution) -> dict:
    return {"q1": spread.q1, "median": spread.median, "q3": spread.q3}


SIGNED = {400: Errors, 401: Errors, 404: Errors, 409: Errors, 413: Errors, 422: Errors}


@router.post(
    "/v1/practices/",
    response={201: Published, 200: Published, **SIGNED},
    throttle=IngestThrottle(),
    summary="Publish a practice (or revise one published before)",
    openapi_extra=_body("publish"),
)
def practice_publish(request: HttpRequest):
    """Publish a team's practice; anything that looks like personal data is refused (422)."""
    refused = _refused(request)
    if refused:
        return refused
    try:
        practice, created = services.practice_publish(body=request.body, headers=request.headers)
    except services.Refusal as refusal:
        return Status(refusal.status, {"errors": refusal.errors})
    return Status(
        201 if created else 200, {"id": practice.public_id, "revision": practice.revision}
    )


@router.get(
    "/v1/practices/",
    response=PracticePage,
    summary="Practices teams published, newest first; q searches their text",
    url_name="practices",
)
def practice_list(
    request: HttpRequest,
    response: HttpResponse,
    q: str = Query("", max_length=selectors.MAX_QUERY),
    page: int = Query(1, ge=1, le=1_000_000),
) -> dict:
    response["Cache-Control"] = f"public, max-age={settings.COMMONS_CACHE_SECONDS}"
    return selectors.practice_page(query=q, page=page, path=request.path)


@router.get(
    "/v1/practices/{public_id}/",
    response={200: PracticeDetail, 404: Errors},
    summary="One practice: how many teams adopted it, and the pooled effect",
    url_name="practice",
)
def practice_detail(request: HttpRequest, response: HttpResponse, public_id: str):
    """The pooled effect is shown only when enough adopting teams reported (status T if not)."""
    view = selectors.practice_detail(public_id=public_id)
    if view is None:
        return Status(404, {"errors": ["No practice has this id."]})
    response["Cache-Control"] = f"public, max-age={settings.COMMONS_CACHE_SECONDS}"
    pooled = view.pooled
    return Status(
        200,
        {
            "id": view.public_id,
            "title": view.title,
            "problem": view.problem,
            "practice": view.practice,
            "metric": view.metric,
            "before": view.before,
            "after": view.after,
            "weeksBefore": view.weeks_before,
            "weeksAfter": view.weeks_after,
            "trialWeeks": view.trial_weeks,
            "publishedWeek": view.published_week,
            "adoptions": view.adoptions,
            "pooled": {
                "teams": pooled.teams,
                "status": pooled.change.status,
                "before": _quartiles(pooled.before),
                "after": _quartiles(pooled.after),
                "change": _quartiles(pooled.change),
            },
        },
    )


@router.post(
    "/v1/practices/{public_id}/adoptions/",
    response={201: Adopted, 200: Adopted, **SIGNED},
    throttle=IngestThrottle(),
    summary="Adopt a practice: counted once per team, without naming the team",
    openapi_extra=_body("adopt"),
)
def practice_adopt(request: HttpRequest, public_id: str):
    refused = _refused(request)
    if refused:
        return refused
    try:
        practice, counted = services.practice_adopt(
            public_id=public_id, body=request.body, headers=request.headers
        )
    except services.Refusal as refusal:
        return Status(refusal.status, {"errors": refusal.errors})
    return Status(201 if counted else 200, {"id": practice.public_id, "counted": counted})


@router.post(
    "/v1/practices/{public_id}/effects/",
    response={200: Reported, **SIGNED},
    throttle=IngestThrottle(),
    summary="Report what changed in the practice's metric after adopting it",
    openapi_extra=_body("effect"),
)
def effect_report(request: HttpRequest, public_id: str):
    refused = _refused(request)
    if refused:
        return refused
    try:
        services.effect_report(public_id=public_id, body=request.body, headers=request.headers)
    except services.Refusal as refusal:
        return Status(refusal.status, {"errors": refusal.errors})
    return Status(200, {"id": public_id})
