from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams import selectors, services, sessions
from teams.access import Access, TeamRequest, team_access, team_context, team_view
from teams.forms import (
    AcceptInvitationForm,
    CoachGrantForm,
    HandOverForm,
    InvitationForm,
    RoleForm,
)
from teams.models import CoachGrant, Invitation, Membership, Role, Team
from teams.twofactor import step_up_required

STATIC = Path(settings.BASE_DIR) / "static"
SERVICE_WORKER = STATIC / "js" / "sw.js"
LAST_TEAM_COOKIE = "patch_team"
LAST_TEAM_MAX_AGE = 365 * 24 * 60 * 60


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Open on the day's work: the team used last (else the first joined), with no tap needed."""
    teams = selectors.teams_for_user(user=request.user)
    team = teams.filter(slug=request.COOKIES.get(LAST_TEAM_COOKIE, "")).first()
    team = team or selectors.first_team(user=request.user)
    if team is None:
        return render(request, "teams/home.html", {"teams": []})
    return redirect(_landing(request, team))


@login_required
def switch_team(request: HttpRequest) -> HttpResponse:
    """Go to the team picked in the header's switcher (a plain GET form, so no script needed).

    The choice is remembered in a cookie (a slug, checked against membership on use), so the
    next log-in opens the same team: logging out clears the session but not this.
    """
    team = selectors.teams_for_user(user=request.user).filter(slug=request.GET.get("team")).first()
    if team is None:
        raise Http404
    response = redirect(_landing(request, team))
    response.set_cookie(
        LAST_TEAM_COOKIE, team.slug, max_age=LAST_TEAM_MAX_AGE, httponly=True, samesite="Lax"
    )
    return response


def _landing(request: HttpRequest, team: Team) -> str:
    """A member starts on Today; a coach, who has no visits, on the team page."""
    _, access = team_access(user=request.user, slug=team.slug)
    if access is Access.MEMBER:
        return reverse("caseload:today", kwargs={"team_slug": team.slug})
    return team.get_absolute_url()


def favicon(request: HttpRequest) -> HttpResponse:
    """Serve the app icon where browsers look for it without reading the page."""
    return FileResponse((STATIC / "icons" / "favicon.ico").open("rb"), content_type="image/x-icon")


def healthz(request: HttpRequest) -> HttpResponse:
    """Answer without touching the database: for load balancers, and the benchmarks' baseline."""
    return HttpResponse("ok", content_type="text/plain")


def session_status(request: HttpRequest) -> JsonResponse:
    """Answer the seconds left in this session; asked without ``X-Patch-Background`` it is
    also the page saying its person is still there (``SessionTimeoutMiddleware``)."""
    idle, lifetime = (
        sessions.seconds_left(request.session) if request.user.is_authenticated else (0, 0)
    )
    response = JsonResponse({"idle": max(idle, 0), "lifetime": max(lifetime, 0)})
    response["Cache-Control"] = "no-store"
    return response


