#!/usr/bin/env python3
"""Fails if any dependency (all features, the whole workspace) declares a
rust-version above the healthpass library's own (the MSRV); the workspace's
own crates are not counted."""
import json
import subprocess
import sys


def version(s):
    parts = [int(x) for x in s.split(".")[:3]]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.loads(subprocess.run(["cargo", "metadata", "--format-version", "1", "--all-features", "-q"],
                                 capture_output=True, check=True, text=True).stdout)
msrv = next(p["rust_version"] for p in meta["packages"] if p["name"] == "healthpass")
# The workspace's own crates are not dependencies: healthpass-sync, which
# uses std's file locks, declares 1.89 for itself.
members = set(meta["workspace_members"])
over = [f"{p['name']} {p['version']} needs {p['rust_version']}" for p in meta["packages"]
        if p["id"] not in members
        and p.get("rust_version") and version(p["rust_version"]) > version(msrv)]
print(f"MSRV {msrv}: dependencies that need more:", ", ".join(over) or "none")
sys.exit(1 if over else 0)
