"""Request ids for the audit log and logs, the Content-Security-Policy header, and the socket's
same-origin check."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port, validate_host

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdMiddleware:
    """Mint a request id, or take a trusted proxy's X-Request-ID when it looks sane; echo it.

    The id is written into the append-only audit log, so a client's own header is accepted
    only when ``TRUST_PROXY_REQUEST_ID`` says a proxy in front sets (and overwrites) it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        trusted = settings.TRUST_PROXY_REQUEST_ID and _SAFE_ID.fullmatch(incoming)
        request_id = incoming if trusted else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Send the policy, letting scripts open sockets to this page's own host and port only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            socket_origin = f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}"
        except DisallowedHost:
            socket_origin = "'self'"
        policy = settings.CONTENT_SECURITY_POLICY.format(socket_origin=socket_origin)
        response.setdefault("Content-Security-Policy", policy)
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


def same_origin_socket(scope: dict) -> bool:
    """Say whether a socket comes from a page of this site: same host and port as it asks for.

    Browsers always send ``Origin`` on sockets; it must name the host and port of the socket's
    own ``Host`` (an allowed host), or be listed in ``CSRF_TRUSTED_ORIGINS`` for a proxy that
    rewrites ``Host``.
    """
    headers = dict(scope.get("headers", []))
    try:
        origin = headers.get(b"origin", b"").decode("ascii").lower()
        host = headers.get(b"host", b"").decode("ascii").lower()
    except UnicodeDecodeError:
        return False
    if not origin:
        return False
    if origin in (trusted.lower() for trusted in settings.CSRF_TRUSTED_ORIGINS):
        return True
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    domain, _ = split_domain_port(host)
    return bool(domain) and netloc == host and validate_host(domain, settings.ALLOWED_HOSTS)


class SameOriginWebsocketValidator:
    """Refuse a socket unless ``same_origin_socket`` accepts it (ASGI middleware)."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if same_origin_socket(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
