#!/usr/bin/env python3
"""Checks lambda/template.yaml against what the runtime implements:

  * it parses (CloudFormation short tags like !Ref/!Sub/!If are accepted as plain values);
  * function: image package, MemorySize 2048..3008, Timeout 900, ephemeral storage for videos;
  * every environment variable it sets is one the code reads, and MEDIA_BUCKET,
    GEMINI_API_KEY_PARAM and GEMINI_MODEL are set;
  * its HTTP API routes are exactly the runtime's route table (lambda/HttpRoutes.cpp), and, when
    BOOTSTRAP is given, each is answered by the real binary (`bootstrap --event`) as a known route
    while an unknown one is not;
  * permissions: S3 on the bucket, SSM for the named parameter, self-invoke built from the fixed
    function name; no circular reference from the function to the bucket;
  * the S3 notification and the image build (Dockerfile path) point at things that exist.

    check-template.py REPO [BOOTSTRAP]
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml


class CfnLoader(yaml.SafeLoader):
    pass


def _tagged(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    name = "Ref" if tag_suffix == "Ref" else "Fn::" + tag_suffix
    return {name: value}


CfnLoader.add_multi_constructor("!", _tagged)


def walk(value):
    """Every scalar string inside a parsed template value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(k)
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)
    elif isinstance(value, str):
        yield value


def references(value):
    """Logical ids a value refers to through Ref / GetAtt / ${...} in Sub."""
    out = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "Ref" and isinstance(v, str):
                out.add(v)
            elif k == "Fn::GetAtt":
                out.add((v.split(".")[0] if isinstance(v, str) else v[0]))
            elif k == "Fn::Sub":
                text = v if isinstance(v, str) else v[0]
                out.update(m.split(".")[0] for m in re.findall(r"\$\{([^}!]+)\}", text))
                if not isinstance(v, str):
                    out |= references(v[1])
            else:
                out |= references(v)
    elif isinstance(value, list):
        for v in value:
            out |= references(v)
    return out


def code_routes(repo):
    text = open(os.path.join(repo, "lambda", "HttpRoutes.cpp"), encoding="utf-8").read()
    return {(m, p) for p, m in re.findall(r'\{\s*"(/[^"]*)"\s*,\s*"(GET|POST|PUT|PATCH|DELETE)"\s*\}', text)}


def code_env_vars(repo):
    names = set()
    for folder in ("lambda", "src/aws", "src/core/gemini", "src/core/net"):
        path = os.path.join(repo, folder)
        for name in os.listdir(path):
            if name.endswith((".cpp", ".h")):
                text = open(os.path.join(path, name), encoding="utf-8").read()
                names.update(re.findall(r'(?:qEnvironmentVariable\w*|qgetenv|getenv)\(\s*"([A-Z0-9_]+)"', text))
    return names


def http_event(method, path):
    return {
        "version": "2.0", "routeKey": f"{method} {path}", "rawPath": path, "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "requestContext": {"accountId": "123456789012", "apiId": "test", "domainName": "test.example",
                           "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                                    "sourceIp": "127.0.0.1", "userAgent": "check-template"},
                           "requestId": "check", "routeKey": f"{method} {path}", "stage": "$default",
                           "time": "27/Nov/2026:10:00:00 +0000", "timeEpoch": 1795773600000},
        "body": "{}", "isBase64Encoded": False,
    }


