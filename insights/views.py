from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from insights.codes import CODES


@require_GET
def codes_json(request: HttpRequest) -> JsonResponse:
    """Publish the code list: it is public (no personal data), so anyone may read it."""
    return JsonResponse({"version": 1, "codes": [code.as_json() for code in CODES]})
