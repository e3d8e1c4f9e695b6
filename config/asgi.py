"""ASGI entry point: HTTP through Django, websockets through the authenticated team router."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from teams.live import relayed  # noqa: E402
from teams.middleware import SameOriginWebsocketValidator  # noqa: E402
from teams.routing import websocket_urlpatterns  # noqa: E402

if settings.PATCH_ROLE == "hub":  # the hub alone has no sockets, no logins and no live events
    application = ProtocolTypeRouter({"http": django_asgi_app})
else:
    application = relayed(
        ProtocolTypeRouter(
            {
                "http": django_asgi_app,
                "websocket": SameOriginWebsocketValidator(
                    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
                ),
            }
        )
    )
