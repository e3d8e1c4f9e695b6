"""A language per person: the middleware that applies it, the one-tap switch, and the
JavaScript catalogue served per language so the service worker can keep both offline."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog

from teams import services

# The JavaScript catalogue and the offline page change only with a deploy; the service worker
# precaches them per language, so the browser may keep them a day.
CATALOGUE_MAX_AGE = 24 * 60 * 60


class UserLanguageMiddleware:
    """Use the logged-in person's chosen language, overriding the cookie and the browser's.

    Runs after LocaleMiddleware (which served anyone not logged in) and AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(request.user, "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("back", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch language in one tap: on the account if logged in, in a cookie either way.

    The cookie keeps the choice on shared devices (the client's question after a visit) and on
    the login page; the account keeps it across devices and for printed outputs.
    """
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponse(status=400)
    user = getattr(request, "user", None)  # the hub alone has no logins (PATCH_ROLE=hub)
    if user is not None and user.is_authenticated:
        services.user_language_set(user=user, language=language)
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def javascript_catalog(request: HttpRequest, language: str) -> HttpResponse:
    """Serve the scripts' strings for one named language (a stable URL per language)."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        response = JavaScriptCatalog.as_view()(request)
    response["Cache-Control"] = f"public, max-age={CATALOGUE_MAX_AGE}"
    return response


def language_from_query(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let ``?lang=`` choose the language of one page without touching anyone's account.

    For the client's question on the nurse's tablet: the client picks English or Welsh, and the
    nurse's own language stays as it was.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        language = request.GET.get("lang", "")
        if language not in dict(settings.LANGUAGES):
            return view(request, *args, **kwargs)
        with translation.override(language):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response["Content-Language"] = language
        return response

    return wrapper
