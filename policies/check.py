"""`python -m policies.check FILE [FILE ...] [--json]`: run every rule over synth's resources.json files.

Prints `LEVEL rule-name urn: message` per violation and a summary (or, with --json, one JSON list).
Exit 1 if a mandatory rule is violated, 2 if a file is not a resources.json, 3 on an internal
error, 0 otherwise.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from inferadb.facts.exit_codes import BAD_INPUT, FINDING, OK, guarded
from policies.pack import POLICIES
from policies.recorded import RULES as RECORDED_RULES
from policies.support import provider_tag


@dataclass(frozen=True)
class Violation:
    level: str
    rule: str
    urn: str
    message: str
    site: str = dataclasses.field(default="", compare=False)
    """`module.py:line` of the check inside the rule that reported it (which of a rule's checks fired)."""

    def line(self) -> str:
        return f"{self.level.upper()} {self.rule} {self.urn}: {self.message}"


def _options(record: dict[str, Any]) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        protect=bool(record.get("protect")),
        ignore_changes=list(record.get("ignoreChanges", [])),
        delete_before_replace=bool(record.get("deleteBeforeReplace")),
        aliases=[],
        custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
        additional_secret_outputs=[],
        parent=record.get("parent"),
    )


def _provider(record: dict[str, Any], by_urn: dict[str, dict[str, Any]]) -> PolicyProviderResource | None:
    reference = record.get("provider") or ""
    provider = by_urn.get(reference.rsplit("::", 1)[0])
    if provider is None:
        return None
    return PolicyProviderResource(provider["type"], provider["props"], provider["urn"], provider["name"])


def check_records(records: list[dict[str, Any]], rules: Collection[str] | None = None) -> list[Violation]:
    """Run the pack's resource and stack rules, then the recording-only rules, over one stack
    (only those named in `rules`, when given)."""
    found: list[Violation] = []
    resources = [r for r in records if r.get("custom") and not r.get("read")]
    by_urn = {r["urn"]: r for r in records}

    def reporter(policy: Any, default_urn: str) -> Any:
        level = (policy.enforcement_level or EnforcementLevel.MANDATORY).value

        def report(message: str, urn: str | None = None) -> None:
            caller = sys._getframe(1)  # the rule's own line: tells its checks apart
            site = f"{Path(caller.f_code.co_filename).name}:{caller.f_lineno}"
            found.append(Violation(level, policy.name, urn or default_urn, message, site))

        return report

    chosen = [p for p in POLICIES if rules is None or p.name in rules]
    # What a resource rule sees of each resource, built once for all of them.
    arguments = [
        ResourceValidationArgs(r["type"], r["props"], r["urn"], r["name"], _options(r), _provider(r, by_urn))
        for r in resources
    ]
    for policy in chosen:
        if isinstance(policy, ResourceValidationPolicy):
            for args in arguments:
                policy.validate(args, reporter(policy, args.urn))
        elif isinstance(policy, StackValidationPolicy):
            stack_urn = records[0]["urn"] if records else ""
            policy.validate(StackValidationArgs(_policy_resources(resources, by_urn)), reporter(policy, stack_urn))
    dev = _environment(records) == "dev"
    for rule in RECORDED_RULES:
        if (rules is None or rule.name in rules) and not (dev and rule.name in DEV_EXEMPT):
            for r in records:
                found += [Violation("mandatory", rule.name, r["urn"], m) for m in rule.check(r)]
    return found


# A dev estate is meant to be torn down (`make destroy`): it keeps nothing back on delete.
DEV_EXEMPT = frozenset({"pulumi-retain-on-delete-stateful"})


def _environment(records: list[dict[str, Any]]) -> str | None:
    """The environment the program tagged this stack with, on its own AWS provider."""
    stack = records[0]["urn"].split("::")[0].removeprefix("urn:pulumi:") if records else ""
    for r in records:
        if r["type"] == "pulumi:providers:aws" and (r.get("props") or {}).get("region") == stack:
            return provider_tag(r["props"], "inferadb:environment")
    return None


def _policy_resources(resources: list[dict[str, Any]], by_urn: dict[str, dict[str, Any]]) -> list[PolicyResource]:
    built = {
        r["urn"]: PolicyResource(
            r["type"], r["props"], r["urn"], r["name"], _options(r), _provider(r, by_urn), None, [], {}
        )
        for r in resources
    }
    for r in resources:
        built[r["urn"]].parent = built.get(r.get("parent") or "")
        built[r["urn"]].dependencies = [built[d] for d in r.get("dependencies", []) if d in built]
    return list(built.values())


def summary(violations: list[Violation]) -> str:
    mandatory = sum(v.level == "mandatory" for v in violations)
    return f"policies: {mandatory} mandatory, {len(violations) - mandatory} advisory violation(s)"


def to_json(violations: list[Violation]) -> str:
    fields = ("level", "rule", "urn", "message")
    return json.dumps([{name: getattr(v, name) for name in fields} for v in violations], indent=2) + "\n"


REQUIRED_FIELDS = {"urn": str, "type": str, "name": str, "props": dict}


class RecordsError(ValueError):
    """A file that is not synth's resources.json; `str()` names the file and the record."""


def read_records(path: Path) -> list[dict[str, Any]]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordsError(f"{path}: not readable as JSON ({exc})") from None
    if not isinstance(records, list):
        raise RecordsError(f"{path}: must be a JSON list of resource records (synth's resources.json)")
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise RecordsError(f"{path}: record {index} is not an object")
        for field, kind in REQUIRED_FIELDS.items():
            if not isinstance(record.get(field), kind):
                raise RecordsError(f"{path}: record {index} needs `{field}` ({kind.__name__}); is this resources.json?")
    return records


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m policies.check", description=__doc__.splitlines()[0])
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="RESOURCES_JSON", help="synth's build/<stack>/resources.json"
    )
    parser.add_argument("--json", action="store_true", help="print the violations as one JSON list")
    args = parser.parse_args(argv)
    try:
        stacks = {path: read_records(path) for path in args.files}
    except RecordsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return BAD_INPUT
    found: list[Violation] = []
    for path, records in stacks.items():
        violations = check_records(records)
        found += violations
        if not args.json:
            print(f"== {path}")
            print("\n".join([*(v.line() for v in violations), summary(violations)]))
    if args.json:
        print(to_json(found), end="")
    return FINDING if any(v.level == "mandatory" for v in found) else OK


if __name__ == "__main__":
    sys.exit(guarded(main, sys.argv[1:]))
