"""Say what a plan run left short, and which wishes it could not meet, in the team's words."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

WISHES = frozenset({"on_request", "off_request"})


def issue_sentence(issue: dict | str) -> str:
    """Word one issue from ``rota.adapter.explain`` in the active language.

    Runs saved before issues were stored as data hold finished sentences: shown as they are.
    """
    if isinstance(issue, str):
        return issue
    words = {
        "shift": issue["shift"],
        "day": date_format(date.fromisoformat(issue["day"]), "D j M"),
        "person": issue.get("person"),
        "skill": issue.get("skill"),
        "count": issue.get("short"),
    }
    kind = issue["kind"]
    if kind == "minimum":
        text = ngettext(
            "%(shift)s on %(day)s still needs %(count)d more person.",
            "%(shift)s on %(day)s still needs %(count)d more people.",
            words["count"],
        )
    elif kind == "skill":
        text = gettext("%(shift)s on %(day)s still needs someone with %(skill)s.")
    elif kind == "preferred":
        text = ngettext(
            "%(shift)s on %(day)s has %(count)d person fewer than preferred.",
            "%(shift)s on %(day)s has %(count)d people fewer than preferred.",
            words["count"],
        )
    elif kind == "on_request":
        text = gettext("Wish not met: %(person)s asked to work %(shift)s on %(day)s.")
    else:
        text = gettext("Wish not met: %(person)s asked not to work %(shift)s on %(day)s.")
    return text % words


def short_text(gaps: int | None) -> str:
    if gaps is None:
        return "–"
    if gaps == 0:
        return gettext("None: every shift has its minimum cover")
    return ngettext(
        "%(count)d shift still needs people", "%(count)d shifts still need people", gaps
    ) % {"count": gaps}


def wishes_text(issues: list) -> str:
    unmet = sum(1 for issue in issues if isinstance(issue, dict) and issue["kind"] in WISHES)
    if unmet == 0:
        return gettext("None")
    return ngettext("%(count)d wish not met", "%(count)d wishes not met", unmet) % {"count": unmet}
