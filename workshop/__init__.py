"""The team reflective-practice workshop: anonymous answers on participants' own devices, a live
aggregate for the facilitator's screen, and a Markdown summary for the team's records.

``prompts`` builds a prompt set (from a module's facilitator guide or a YAML file), ``session``
creates a session folder with its code and facilitator key, ``store`` keeps answers (``db``: a
SQLite file in the session folder, or a PostgreSQL database that sessions share),
``results`` tallies them behind the rule of five, ``charts`` and ``summary`` draw and export them,
``participant`` and ``facilitator`` are the two Voilà pages, and ``server`` runs a session.
"""
