#!/usr/bin/env python3
"""Checks the emulator's OpenAPI document against its behaviour (used by .ci/openapi-check).

1. Validates the document with openapi-spec-validator (OpenAPI 3.1).
2. Validates every recorded JSON response (JSON lines {method, target, status, content_type, body}, written by the
   end-to-end suite's client and the in-process test helpers with FRESHCHAT_RECORD_RESPONSES) against the schema the document gives for its path template,
   method and status (the status itself, else `default`), as JSON Schema Draft 2020-12 with the document as the
   registry for $ref.

Usage: openapi_check.py --document openapi.json --recordings responses.jsonl [--min-checked N]
Exit status 1 on any invalid document, undocumented status or schema mismatch, or too few responses checked.
"""

import argparse
import collections
import json
import re
import sys
import urllib.parse

import jsonschema
import referencing
import referencing.jsonschema
from openapi_spec_validator import validate as validate_spec

DOC_URI = "urn:freshchat-emulator:openapi"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def pointer(*tokens):
    return "/" + "/".join(str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


class Routes:
    """Path templates → regexes; a literal segment beats a parameter (as the router matches)."""

    def __init__(self, document):
        self.templates = []
        for template in document.get("paths", {}):
            segments = template.strip("/").split("/")
            regex = "^/" + "/".join(
                "[^/]+" if s.startswith("{") and s.endswith("}") else re.escape(s) for s in segments
            ) + "$"
            literals = sum(1 for s in segments if not s.startswith("{"))
            self.templates.append((re.compile(regex), literals, template))

    def match(self, path, method, document):
        candidates = [(literals, template) for regex, literals, template in self.templates if regex.match(path)]
        candidates.sort(key=lambda c: (-c[0], c[1]))
        for _, template in candidates:
            if method in document["paths"][template]:
                return template, True
        return (candidates[0][1] if candidates else None), False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--document", required=True)
    parser.add_argument("--recordings", required=True, nargs="+")
    parser.add_argument("--min-checked", type=int, default=100)
    parser.add_argument("--max-failures-shown", type=int, default=30)
    args = parser.parse_args()

    with open(args.document, encoding="utf-8") as f:
        document = json.load(f)

    # 1. The document itself.
    try:
        validate_spec(document)
    except Exception as error:  # the validator's own exception types differ between versions
        print(f"openapi-check: the document is not valid OpenAPI: {error}")
        return 1
    print(f"openapi-check: document valid (OpenAPI {document.get('openapi')}, {len(document['paths'])} paths, "
          f"{sum(1 for p in document['paths'].values() for m in p if m in METHODS)} operations)")

    # 2. The recorded responses.
    resource = referencing.Resource.from_contents(document, default_specification=referencing.jsonschema.DRAFT202012)
    registry = referencing.Registry().with_resource(DOC_URI, resource)
    validators = {}
    routes = Routes(document)

    checked = collections.Counter()
    skipped = collections.Counter()
    failures = []
    total = 0
    for path in args.recordings:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                total += 1
                record = json.loads(line)
                method = record["method"].lower()
                status = str(record["status"])
                target_path = urllib.parse.urlsplit(record["target"]).path
                where = f"{path}:{number} {record['method']} {record['target']} → {status}"
                if method not in METHODS or method == "head":
                    skipped["method not checked (HEAD, unknown)"] += 1
                    continue
                template, routed = routes.match(target_path, method, document)
                if template is None:
                    skipped["path not in the document (unknown route)"] += 1
                    continue
                if not routed:
                    skipped["method not routed for the path (405)"] += 1
                    continue
                responses = document["paths"][template][method]["responses"]
                key = status if status in responses else ("default" if "default" in responses else None)
                if key is None:
                    failures.append(f"{where}: status {status} is not documented for {method.upper()} {template}")
                    continue
                content = responses[key].get("content", {})
                body = record.get("body")
                route = f"{method.upper()} {template} {key}"
                if body is None:
                    # Not JSON: the Content-Type must be one the document gives (a file, a CSV, a PEM), or there is
                    # no content where the document gives none (204).
                    ctype = (record.get("content_type") or "").split(";")[0].strip().lower()
                    if not content and not ctype:
                        checked[route + " (no content)"] += 1
                    elif ctype and any(ctype == t or (t.endswith("/*") and ctype.startswith(t[:-1])) for t in content):
                        checked[f"{route} ({ctype})"] += 1
                    else:
                        failures.append(
                            f"{where}: Content-Type {ctype or '(none)'} is not documented ({', '.join(content) or 'no content'})")
                    continue
                if "application/json" not in content:
                    failures.append(f"{where}: a JSON body where the document gives none for {key}")
                    continue
                schema_pointer = pointer("paths", template, method, "responses", key, "content", "application/json",
                                         "schema")
                validator = validators.get(schema_pointer)
                if validator is None:
                    validator = jsonschema.Draft202012Validator(
                        {"$ref": DOC_URI + "#" + schema_pointer}, registry=registry)
                    validators[schema_pointer] = validator
                try:
                    instance = json.loads(body)
                except ValueError as error:
                    failures.append(f"{where}: the body is not JSON: {error}")
                    continue
                errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
                if errors:
                    for error in errors[:3]:
                        at = "/".join(str(p) for p in error.absolute_path) or "(root)"
                        failures.append(f"{where}: at {at}: {error.message[:300]}")
                else:
                    checked[route] += 1

    print(f"openapi-check: {total} recorded responses; {sum(checked.values())} match the document, "
          f"{len(failures)} failures; skipped: " + (", ".join(f"{n} {why}" for why, n in skipped.items()) or "none"))
    print("openapi-check: valid responses per operation and status:")
    for route, count in sorted(checked.items()):
        print(f"  {count:5d}  {route}")
    operations = {(m.upper(), p) for p, item in document["paths"].items() for m in item if m in METHODS}
    seen = {tuple(route.split(" ")[:2]) for route in checked}
    print(f"openapi-check: {len(seen)} of {len(operations)} documented operations have a checked response")
    if failures:
        print("openapi-check: FAILURES:")
        for failure in failures[: args.max_failures_shown]:
            print("  " + failure)
        if len(failures) > args.max_failures_shown:
            print(f"  … and {len(failures) - args.max_failures_shown} more")
        return 1
    if sum(checked.values()) < args.min_checked:
        print(f"openapi-check: only {sum(checked.values())} responses checked, fewer than {args.min_checked}")
        return 1
    print("openapi-check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
