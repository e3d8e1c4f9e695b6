"""What a team may publish to the commons, and the rules that keep it anonymous.

A pure package: no Django, nothing of Patch. The team side (``insights/export``) and the hub
(``commons``) both import it, so there is one schema, one set of disclosure rules and one
request signature for both ends. ``docs/privacy.md`` states every rule and why.
"""
