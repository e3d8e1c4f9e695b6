"""An external scanner (wapiti) against a running Patch on loopback, signed in as a member.

``python -m bench.scan [--wapiti PATH] [--minutes N]``: seeds the demo into a scratch SQLite
database, starts daphne on a free loopback port with DEBUG off, signs a demo nurse in (a
session made in this process, on the same database), and runs wapiti's default modules over
every page it can reach, bounded by ``--minutes``. Prints the findings by category and writes
wapiti's JSON report beside the scratch database. wapiti is not a Patch dependency: install it
in a separate environment (``uv venv /tmp/wapiti && uv pip install --python
/tmp/wapiti/bin/python wapiti3``).
"""
