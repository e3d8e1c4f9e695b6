"""Update and check the catalogues: `python scripts/translations.py update|check`.

update: run makemessages for every language (Django and JavaScript) and compile the .mo files.
check:  fail if the Welsh catalogue has an untranslated or fuzzy entry used by the nurse's
        day or the rota's member pages (docs/translation.md), or a .mo that differs from its .po.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
IGNORE = ["staticfiles/*", "tests/*", "bench/*", "static/vendor/*", "scripts/*", ".venv/*"]
# The Welsh core: every entry used by these files must be translated (docs/translation.md).
CORE = [
    "templates/base.html",
    "templates/_language_switch.html",
    "templates/offline.html",
    "templates/_outbox_status.html",
    "templates/registration/login.html",
    "templates/registration/logged_out.html",
    "templates/caseload/today.html",
    "templates/caseload/_today.html",
    "templates/caseload/_visit_card.html",
    "templates/caseload/_handovers_for_you.html",
    "templates/caseload/visit_detail.html",
    "templates/caseload/time.html",
    "templates/caseload/handovers.html",
    "templates/caseload/_handovers.html",
    "templates/caseload/client_detail.html",
    "templates/caseload/_client_body.html",
    "templates/caseload/sync_attention.html",
    "templates/caseload/pdf/day_sheet.html",
    "templates/caseload/pdf/base.html",
    "templates/teams/_session_warning.html",
    "templates/rota/calendar.html",
    "templates/rota/requests.html",
    "templates/rota/swaps.html",
    "static/js/outbox.js",
    "static/js/live.js",
    "templates/insights/ask.html",
    "templates/insights/answer_thanks.html",
]


def update() -> None:
    args = [sys.executable, "manage.py", "makemessages", "--all", "--no-obsolete"]
    args += [f"--ignore={pattern}" for pattern in IGNORE]
    subprocess.run(args, cwd=ROOT, check=True)  # noqa: S603 (our own fixed command)
    subprocess.run([*args, "--domain=djangojs"], cwd=ROOT, check=True)  # noqa: S603
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def core_gaps(po_path: Path) -> list[str]:
    """Entries used by the core pages that are untranslated or fuzzy."""
    return [
        entry.msgid
        for entry in polib.pofile(str(po_path))
        if any(path in CORE for path, _line in entry.occurrences)
        and (not entry.translated() or entry.fuzzy)
    ]


def mo_matches(po_path: Path) -> bool:
    """Compare what the .mo says with what the .po says (bytes may differ between compilers)."""
    translated = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(po_path)).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(po_path.with_suffix(".mo")))
        if e.msgid
    }
    return translated == compiled


def check() -> int:
    problems = []
    for po_path in sorted(LOCALE.glob("cy/LC_MESSAGES/*.po")):
        problems += [f"{po_path.name}: untranslated: {msgid!r}" for msgid in core_gaps(po_path)]
        if not mo_matches(po_path):
            problems.append(f"{po_path.name}: the .mo does not match; run update")
    print("\n".join(problems) or "Welsh core pages: every entry translated; .mo files match.")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    sys.exit(check())
