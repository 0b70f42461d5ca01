#!/usr/bin/env python3
# Checks an exported trace (tools/console/export.c) as Perfetto would read it: valid
# JSON, the trace-event fields, tracks named by "M" events, every flow's start and end
# sharing an id. With --hello, also the hello scenario's slices (tests/unit/console);
# with --has=PROCESS:SLICE, that PROCESS's track has such a slice (tests/boot/console.sh).
import json
import sys

def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        trace = json.load(f)
    assert trace["displayTimeUnit"] == "ns", "displayTimeUnit"
    events = trace["traceEvents"]
    names = {}
    flows = {}
    for e in events:
        for field in ("ph", "pid", "tid", "ts"):
            assert field in e, f"{field} missing in {e}"
        if e["ph"] == "M":
            assert e["name"] == "process_name"
            names[e["pid"]] = e["args"]["name"]
        elif e["ph"] == "X":
            assert e["dur"] >= 0, e
        elif e["ph"] in ("s", "f"):
            flows.setdefault(e["id"], []).append(e["ph"])
            if e["ph"] == "f":
                assert e["bp"] == "e", e
    for pid in {e["pid"] for e in events}:
        assert pid in names, f"track {pid} has no name"
    for ident, phases in flows.items():
        assert sorted(phases) == ["f", "s"], f"flow {ident}: {phases}"
    if "--hello" in sys.argv:
        assert names[1] == "hello-musl[1]" and names[2] == "vfs", names
        assert names[100000] == "CPU 0" and names[100001] == "CPU 1", names
        slices = sorted((e["pid"], e["ts"], e["dur"], e["name"]) for e in events if e["ph"] == "X")
        assert slices == [(1, 100.0, 12.512, "openat"), (2, 105.0, 7.512, "openat")], slices
        assert len(flows) == 1, flows
    for arg in sys.argv[2:]:
        if arg.startswith("--has="):  # PROCESS:SLICE, e.g. hello-musl[1]:openat
            process, name = arg[len("--has="):].rsplit(":", 1)
            pids = [pid for pid, named in names.items() if named == process]
            assert pids, f"no track named {process}: {sorted(set(names.values()))}"
            assert any(e["ph"] == "X" and e["pid"] in pids and e["name"] == name
                       for e in events), f"no {name} slice on {process}'s track"
            assert flows, "no flow from a call to its server"
    if "--escaped" in sys.argv:
        assert 'a"b\\c\nd\u00e9[17]' in names.values(), names

main()
