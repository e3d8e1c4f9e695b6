"""Pages for two-factor sign-in: set the app up, enter a code, recovery codes, turn it off."""

from __future__ import annotations

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from teams import throttle, twofactor
from teams.forms import GovukForm


class CodeForm(GovukForm, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def refuse(self, *, user_id: int) -> None:
        """Say why the code did not work: wrong, or too many wrong codes for now."""
        if throttle.two_factor_locked(user_id=user_id):
            message = _("Too many wrong codes. Wait %(minutes)d minutes, then try again.") % {
                "minutes": settings.TWO_FACTOR_LOCKOUT_SECONDS // 60
            }
        else:
            message = _("Enter the code your authenticator app shows now, or a recovery code.")
        self.add_error("code", message)


def _next(request: HttpRequest) -> str:
    return twofactor.safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    response = render(
        request, "teams/twofactor/recovery_codes.html", {"codes": codes, "next": next_url}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    context = {
        "on": twofactor.is_on(user=request.user),
        "required": twofactor.is_required(user=request.user),
        "codes_left": twofactor.recovery_codes_left(user=request.user),
    }
    return render(request, "teams/twofactor/settings.html", context)


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code for a new app; the first right code turns two-factor sign-in on."""
    next_url = _next(request)
    if twofactor.is_on(user=request.user):
        return HttpResponseRedirect(next_url)
    device = twofactor.device_begin(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.device_confirm(device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.cycle_key()
            twofactor.mark_verified(request.session)
            return _codes_page(request, codes, next_url)
        form.refuse(user_id=request.user.pk)
    key = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "required": request.session.get(twofactor.PENDING) == twofactor.SETUP,
        # segno escapes the data; the URL holds the secret, so it is never logged or linked.
        "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),  # noqa: S308
        "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
    }
    response = render(request, "teams/twofactor/setup.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Take a code to finish signing in, or to confirm it is still you before managing members."""
    next_url = _next(request)
    if not twofactor.is_on(user=request.user):
        return twofactor.redirect_to("two_factor_setup", next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.code_accepted(user=request.user, code=form.cleaned_data["code"]):
            request.session.cycle_key()
            twofactor.mark_verified(request.session)
            return HttpResponseRedirect(next_url)
        form.refuse(user_id=request.user.pk)
    signing_in = request.session.get(twofactor.PENDING) == twofactor.VERIFY
    return render(
        request,
        "teams/twofactor/verify.html",
        {
            "form": form,
            "next": next_url,
            "signing_in": signing_in,
            "minutes": settings.TWO_FACTOR_STEP_UP_SECONDS // 60,
        },
    )


@login_required
@require_POST
@twofactor.step_up_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not twofactor.is_on(user=request.user):
        return redirect("two_factor")
    codes = twofactor.recovery_codes_regenerate(user=request.user)
    return _codes_page(request, codes, twofactor.safe_next(request, None))


@login_required
@require_POST
@twofactor.step_up_required
def turn_off(request: HttpRequest) -> HttpResponse:
    try:
        twofactor.turn_off(user=request.user)
    except twofactor.TwoFactorError:
        messages.error(request, _("Coaches must keep two-factor sign-in on."))
    else:
        twofactor.forget_verified(request.session)
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor")
