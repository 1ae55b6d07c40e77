"""Generate and release several modules in one Python process, through nbgrader's own API.

``python -m grading.release_batch MODULE…``, run in a course directory, does what
``nbgrader generate_assignment MODULE --force`` and ``nbgrader release_assignment MODULE --force``
do for each module, with the same configuration files, but pays nbgrader's start-up (its imports,
about 3 s here) once instead of twice a module. It is a process of its own so that nbgrader's
traitlets configuration and logging stay out of the caller.
"""

from __future__ import annotations

import sys


def alembic_head() -> str:
    """The gradebook schema's newest alembic revision, read with alembic's API in this process.

    A new gradebook is stamped with it. nbgrader asks the ``alembic heads`` command instead: one
    more Python process importing nbgrader, about 4 s here, on every course's first release.
    """
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    return ScriptDirectory(ALEMBIC_DIR).get_current_head()


def release_in_this_process(module_ids: list[str]) -> str | None:
    """Generate and release each module with nbgrader's API, configured from the current folder
    as its commands are; None when all went well, else what nbgrader said about the failed step."""
    import nbgrader.api
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.apps.baseapp import NbGrader

    nbgrader.api.get_alembic_version = alembic_head  # same answer, no `alembic` process

    app = NbGrader()  # reads the Jupyter config paths and ./nbgrader_config.py, as the commands do
    app.load_config_file()
    app.config.ExchangeReleaseAssignment.force = True  # `release_assignment --force`
    api = NbGraderAPI(config=app.config)
    for module_id in module_ids:
        for step, run in (
            ("generate_assignment", api.generate_assignment),
            ("release_assignment", api.release_assignment),
        ):
            result = run(module_id)  # generate: force and record in the gradebook, as the command
            if not result["success"]:
                return (
                    f"nbgrader {step} {module_id} failed:\n{result.get('log', '')}{result['error']}"
                )
    return None


if __name__ == "__main__":
    failure = release_in_this_process(sys.argv[1:])
    if failure:
        sys.exit(failure)