def status_from_bootstrap(bootstrap, method, path, workdir):
    """HTTP status the real runtime gives a request. No MEDIA_BUCKET, no credentials and no Gemini
    key: a known route is answered without touching the network (health 200, the others 503)."""
    event_file = os.path.join(workdir, "event.json")
    with open(event_file, "w", encoding="utf-8") as f:
        json.dump(http_event(method, path), f)
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen", "HOME": workdir,
           "TMPDIR": workdir, "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
    run = subprocess.run([bootstrap, "--event", event_file, "--timeout-s", "20"], capture_output=True,
                         env=env, timeout=60, text=True)
    try:
        answer = json.loads(run.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise SystemExit(f"check-template: bootstrap --event gave no JSON for {method} {path} "
                         f"(exit {run.returncode}): {run.stdout[-500:]} {run.stderr[-1000:]}")
    return answer.get("statusCode"), answer.get("body")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    repo = sys.argv[1]
    bootstrap = sys.argv[2] if len(sys.argv) == 3 else None
    path = os.path.join(repo, "lambda", "template.yaml")
    template = yaml.load(open(path, encoding="utf-8"), Loader=CfnLoader)
    problems = []
    resources = template.get("Resources", {})
    params = template.get("Parameters", {})

    def value_of(v):
        """A literal, or the default of the parameter it !Refs."""
        if isinstance(v, dict) and "Ref" in v and v["Ref"] in params:
            return params[v["Ref"]].get("Default")
        return v

    functions = {k: r for k, r in resources.items() if r.get("Type") == "AWS::Serverless::Function"}
    if len(functions) != 1:
        sys.exit(f"check-template: expected one AWS::Serverless::Function, found {list(functions)}")
    fn_id, fn = next(iter(functions.items()))
    props = fn.get("Properties", {})

    if props.get("PackageType") != "Image":
        problems.append("the function is not PackageType: Image")
    memory = value_of(props.get("MemorySize"))
    if not isinstance(memory, int) or not 2048 <= memory <= 3008:
        problems.append(f"MemorySize {memory} is not within 2048..3008")
    if isinstance(props.get("MemorySize"), dict):
        p = params[props["MemorySize"]["Ref"]]
        if p.get("MinValue", 0) < 2048 or p.get("MaxValue", 10**6) > 3008:
            problems.append("the MemorySize parameter allows values outside 2048..3008")
    if value_of(props.get("Timeout")) != 900:
        problems.append(f"Timeout is {props.get('Timeout')}, want 900")
    storage = value_of((props.get("EphemeralStorage") or {}).get("Size"))
    if not isinstance(storage, int) or storage < 2048:
        problems.append(f"EphemeralStorage {storage} MB is too small for videos (want >= 2048)")

    meta = fn.get("Metadata", {})
    context = os.path.normpath(os.path.join(repo, "lambda", meta.get("DockerContext", ".")))
    if not os.path.isfile(os.path.join(context, meta.get("Dockerfile", "Dockerfile"))):
        problems.append(f"Metadata Dockerfile {meta.get('Dockerfile')} not found in context {context}")

    env = (props.get("Environment") or {}).get("Variables", {})
    read = code_env_vars(repo)
    for name in ("MEDIA_BUCKET", "GEMINI_API_KEY_PARAM", "GEMINI_MODEL"):
        if name not in env:
            problems.append(f"environment variable {name} is not set")
    for name in env:
        if name not in read:
            problems.append(f"environment variable {name} is set but no code reads it")

    # Routes: the template's HttpApi events against the runtime's table, both ways.
    events = props.get("Events", {})
    template_routes = {(e["Properties"]["Method"].upper(), e["Properties"]["Path"])
                       for e in events.values() if e.get("Type") == "HttpApi"}
    implemented = code_routes(repo)
    if not implemented:
        problems.append("found no route table in lambda/HttpRoutes.cpp")
    for r in sorted(template_routes - implemented):
        problems.append(f"route {r[0]} {r[1]} is in the template but not in the runtime")
    for r in sorted(implemented - template_routes):
        problems.append(f"route {r[0]} {r[1]} is implemented but not in the template")
    for e in events.values():
        api = (e.get("Properties") or {}).get("ApiId")
        if e.get("Type") == "HttpApi" and api and references(api) - set(resources):
            problems.append(f"HttpApi event refers to a missing API {api}")

    s3_events = [e for e in events.values() if e.get("Type") == "S3"]
    if not s3_events:
        problems.append("no S3 upload notification")
    for e in s3_events:
        bucket = references(e["Properties"].get("Bucket"))
        if not bucket or not bucket <= set(resources) or resources[next(iter(bucket))]["Type"] != "AWS::S3::Bucket":
            problems.append("the S3 event does not name a bucket of this template")
        if "ObjectCreated" not in str(e["Properties"].get("Events")):
            problems.append("the S3 event is not ObjectCreated")

    # Circular reference: the bucket's notification depends on the function, so nothing in the
    # function may refer to a bucket resource (outside its Events).
    fn_refs = references({k: v for k, v in props.items() if k != "Events"})
    for ref in sorted(fn_refs & set(resources)):
        if resources[ref]["Type"] == "AWS::S3::Bucket":
            problems.append(f"the function refers to bucket {ref}: circular dependency with its notification")

    policies = " ".join(walk(props.get("Policies", [])))
    for needed, why in (("s3:GetObject", "S3 reads"), ("s3:PutObject", "S3 writes"), ("s3:ListBucket", "S3 listing"),
                        ("s3:DeleteObject", "POST /triage/confirm"), ("ssm:GetParameter", "the Gemini key"),
                        ("lambda:InvokeFunction", "the async self-invoke"), ("${GeminiApiKeyParam}", "the SSM ARN"),
                        ("function:${FunctionName}", "the self-invoke ARN")):
        if needed not in policies:
            problems.append(f"policies lack {needed} ({why})")

    if bootstrap:
        with tempfile.TemporaryDirectory() as work:
            for method, route in sorted(template_routes):
                status, body = status_from_bootstrap(bootstrap, method, route, work)
                if status in (404, 405) or status is None:
                    problems.append(f"bootstrap does not serve {method} {route}: {status} {body}")
            status, body = status_from_bootstrap(bootstrap, "GET", "/no-such-route", work)
            if status != 404:
                problems.append(f"bootstrap answered an unknown route with {status}, so the route check proves nothing")
            if os.listdir(work) != ["event.json"]:
                problems.append(f"bootstrap --event left files behind: {sorted(os.listdir(work))}")

    if problems:
        print("check-template: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"check-template: OK ({len(template_routes)} routes, {len(env)} environment variables"
          + (", routes answered by bootstrap" if bootstrap else "") + ")")


if __name__ == "__main__":
    main()