def offline(request: HttpRequest) -> HttpResponse:
    """Render the offline page, in ``?lang=`` if named: the worker keeps one per language."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        return render(request, "offline.html")
    with translation.override(language):
        return render(request, "offline.html")


def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the worker from the site root so its scope can cover every page."""
    response = FileResponse(SERVICE_WORKER.open("rb"), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@team_view()
def team_page(request: TeamRequest) -> HttpResponse:
    members = selectors.members_with_presence(team=request.team)
    context = team_context(
        request,
        members=members,
        roles=selectors.roles_with_holders(team=request.team),
        over_size=len(members) > settings.TEAM_SIZE_WARNING,
        size_limit=settings.TEAM_SIZE_WARNING,
    )
    return render(request, "teams/team.html", context)


@team_view()
def online_fragment(request: TeamRequest) -> HttpResponse:
    members = selectors.members_with_presence(team=request.team)
    return render(request, "teams/_online.html", team_context(request, members=members))


@team_view()
def members_page(request: TeamRequest) -> HttpResponse:
    return _members_response(request, invite_form=InvitationForm())


def _members_response(request: TeamRequest, *, invite_form: InvitationForm) -> HttpResponse:
    team = request.team
    members = list(selectors.current_members(team=team))
    context = team_context(
        request,
        members=members,
        history=selectors.membership_history(team=team).exclude(left_at__isnull=True),
        invitations=selectors.open_invitations(team=team, now=timezone.now()),
        grants=selectors.coach_grants(team=team),
        invite_form=invite_form,
        coach_form=CoachGrantForm(),
        over_size=len(members) > settings.TEAM_SIZE_WARNING,
        at_size=len(members) >= settings.TEAM_SIZE_WARNING,
        size_limit=settings.TEAM_SIZE_WARNING,
    )
    return render(request, "teams/members.html", context)


@team_view(write=True)
@step_up_required
@require_POST
def invitation_create(request: TeamRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = services.invitation_create(
                team=request.team, email=form.cleaned_data["email"], by=request.user
            )
        except services.TeamError as error:
            form.add_error("email", str(error))
        else:
            link = request.build_absolute_uri(reverse("invitation", kwargs={"token": token}))
            return render(
                request,
                "teams/invitation_created.html",
                team_context(request, invitation=invitation, link=link),
            )
    return _members_response(request, invite_form=form)


@team_view(write=True)
@step_up_required
@require_POST
def invitation_withdraw(request: TeamRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.for_team(request.team), pk=invitation_id)
    try:
        services.invitation_withdraw(invitation=invitation, by=request.user)
        messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
    except services.TeamError as error:
        messages.error(request, str(error))
    return redirect("teams:members", team_slug=request.team.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    problem = services.invitation_problem(invitation, user=request.user)
    if problem:
        return render(request, "teams/invitation_problem.html", {"problem": problem}, status=410)
    signed_in = request.user.is_authenticated
    form = AcceptInvitationForm(request.POST or None) if not signed_in else None
    if request.method == "POST":
        try:
            if signed_in:
                joined = services.invitation_accept(token=token, user=request.user)
            elif form.is_valid():
                joined = services.invitation_accept(
                    token=token,
                    name=form.cleaned_data["name"],
                    password=form.cleaned_data["password"],
                )
                login(request, joined.coach if isinstance(joined, CoachGrant) else joined.user)
            else:
                joined = None
        except ValidationError as error:
            form.add_error("password", error)
            joined = None
        except services.TeamError as error:
            return render(request, "teams/invitation_problem.html", {"problem": str(error)}, 410)
        if joined is not None:
            messages.success(request, _("Welcome to %(team)s.") % {"team": joined.team})
            return redirect(joined.team)
    return render(
        request,
        "teams/invitation_accept.html",
        {"invitation": invitation, "form": form, "signed_in": signed_in},
    )


@team_view(write=True)
@step_up_required
def member_leave(request: TeamRequest, membership_id: int) -> HttpResponse:
    """Record that a member has left; any member may, as the team runs itself."""
    membership = get_object_or_404(
        Membership.objects.for_team(request.team).current().select_related("user"),
        pk=membership_id,
    )
    if request.method == "POST":
        services.member_leave(membership=membership, by=request.user)
        if membership.user_id == request.user.pk:
            messages.success(request, f"You have left {request.team}.")
            return redirect("home")
        messages.success(request, f"{membership.user} is recorded as having left the team.")
        return redirect("teams:members", team_slug=request.team.slug)
    return render(request, "teams/member_leave.html", team_context(request, membership=membership))


@team_view()
def roles_page(request: TeamRequest) -> HttpResponse:
    return _roles_response(request, role_form=RoleForm())


def _roles_response(request: TeamRequest, *, role_form: RoleForm) -> HttpResponse:
    context = team_context(
        request,
        roles=selectors.roles_with_holders(team=request.team),
        role_form=role_form,
    )
    return render(request, "teams/roles.html", context)


@team_view(write=True)
@step_up_required
@require_POST
def role_create(request: TeamRequest) -> HttpResponse:
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            role = services.role_create(team=request.team, by=request.user, **form.cleaned_data)
        except services.TeamError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"The {role} role was added.")
            return redirect("teams:roles", team_slug=request.team.slug)
    return _roles_response(request, role_form=form)


@team_view(write=True)
@step_up_required
def role_hand_over(request: TeamRequest, role_id: int) -> HttpResponse:
    role = get_object_or_404(Role.objects.for_team(request.team), pk=role_id)
    form = HandOverForm(request.POST or None, team=request.team)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_hand_over(role=role, to_user=form.cleaned_data["to"], by=request.user)
        except services.TeamError as error:
            form.add_error("to", str(error))
        else:
            messages.success(request, f"{form.cleaned_data['to']} now holds the {role} role.")
            return redirect("teams:roles", team_slug=request.team.slug)
    return render(request, "teams/role_hand_over.html", team_context(request, role=role, form=form))


@team_view(write=True)
@step_up_required
@require_POST
def coach_grant(request: TeamRequest) -> HttpResponse:
    """Mail a coach invitation; the answer is the same whether or not the address has an account."""
    form = CoachGrantForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.coach_invite(
                team=request.team,
                email=email,
                by=request.user,
                link=lambda token: request.build_absolute_uri(
                    reverse("invitation", kwargs={"token": token})
                ),
            )
            messages.success(
                request,
                _(
                    "We have emailed %(email)s an invitation to coach your team. Their read-only "
                    "access starts when they accept it."
                )
                % {"email": email},
            )
        except services.TeamError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, " ".join(form.errors["email"]))
    return redirect("teams:members", team_slug=request.team.slug)


@team_view(write=True)
@step_up_required
@require_POST
def coach_revoke(request: TeamRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(CoachGrant.objects.for_team(request.team), pk=grant_id)
    try:
        services.coach_revoke(grant=grant, by=request.user)
        messages.success(request, f"{grant.coach} no longer has access to your team.")
    except services.TeamError as error:
        messages.error(request, str(error))
    return redirect("teams:members", team_slug=request.team.slug)


@team_view(write=True)
def audit_page(request: TeamRequest) -> HttpResponse:
    events = selectors.audit_trail(team=request.team, limit=200)
    return render(request, "teams/audit.html", team_context(request, events=events))


class LogoutView(auth_views.LogoutView):
    """Log out, close this session's sockets, and tell the browser to drop cached pages."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        session_key = request.session.session_key
        response = super().post(request, *args, **kwargs)
        services.session_end(session_key=session_key)
        response["Clear-Site-Data"] = '"cache"'
        return response
