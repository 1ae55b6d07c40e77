"""How people log in to the hub: ``codes`` (roster accounts with one-time codes, the default),
``entra`` (the council's Entra ID accounts, through oauthenticator) or ``lti13`` (a launch from the
LMS, through ltiauthenticator).

For ``entra`` and ``lti13`` the tenant's or platform's values are read from environment variables
when the config is written, so nothing tenant-specific is kept in the repository. The Entra client
secret is never written at all: oauthenticator reads ``OAUTH_CLIENT_SECRET`` from the hub's own
environment when it starts, so it must be set for ``practice-lab hub``, which runs the hub.

Whoever logs in, only the roster's learners and the trainers are allowed. Their hub usernames are
their Unix accounts, so the claim that names them (``PRACTICE_LAB_ENTRA_USERNAME_CLAIM``,
``PRACTICE_LAB_LTI13_USERNAME_KEY``) must hold exactly the roster's ids; a name not on the roster
is refused, never mapped or created.
"""

from __future__ import annotations

import os

CHOICES = ("codes", "entra", "lti13")
CLASSES = {
    "codes": "firstuseauthenticator.FirstUseAuthenticator",
    "entra": "oauthenticator.azuread.AzureAdOAuthenticator",
    "lti13": "ltiauthenticator.lti13.auth.LTI13Authenticator",
}
# The name of the variable oauthenticator itself reads at hub start: the secret is never written.
SECRET_ENV = "OAUTH_CLIENT_SECRET"  # noqa: S105 (a variable name, not a secret)
# {trait: environment variable} for each way in, all required.
ENTRA_ENV = {
    "tenant_id": "PRACTICE_LAB_ENTRA_TENANT_ID",
    "client_id": "PRACTICE_LAB_ENTRA_CLIENT_ID",
    "oauth_callback_url": "PRACTICE_LAB_ENTRA_CALLBACK_URL",
    # No claim in Entra's ID token is a Unix account name by default (preferred_username is an
    # e-mail address, oid a GUID): the council's app registration must send one holding the roster
    # id (an optional or mapped claim, e.g. the on-premises account name), and this names it.
    "username_claim": "PRACTICE_LAB_ENTRA_USERNAME_CLAIM",
}
LTI13_ENV = {
    "issuer": "PRACTICE_LAB_LTI13_ISSUER",
    "client_id": "PRACTICE_LAB_LTI13_CLIENT_ID",
    "authorize_url": "PRACTICE_LAB_LTI13_AUTHORIZE_URL",
    "jwks_endpoint": "PRACTICE_LAB_LTI13_JWKS_ENDPOINT",
}
# Which LTI claim names the learner, and its default: a custom parameter `learner_id` that the LMS
# sends with the roster id (ltiauthenticator falls back to `sub`, which is on no roster: refused).
LTI13_USERNAME_ENV = ("PRACTICE_LAB_LTI13_USERNAME_KEY", "custom_learner_id")


class AuthSetupError(ValueError):
    """A way of logging in that cannot be set up: the message names what is missing."""


def from_environment(auth: str, names: dict[str, str], secret: str | None = None) -> dict:
    """``{trait: value}`` read from the environment variables ``names`` names; one error naming
    every variable that is unset (``secret`` too, which is checked but never returned)."""
    wanted = [*names.values(), *([secret] if secret else [])]
    missing = [name for name in wanted if not os.environ.get(name)]
    if missing:
        raise AuthSetupError(
            f"--auth {auth} needs these environment variables set before the hub starts: "
            + ", ".join(missing)
        )
    return {trait: os.environ[name] for trait, name in names.items()}


def sso_settings(auth: str) -> dict[str, dict[str, object]]:
    """The authenticator's own settings for ``entra`` or ``lti13``, from the environment (who is
    allowed in is the hub's ``Authenticator.allowed_users``, from the roster, as for ``codes``)."""
    if auth == "entra":
        return {"AzureAdOAuthenticator": from_environment(auth, ENTRA_ENV, secret=SECRET_ENV)}
    if auth == "lti13":
        traits = from_environment(auth, LTI13_ENV)
        traits["client_id"] = {part.strip() for part in traits["client_id"].split(",")}
        name_env, default = LTI13_USERNAME_ENV
        traits["username_key"] = os.environ.get(name_env) or default
        return {"LTI13Authenticator": traits}
    raise AuthSetupError(f"--auth must be one of {', '.join(CHOICES)}, not {auth!r}")
