"""Turns JMH's JSON and the PyTorch peers' JSON lines into the Markdown table of bench/run."""
import json
import os
import platform
import subprocess
import sys


def cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def java_version():
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
        return out.splitlines()[0]
    except OSError:
        return "java"


def num(x):
    """JMH writes "NaN" for an error it cannot estimate."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if x != x else x


def fmt(x, digits=0):
    x = num(x)
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:,.{max(digits, 2)}f}"


def main(jmh_path, peers_path):
    jmh = json.load(open(jmh_path))
    peers = [json.loads(l) for l in open(peers_path) if l.strip()] if os.path.exists(peers_path) else []
    steps = {}
    compile_times = {}
    for b in jmh:
        name = b["benchmark"].rsplit(".", 1)[1]
        p = b.get("params", {})
        m = b["primaryMetric"]
        alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        if "StepBench" in b["benchmark"]:
            steps[(p["sample"], p["batch"], name, p["engine"])] = (m["score"], m["scoreError"], alloc)
        else:
            compile_times[(p["sample"], name)] = (m["score"], m["scoreError"])
    own = {"regression": 128, "toy": 1, "fashion_mlp": 256, "fashion_dropout": 256, "weight_decay": 5,
           "deep_relu": 32, "dead_units": 32, "backprop_by_hand": 1, "xor": 4, "logistic": 20,
           "cnn": 64, "fashion_cnn": 64}
    samples = [s for s in own if any(k[0] == s for k in steps)]
    torch = {}
    version = None
    for r in peers:
        torch[(r["model"].replace("-", "_"), r["batch"], r["mode"], r["threads"])] = (r["ops_per_s"], r["error"])
        version = r["version"]
    threads = sorted({k[3] for k in torch})
    out = []
    out.append("# Benchmarks\n")
    out.append(f"Machine: {cpu()}, {os.cpu_count()} cores; {java_version()}"
               + (f"; PyTorch {version}" if version else "; PyTorch not installed") + ".")
    out.append("Reproduce: `bench/run`. Operations per second (higher is better) with JMH's 99.9% error; "
               "a training step is forward, backward and the SGD update; allocation is JMH's "
               "`gc.alloc.rate.norm` in bytes per operation. All figures come from one run.\n")
    head = "| model | batch | op | nnc generated ops/s | nnc interpreted ops/s | generated / interpreted | generated B/op | interpreted B/op |"
    sep = "|---|---:|---|---:|---:|---:|---:|---:|"
    for t in threads:
        head += f" PyTorch {t} thread{'s' if t > 1 else ''} ops/s | generated / PyTorch {t}t |"
        sep += "---:|---:|"
    out.append(head)
    out.append(sep)
    seen = set()
    for sample in samples:
        for batch in ("1", "own"):
            n = own[sample] if batch == "own" else 1
            if (sample, n) in seen:
                continue
            seen.add((sample, n))
            for op in ("trainStep", "infer"):
                g = steps.get((sample, batch, op, "generated"))
                i = steps.get((sample, batch, op, "interpreted"))
                if not g or not i:
                    continue
                row = (f"| {sample} | {n} | {op} | {fmt(g[0])} ± {fmt(g[1])} | {fmt(i[0])} ± {fmt(i[1])} | "
                       f"{g[0] / i[0]:.1f}x | {fmt(g[2], 3)} | {fmt(i[2])} |")
                for t in threads:
                    pt = torch.get((sample, n, op, t))
                    row += f" {fmt(pt[0])} ± {fmt(pt[1])} | {g[0] / pt[0]:.2f}x |" if pt else " - | - |"
                out.append(row)
    out.append("\nCompile time with a warm JVM (milliseconds, lower is better):\n")
    out.append("| model | .nn to Java source | .nn to loaded bytecode (javac in memory) |")
    out.append("|---|---:|---:|")
    for sample in samples:
        s = compile_times.get((sample, "toSource"))
        b = compile_times.get((sample, "toBytecode"))
        if s and b:
            out.append(f"| {sample} | {fmt(s[0])} ± {fmt(s[1])} | {fmt(b[0])} ± {fmt(b[1])} |")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
