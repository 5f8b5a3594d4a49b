"""Whether the identity running preflight may run the update: it must be one of `eks.deployers` (or
`eks.admins`), the same check the program makes before it changes anything (components/cluster/
access_entries.py). Nobody is made cluster admin for being the caller."""

from __future__ import annotations

from preflight.results import Result, failed, passed

CHECK = "deployer"


def _identity(arn: str) -> tuple[str, str, str] | None:
    """(account, kind, name) of an IAM role or user ARN, or of an STS assumed-role session; a path
    is not part of the identity (a session ARN does not carry it)."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] not in ("iam", "sts"):
        return None
    account, resource = parts[4], parts[5]
    kind, _, rest = resource.partition("/")
    if kind == "assumed-role":  # assumed-role/ROLE/SESSION
        return account, "role", rest.split("/", 1)[0]
    if kind in ("role", "user"):
        return account, kind, rest.rsplit("/", 1)[-1]
    return None


def deployer(caller: str, deployers: tuple[str, ...], admins: tuple[str, ...]) -> Result:
    me = _identity(caller)
    listed = [arn for arn in (*deployers, *admins) if me is not None and _identity(arn) == me]
    if listed:
        return passed(CHECK, f"{caller} is {listed[0]}, listed in eks.deployers or eks.admins")
    return failed(
        CHECK,
        f"{caller} runs this but is not in eks.deployers ({', '.join(deployers)}) or eks.admins: add the role "
        f"there (the shipped 123456789012 is the documentation account), or run as a listed one; the update "
        f"would stop at the same check",
    )
