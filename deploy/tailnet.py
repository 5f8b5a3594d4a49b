"""The one step of a first Tailscale deploy that `make deploy` cannot take for you.

The primary's very first run needs an API access token (`TAILSCALE_API_KEY`): it writes the tailnet
policy that declares `tag:inferadb-router`, and an OAuth client cannot mint keys for a tag that is
not declared yet. Every later run, and every other region, uses an OAuth client, which only a
tailnet admin can create once that tag exists. So after the primary's first run the deploy pauses
(the primary is marked finished) and says exactly what to do; the next `make deploy` goes on.
"""

from __future__ import annotations

import os
from pathlib import Path

from inferadb.stack.files import (
    TAILSCALE_CLIENT_SECRET_KEY,
    StackConfigError,
    is_secure,
    project_name,
    read_stack_config,
)

OAUTH_STEPS = (
    "create the OAuth client in the Tailscale admin console (Settings, OAuth clients: scopes auth_keys and "
    "policy_file, tag tag:inferadb-router), then for every stack `pulumi config set inferadb:tailscaleOauthClientId "
    "<id> --stack <region>` and `pulumi config set --secret inferadb:tailscaleOauthClientSecret <secret> --stack "
    "<region>` (or export TAILSCALE_OAUTH_CLIENT_ID/_SECRET), commit the stack files, unset TAILSCALE_API_KEY and "
    "revoke it, and run make deploy again: it goes on with the next region"
)


def has_oauth_client(project_dir: Path, stack: str) -> bool:
    """An OAuth client for `stack`: in the environment, or a secure value in its stack file."""
    if os.environ.get("TAILSCALE_OAUTH_CLIENT_SECRET"):
        return True
    try:
        config = read_stack_config(project_dir, project_name(project_dir), stack)
    except StackConfigError:
        return False
    return is_secure(config.get(f"inferadb:{TAILSCALE_CLIENT_SECRET_KEY}"))


def first_run_pause(project_dir: Path, primary: str, later: list[str], stack: str) -> str | None:
    """After `stack`'s update: why the deploy must pause for the OAuth client, or None to go on."""
    if stack != primary or not later or not os.environ.get("TAILSCALE_API_KEY"):
        return None
    if all(has_oauth_client(project_dir, other) for other in later):
        return None
    return f"the primary's tailnet policy is written with the API token; {OAUTH_STEPS}"
