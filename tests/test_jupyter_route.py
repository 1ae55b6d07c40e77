"""The learner config for a Jupyter server says what `practice-lab serve` and standalone Voilà do."""

from __future__ import annotations

import json
import subprocess
import sys

from practice_lab import jupyter_route, serve

CONFIG = json.loads((jupyter_route.CONFIG_DIR / "jupyter_server_config.json").read_text())
# Standalone Voilà hands its list straight to its kernel manager: read it from a configured app.
VOILA_ALLOWED = """
import json
from voila.app import Voila
app = Voila()
app.initialize([])
print(json.dumps(app.init_settings()["kernel_manager"].allowed_message_types))
"""


def test_kernel_messages_are_the_ones_standalone_voila_allows():
    standalone = subprocess.run(
        [sys.executable, "-c", VOILA_ALLOWED], capture_output=True, text=True, check=True
    )
    allowed = json.loads(standalone.stdout)
    assert "execute_request" not in allowed
    assert CONFIG["MappingKernelManager"]["allowed_message_types"] == allowed


def test_voila_is_set_up_as_practice_lab_serve_sets_it_up():
    assert CONFIG["VoilaConfiguration"] == {
        "template": serve.TEMPLATE,
        "strip_sources": True,
        "show_tracebacks": False,
        "allow_template_override": "NO",
        "extension_denylist": serve.DENYLIST,
    }


def test_kernels_no_page_is_connected_to_are_stopped_as_practice_lab_serve_stops_them():
    culling = {
        f"--MappingKernelManager.{name}={json.dumps(value).capitalize()}"
        for name, value in CONFIG["MappingKernelManager"].items()
        if name.startswith("cull_")
    }
    assert len(culling) == 3
    assert culling <= set(serve.voila_command(serve.TEMPLATES, 8866))
