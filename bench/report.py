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
    products = {}
    threads_runs = {}
    epochs = {}
    peak = None
    for b in jmh:
        name = b["benchmark"].rsplit(".", 1)[1]
        p = b.get("params", {})
        m = b["primaryMetric"]
        alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        if "StepBench" in b["benchmark"]:
            steps[(p["sample"], p["batch"], name, p["engine"])] = (m["score"], m["scoreError"], alloc)
        elif "MatmulBench" in b["benchmark"]:
            products[(p["layer"], p["form"], p["code"])] = (m["score"], m["scoreError"])
        elif "ThreadsBench" in b["benchmark"]:
            threads_runs[(p["sample"], p["threads"])] = (m["score"], m["scoreError"], alloc)
        elif "EpochBench" in b["benchmark"]:
            epochs[(p["sample"], p["threads"])] = (m["score"], m["scoreError"], alloc)
        elif "PeakBench" in b["benchmark"]:
            peak = (m["score"], m["scoreError"])
        else:
            compile_times[(p["sample"], name)] = (m["score"], m["scoreError"])
    own = {"regression": 128, "toy": 1, "fashion_mlp": 256, "fashion_dropout": 256, "weight_decay": 5,
           "deep_relu": 32, "dead_units": 32, "backprop_by_hand": 1, "xor": 4, "logistic": 20,
           "cnn": 64, "fashion_cnn": 64}
    samples = [s for s in own if any(k[0] == s for k in steps)]
    torch = {}
    version = None
    torch_epochs = {}
    epoch_layouts = {}
    step_layouts = {}
    layouts = {}  # for each thread count, how often each layout of PyTorch's threads was the faster
    for r in peers:
        version = r["version"]
        # Several layouts of PyTorch's threads at one count (torch_bench.py): the faster figure stands.
        if r["mode"] == "epoch":
            key, value = (r["model"], r["threads"]), (r["seconds"], r["error"])
            if key not in torch_epochs or value[0] < torch_epochs[key][0]:
                torch_epochs[key] = value
                epoch_layouts[key] = r.get("layout")
            continue
        key = (r["model"].replace("-", "_"), r["batch"], r["mode"], r["threads"])
        if key not in torch or r["ops_per_s"] > torch[key][0]:
            torch[key] = (r["ops_per_s"], r["error"])
            step_layouts[key] = r.get("layout")
    for key, layout in step_layouts.items():
        if layout:
            layouts.setdefault(key[3], {}).setdefault(layout, 0)
            layouts[key[3]][layout] += 1
    threads = sorted({k[3] for k in torch})
    out = []
    out.append("# Benchmarks\n")
    layout_note = "; ".join(f"{t} threads: " + ", ".join(f"{l} fastest for {c} figures" for l, c in sorted(ls.items()))
                            for t, ls in sorted(layouts.items()) if t > 1)
    out.append(f"Machine: {cpu()}, {os.cpu_count()} cores; {java_version()}"
               + (f"; PyTorch {version}" if version else "; PyTorch not installed") + ".")
    out.append("Reproduce: `bench/run`. Operations per second (higher is better) with JMH's 99.9% error; "
               "a training step is forward, backward and the SGD update; allocation is JMH's "
               "`gc.alloc.rate.norm` in bytes per operation. All figures come from one run.\n")
    if layout_note:
        out.append("PyTorch on more than one thread is the faster of two layouts of its threads, per figure "
                   "(intra-op threads and OpenBLAS's on every core, or intra-op 1 with OpenBLAS on every core): "
                   + layout_note + ".\n")
    out.append("nnc generated is SIMD code (the default) on one thread; scalar is the same class generated with "
               "`--scalar`: plain Java loops, the form of the earlier table (now with the same fusion of elementwise loops).\n")
    head = ("| model | batch | op | nnc generated ops/s | nnc scalar ops/s | SIMD / scalar | nnc interpreted ops/s | "
            "generated / interpreted | generated B/op | interpreted B/op |")
    sep = "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
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
                sc = steps.get((sample, batch, op, "scalar"))
                if not g:
                    continue
                scalar = f"{fmt(sc[0])} ± {fmt(sc[1])} | {g[0] / sc[0]:.1f}x" if sc else "- | -"
                interp = f"{fmt(i[0])} ± {fmt(i[1])} | {g[0] / i[0]:.1f}x" if i else "- | -"
                row = (f"| {sample} | {n} | {op} | {fmt(g[0])} ± {fmt(g[1])} | {scalar} | {interp} | "
                       f"{fmt(g[2], 3)} | {fmt(i[2]) if i else '-'} |")
                for t in threads:
                    pt = torch.get((sample, n, op, t))
                    row += f" {fmt(pt[0])} ± {fmt(pt[1])} | {g[0] / pt[0]:.2f}x |" if pt else " - | - |"
                out.append(row)
    if epochs:
        cores = os.cpu_count()
        out.append("\nOne epoch of 60,000 samples in batches of 256, shuffled (seconds, lower is better; "
                   "nnc: EpochBench, the trainer's loop; PyTorch: preloaded tensors gathered by a permutation):\n")
        out.append("| model | nnc 1 thread s | PyTorch 1 thread s | PyTorch / nnc, 1t | "
                   f"nnc {cores} threads s | PyTorch {cores} threads s | PyTorch / nnc, all cores | nnc B/epoch |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for sample in sorted({k[0] for k in epochs}):
            one = epochs.get((sample, "1"))
            full = epochs.get((sample, "all"))
            p1 = torch_epochs.get((sample, 1))
            pa = torch_epochs.get((sample, cores))
            cell = lambda e: f"{e[0]:.3f} ± {e[1]:.3f}" if e else "-"
            ratio = lambda p, n: f"{p[0] / n[0]:.2f}x" if p and n else "-"
            out.append(f"| {sample} | {cell(one)} | {cell(p1)} | {ratio(p1, one)} | {cell(full)} | {cell(pa)} | "
                       f"{ratio(pa, full)} | {fmt(one[2], 3) if one else '-'} |")
        for sample in sorted({k[0] for k in epochs}):
            if epoch_layouts.get((sample, cores)):
                out.append(f"\nPyTorch on {cores} threads: the faster of its thread layouts, for {sample} "
                           f"{epoch_layouts[(sample, cores)]}.")
    if threads_runs:
        out.append("\nTraining steps with every core (nnc splits the large products' rows among threads; "
                   "PyTorch sets its thread count):\n")
        cores = os.cpu_count()
        out.append(f"| model | batch | nnc 1 thread ops/s | nnc {cores} threads ops/s | speed-up | nnc {cores}t B/op "
                   f"| PyTorch 1 thread ops/s | PyTorch {max(threads) if threads else cores} threads ops/s "
                   f"| nnc / PyTorch, 1t | nnc / PyTorch, all cores |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for sample in samples:
            one = threads_runs.get((sample, "1"))
            full = threads_runs.get((sample, "all"))
            if not one or not full:
                continue
            n = own[sample]
            p1 = torch.get((sample, n, "trainStep", 1))
            pa = torch.get((sample, n, "trainStep", max(threads))) if threads else None
            out.append(f"| {sample} | {n} | {fmt(one[0])} ± {fmt(one[1])} | {fmt(full[0])} ± {fmt(full[1])} | "
                       f"{full[0] / one[0]:.2f}x | {fmt(full[2], 3)} | {fmt(p1[0]) if p1 else '-'} | {fmt(pa[0]) if pa else '-'} | "
                       f"{f'{one[0] / p1[0]:.2f}x' if p1 else '-'} | {f'{full[0] / pa[0]:.2f}x' if pa else '-'} |")
    if products and peak:
        lanes = 8
        try:
            lanes = int(open(os.path.join(os.path.dirname(jmh_path), "lanes.txt")).read().strip())
        except (OSError, ValueError):
            pass
        peak_gflops = peak[0] * 2 * lanes / 1e9
        out.append(f"\nMatrix products of the dense layers, generated code alone, one thread, against one core's "
                   f"fp32 peak: PeakBench's independent FMA chains on {lanes}-lane vectors reach "
                   f"{peak_gflops:.1f} ± {peak[1] * 2 * lanes / 1e9:.1f} GFLOP/s.\n")
        out.append("| layer | product | shape (rows x depth x columns) | SIMD GFLOP/s | of peak | scalar GFLOP/s |")
        out.append("|---|---|---|---:|---:|---:|")
        dims = {"fashion": (256, 784, 256), "regression": (128, 64, 64)}
        labels = {"forward": "X W", "weightGrad": "X^T dY", "inputGrad": "dY W^T"}
        for layer in ("fashion", "regression"):
            b, i, o = dims[layer]
            flops = 2 * b * i * o
            shapes = {"forward": f"{b} x {i} x {o}", "weightGrad": f"{i} x {b} x {o}", "inputGrad": f"{b} x {o} x {i}"}
            for form in ("forward", "weightGrad", "inputGrad"):
                v = products.get((layer, form, "simd"))
                sc = products.get((layer, form, "scalar"))
                if not v:
                    continue
                g = v[0] * flops / 1e9
                scalar = f"{sc[0] * flops / 1e9:.1f}" if sc else "-"
                out.append(f"| {layer} | {labels[form]} | {shapes[form]} | {g:.1f} ± {v[1] * flops / 1e9:.1f} | "
                           f"{100 * g / peak_gflops:.0f}% | {scalar} |")
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
