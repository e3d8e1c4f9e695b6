"""The hub's HTTP API, typed with django-ninja so its OpenAPI description is generated.

Enrolment and ingest read the raw body themselves: the signature covers the exact bytes, and a
malformed body must answer 400 (not the 422 a declared body would give). Their request bodies
are described in OpenAPI from the published JSON Schema.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from ninja import NinjaAPI, Query, Schema, Status

from commons import gate, selectors, services
from commons.apikit import Errors, IngestThrottle, too_large
from commons.practices.api import router as practices

api = NinjaAPI(
    title="Patch commons hub",
    version="1",
    description="Anonymised weekly figures from self-organising care teams, as open data.",
    openapi_url="/openapi.json",
    docs_url=None,  # Swagger UI loads scripts from a CDN, which the page's CSP forbids.
    urls_namespace="commons-api",
)


class Enrolled(Schema):
    orgUnit: str  # noqa: N815 - the payload's own field names
    key: str


class ImportCount(Schema):
    imported: int
    updated: int
    ignored: int


class Conflict(Schema):
    dataElement: str  # noqa: N815
    category: str
    reason: str


class ImportSummary(Schema):
    status: str
    dryRun: bool  # noqa: N815
    importCount: ImportCount  # noqa: N815
    conflicts: list[Conflict]
    revision: int


class Observation(Schema):
    TIME_PERIOD: str
    REF_AREA: str
    SERVICE_TYPE: str
    DATA_ELEMENT: str
    CATEGORY: str
    MEASURE: str
    OBS_VALUE: float | None
    OBS_STATUS: str | None
    N_TEAMS: int | None


class ObservationPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[Observation]


class Category(Schema):
    code: str
    group: str | None


class Element(Schema):
    code: str
    kind: str
    unit: str
    description: str
    total: str | None
    categories: list[Category]


class ReasonCode(Schema):
    code: str
    meaning: str


class Region(Schema):
    code: str
    name: str


class CodeList(Schema):
    schemaVersion: str  # noqa: N815
    elements: list[Element]
    statuses: list[ReasonCode]
    regions: list[Region]
    serviceTypes: list[str]  # noqa: N815
    sizeBands: list[str]  # noqa: N815


def _errors(*messages: str) -> dict:
    return {"errors": list(messages)}


@api.post(
    "/v1/teams/",
    response={201: Enrolled, 400: Errors, 401: Errors, 413: Errors},
    summary="Enrol a team",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": gate.attributes_schema()}},
        },
        "security": [{"enrolToken": []}],
    },
)
def enrol(request: HttpRequest):
    """Issue an opaque team reference and its signing key; the key is never shown again."""
    token = settings.COMMONS_ENROL_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not constant_time_compare(given, f"Bearer {token}"):
        return Status(401, _errors("A valid enrolment token is needed."))
    if too_large(request):
        return Status(413, _errors("The body is too large."))
    try:
        attributes = json.loads(request.body)
        team, key = services.team_enrol(attributes=attributes)
    except (ValueError, RecursionError, services.EnrolError) as problem:
        reason = str(problem) if isinstance(problem, services.EnrolError) else "Not JSON."
        return Status(400, _errors(reason))
    return Status(201, {"orgUnit": team.ref, "key": key})


@api.post(
    "/v1/datavaluesets/",
    response={
        200: ImportSummary,
        400: Errors,
        401: Errors,
        409: Errors,
        413: Errors,
        422: Errors,
    },
    throttle=IngestThrottle(),
    summary="Send one team's figures for one ISO week",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": gate.payload_schema()}},
        },
        "security": [{"signature": []}],
    },
)
def ingest(request: HttpRequest, dryRun: bool = False):  # noqa: N803
    """Import a signed data value set; with ``dryRun`` only report what would happen."""
    if too_large(request) or len(request.body) > settings.COMMONS_MAX_BODY_BYTES:
        return Status(413, _errors("The body is too large."))
    try:
        result = services.datavalueset_ingest(
            body=request.body, headers=request.headers, dry_run=dryRun
        )
    except services.IngestError as refusal:
        return Status(refusal.status, _errors(*refusal.errors))
    return Status(
        200,
        {
            "status": result.status,
            "dryRun": result.dry_run,
            "importCount": {
                "imported": result.imported,
                "updated": result.updated,
                "ignored": result.ignored,
            },
            "conflicts": result.conflicts,
            "revision": result.revision,
        },
    )


@api.get(
    "/v1/observations/",
    response=ObservationPage,
    summary="Published hub figures",
    url_name="observations",
)
def observations(
    request: HttpRequest, response: HttpResponse, page: int = Query(1, ge=1, le=1_000_000)
) -> dict:
    """Page through every published observation (the same rows as data.csv)."""
    response["Cache-Control"] = f"public, max-age={settings.COMMONS_CACHE_SECONDS}"
    return selectors.observation_page(page=page, path=request.path)


@api.get(
    "/v1/codes/",
    response=CodeList,
    summary="The code list, frontline and overhead",
    url_name="codes",
)
def codes(request: HttpRequest) -> dict:
    return gate.code_list()


api.add_router("", practices)
