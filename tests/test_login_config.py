"""The hub's config for the council's Entra ID and for an LTI 1.3 launch, loaded as JupyterHub
loads it and given to the real authenticators: no network, no identity provider."""

from __future__ import annotations

import pytest
from traitlets.config import PyFileConfigLoader
from traitlets.utils.importstring import import_item

from practice_lab import cli, hub, hub_auth

SECRET = "not-in-the-file-0123456789"  # noqa: S105 (made up for the test)
ENTRA = {
    "PRACTICE_LAB_ENTRA_TENANT_ID": "11111111-2222-3333-4444-555555555555",
    "PRACTICE_LAB_ENTRA_CLIENT_ID": "entra-client",
    "PRACTICE_LAB_ENTRA_CALLBACK_URL": "https://lab.example.org/hub/oauth_callback",
    "PRACTICE_LAB_ENTRA_USERNAME_CLAIM": "practice_lab_id",
    "OAUTH_CLIENT_SECRET": SECRET,
}
LTI13 = {
    "PRACTICE_LAB_LTI13_ISSUER": "https://lms.example.org",
    "PRACTICE_LAB_LTI13_CLIENT_ID": "lms-client-1, lms-client-2",
    "PRACTICE_LAB_LTI13_AUTHORIZE_URL": "https://lms.example.org/mod/lti/auth.php",
    "PRACTICE_LAB_LTI13_JWKS_ENDPOINT": "https://lms.example.org/mod/lti/certs.php",
}


def loaded_authenticator(tmp_path, monkeypatch, auth: str, env: dict[str, str]):
    """Write the hub's config for ``auth`` with ``env`` set, load it with traitlets as JupyterHub
    does, and make its authenticator from it; returns the authenticator and the file's text."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(hub, "proxy_command", lambda: "configurable-http-proxy")
    plan = hub.HubPlan(
        state=tmp_path / "state",
        exchange=tmp_path / "exchange",
        learners=["learner1", "learner2"],
        trainers=["trainer1"],
        auth=auth,
    )
    path = hub.write_config(plan)
    config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
    cls = import_item(config.JupyterHub.authenticator_class)
    return cls(config=config), path.read_text()


def test_entra_config_loads_into_azuread_without_the_secret(tmp_path, monkeypatch):
    authenticator, text = loaded_authenticator(tmp_path, monkeypatch, "entra", ENTRA)
    assert type(authenticator).__name__ == "AzureAdOAuthenticator"
    assert authenticator.tenant_id == ENTRA["PRACTICE_LAB_ENTRA_TENANT_ID"]
    assert authenticator.client_id == "entra-client"
    assert authenticator.oauth_callback_url == ENTRA["PRACTICE_LAB_ENTRA_CALLBACK_URL"]
    assert authenticator.username_claim == "practice_lab_id"
    assert authenticator.allowed_users == {"learner1", "learner2", "trainer1"}
    assert authenticator.admin_users == {"trainer1"}
    # The secret reaches the authenticator from the hub's environment, never through the file.
    assert authenticator.client_secret == SECRET
    assert SECRET not in text


def test_lti13_config_loads_into_ltiauthenticator(tmp_path, monkeypatch):
    authenticator, _ = loaded_authenticator(tmp_path, monkeypatch, "lti13", LTI13)
    assert type(authenticator).__name__ == "LTI13Authenticator"
    assert authenticator.issuer == "https://lms.example.org"
    assert authenticator.client_id == {"lms-client-1", "lms-client-2"}
    assert authenticator.authorize_url == LTI13["PRACTICE_LAB_LTI13_AUTHORIZE_URL"]
    assert authenticator.jwks_endpoint == LTI13["PRACTICE_LAB_LTI13_JWKS_ENDPOINT"]
    assert authenticator.username_key == "custom_learner_id"
    assert authenticator.allowed_users == {"learner1", "learner2", "trainer1"}


@pytest.mark.parametrize(("auth", "env"), [("entra", ENTRA), ("lti13", LTI13)])
def test_a_missing_variable_is_named(monkeypatch, auth, env):
    for name in env:
        monkeypatch.setenv(name, env[name])
    names = list(env)
    first, last = names[0], names[-1]
    monkeypatch.delenv(first)
    monkeypatch.delenv(last)
    with pytest.raises(hub_auth.AuthSetupError) as caught:
        hub_auth.sso_settings(auth)
    assert str(caught.value).endswith(f": {first}, {last}")


def test_the_command_says_what_is_missing_without_a_traceback(tmp_path, monkeypatch, capsys):
    for name in [*ENTRA, *LTI13]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(hub, "proxy_command", lambda: "configurable-http-proxy")
    code = cli.main(["hub", "--state", str(tmp_path / "state"), "--auth", "entra"])
    err = capsys.readouterr().err
    assert code == 2
    assert "PRACTICE_LAB_ENTRA_TENANT_ID" in err and "OAUTH_CLIENT_SECRET" in err
    assert "Traceback" not in err
