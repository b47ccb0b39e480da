#!/usr/bin/env python3
"""Keeps lambda/Dockerfile honest without a Docker engine: every file it copies from the build
context exists and is not hidden by .dockerignore, every repository script its RUN steps call
exists, the runtime stage takes from the builder only paths lambda/bundle.sh produces (checked
against a real bundle when one is given), and the image layout is the one Lambda expects and
verify-bundle.sh --empty-root reproduces.

    check-dockerfile.py REPO [BUNDLE]
"""
import fnmatch
import os
import re
import shlex
import sys

# Where the image keeps the bundle (all but the wrapper); verify-bundle.sh --empty-root uses the same.
BUNDLE_HOME = "/opt/mediatriage"


def instructions(path):
    """(keyword, argument text) per instruction, continuation lines joined, comments dropped."""
    joined, current = [], ""
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.lstrip().startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        joined.append(current.strip())
        current = ""
    out = []
    for text in joined:
        keyword, _, rest = text.partition(" ")
        out.append((keyword.upper(), rest.strip()))
    return out


def ignored(rel, patterns):
    """True if .dockerignore hides `rel` or one of its parent folders."""
    parts = rel.strip("/").split("/")
    hidden = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pat = pattern[1:] if negate else pattern
        pat = pat.strip("/")
        for i in range(1, len(parts) + 1):
            prefix = "/".join(parts[:i])
            if fnmatch.fnmatchcase(prefix, pat) or (pat.startswith("**/") and fnmatch.fnmatchcase(parts[i - 1], pat[3:])):
                hidden = not negate
                break
    return hidden


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    repo = sys.argv[1]
    bundle = sys.argv[2] if len(sys.argv) == 3 else None
    dockerfile = os.path.join(repo, "lambda", "Dockerfile")
    patterns = []
    ignore_file = os.path.join(repo, ".dockerignore")
    if os.path.exists(ignore_file):
        patterns = [l.strip() for l in open(ignore_file, encoding="utf-8") if l.strip() and not l.startswith("#")]

    problems = []
    stages = []          # FROM images, in order
    runtime_copies = []  # (source in builder, destination) of the last stage
    runtime_env = {}     # ENV of the last stage
    args = {}
    for keyword, rest in instructions(dockerfile):
        if keyword == "ARG":
            name, _, value = rest.partition("=")
            args[name] = value
        elif keyword == "FROM":
            image = rest.split()[0]
            image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), image)
            stages.append(image)
            runtime_copies = []
            runtime_env = {}
        elif keyword == "ENV":
            for word in shlex.split(rest):
                name, _, value = word.partition("=")
                runtime_env[name] = value
        elif keyword == "COPY":
            words = shlex.split(rest)
            flags = [w for w in words if w.startswith("--")]
            paths = [w for w in words if not w.startswith("--")]
            sources, dest = paths[:-1], paths[-1]
            if any(f.startswith("--from=") for f in flags):
                runtime_copies += [(s, dest) for s in sources]
                continue
            for s in sources:
                if s == ".":
                    continue
                if not os.path.exists(os.path.join(repo, s)):
                    problems.append(f"COPY {s}: no such file in the repository")
                elif ignored(s, patterns):
                    problems.append(f"COPY {s}: excluded by .dockerignore")
        elif keyword == "RUN":
            for script in re.findall(r"/src/([\w./-]+\.(?:sh|py))", rest):
                if not os.path.exists(os.path.join(repo, script)):
                    problems.append(f"RUN uses /src/{script}: no such file in the repository")
                elif not os.access(os.path.join(repo, script), os.X_OK) and not rest.startswith("bash "):
                    problems.append(f"RUN uses /src/{script}: not executable")

    if len(stages) < 2 or stages[-1] != "public.ecr.aws/lambda/provided:al2023":
        problems.append(f"the last stage must be public.ecr.aws/lambda/provided:al2023, stages are {stages}")
    if not stages or not stages[0].startswith("debian:12"):
        problems.append(f"the builder must be debian:12, stages are {stages}")
    # The image layout verify-bundle.sh --empty-root reproduces: the wrapper where
    # /lambda-entrypoint.sh looks for it, the rest of the bundle in MEDIATRIAGE_BUNDLE.
    home = runtime_env.get("MEDIATRIAGE_BUNDLE")
    if home != BUNDLE_HOME:
        problems.append(f"the runtime stage must set MEDIATRIAGE_BUNDLE={BUNDLE_HOME} (found {home})")
    dests = [d.rstrip("/") for _, d in runtime_copies]
    if "/var/runtime/bootstrap" not in dests:
        problems.append("the runtime stage does not install /var/runtime/bootstrap")
    # Stable layers first: libraries and plugins before the program.
    order = {d: i for i, d in enumerate(dests)}
    program = BUNDLE_HOME + "/bin"
    for stable in (BUNDLE_HOME + "/lib", BUNDLE_HOME + "/plugins"):
        if stable not in order:
            problems.append(f"the runtime stage does not install {stable}/")
        elif program in order and order[stable] > order[program]:
            problems.append(f"{stable}/ is copied after bin/: the program's layer must come last")
    for src, dest in runtime_copies:
        if not src.startswith("/bundle/"):
            problems.append(f"COPY --from=builder {src}: not from /bundle")
            continue
        rel = src[len("/bundle/"):].rstrip("/")
        want = "/var/runtime/bootstrap" if rel == "bootstrap" else f"{BUNDLE_HOME}/{rel}"
        if dest.rstrip("/") != want:
            problems.append(f"COPY --from=builder {src} {dest}: want {want} (the wrapper finds the rest there)")
        if bundle and not os.path.exists(os.path.join(bundle, rel)):
            problems.append(f"COPY --from=builder {src}: lambda/bundle.sh produced no {rel}")
    library_path = runtime_env.get("LD_LIBRARY_PATH", "")
    for banned in (BUNDLE_HOME, "/var/runtime/lib", "/var/task/lib"):
        if banned in library_path:
            problems.append(f"LD_LIBRARY_PATH names {banned}: the base image's bash could load our libc")
    text = open(dockerfile, encoding="utf-8").read()
    if "SSL_CERT_FILE=/etc/pki/tls/certs/ca-bundle.crt" not in text:
        problems.append("SSL_CERT_FILE does not point at Amazon Linux's CA bundle")
    if not re.search(r"^CMD \[", text, re.M):
        problems.append("no CMD (handler string)")

    if problems:
        print("check-dockerfile: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"check-dockerfile: OK ({len(runtime_copies)} bundle paths" + (f" present in {bundle}" if bundle else "") + ")")


if __name__ == "__main__":
    main()
