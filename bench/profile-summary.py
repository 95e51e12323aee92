"""Top methods by JFR execution samples (the top frame of each sample), for the note on costs:
    jfr print --json --events jdk.ExecutionSample step.jfr | python3 bench/profile-summary.py
"""
import collections
import json
import sys

events = json.load(sys.stdin)["recording"]["events"]
top = collections.Counter()
for e in events:
    frames = e["values"]["stackTrace"]["frames"]
    if frames:
        m = frames[0]["method"]
        top[m["type"]["name"] + "." + m["name"]] += 1
total = sum(top.values())
for name, count in top.most_common(12):
    print(f"{100 * count / total:5.1f}%  {name}")
print(f"({total} samples)")
