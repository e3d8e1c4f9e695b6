"""The outbox's kinds for ideas: answering a consent round and commenting, offline or not.

Registered into the sync protocol (caseload/sync) by ``IdeasConfig.ready``; each handler calls
the same service as the online form. An answer that reaches the server after its round closed
is kept as a late answer and reported ``rejected`` with the reason (docs/sync-protocol.md).
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload.sync.handlers import register
from caseload.sync.protocol import Refused, Rejected
from caseload.sync.schema import Kind, Text, Uuid
from ideas import services
from ideas.models import ConsentRound, Idea
from teams.models import Team, User

ANSWER = Kind(
    {
        "answer": Text(label=gettext_lazy("Your answer")),
        "text": Text(label=gettext_lazy("Your concern or reason"), required=False),
    },
    label=gettext_lazy("Answer in a consent round"),
    done=gettext_lazy("Your answer was saved."),
    versioned=False,
    event="idea-changed",
)
COMMENT = Kind(
    {
        "idea": Uuid(label=gettext_lazy("Idea")),
        "text": Text(label=gettext_lazy("Your comment")),
    },
    label=gettext_lazy("Comment on an idea"),
    done=gettext_lazy("Your comment was added."),
    versioned=False,
    new_row=True,
    event="idea-changed",
)


def _answer(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int | str:
    consent_round = ConsentRound.objects.for_team(team).filter(pk=target).first()
    if consent_round is None:
        raise Rejected(_("This consent round is not in your team."))
    try:
        answer = services.answer_give(
            consent_round=consent_round, by=author, kind=payload["answer"], text=payload["text"]
        )
    except services.IdeaError as error:
        raise Rejected(str(error)) from None
    if answer.late:
        consent_round.refresh_from_db(fields=["closed_at"])
        return Refused(services.late_reason(consent_round))
    return 1


def _comment(
    *, team: Team, author: User, target: uuid.UUID, base_version: int | None, payload: dict
) -> int:
    idea = Idea.objects.for_team(team).filter(pk=payload["idea"]).first()
    if idea is None:
        raise Rejected(_("This idea is not in your team."))
    try:
        services.comment_add(idea=idea, by=author, text=payload["text"], comment_id=target)
    except services.IdeaError as error:
        raise Rejected(str(error)) from None
    return 1


def register_kinds() -> None:
    register("idea.answer", ANSWER, _answer)
    register("idea.comment", COMMENT, _comment)
