"""PyTorch side of the benchmark: reads one job (JSON on stdin, written by pytorch.ts), runs it
on the CPU and prints one JSON line: the timings, the same-function loss trajectory, the peak
RSS and a device description.

The model is torch.nn.LSTM / GRU / RNN (batch_first) + Linear, loaded with the shared initial
weights, trained with torch.optim.Adam on cross-entropy, as a PyTorch user writes it.
"""

import base64
import json
import os
import re
import resource
import sys
import time

import numpy as np
import torch

HELD_BIAS = re.compile(r"(^|\.)bias_hh_l\d+(_reverse)?$")


def array(a):
    data = np.frombuffer(base64.b64decode(a["b64"]), dtype="<f4").copy()
    return torch.from_numpy(data).reshape(a["shape"])


class Model(torch.nn.Module):
    def __init__(self, w):
        super().__init__()
        cls = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU, "SimpleRNN": torch.nn.RNN}[w["cell"]]
        self.cell = w["cell"]
        self.dirs = 2 if w["bidirectional"] else 1
        self.head_per_step = w["headPerStep"]
        self.rec = cls(
            w["inputSize"],
            w["hidden"],
            num_layers=w["layers"],
            bidirectional=w["bidirectional"],
            batch_first=True,
        )
        self.head = torch.nn.Linear(self.dirs * w["hidden"], w["units"])

    def forward(self, x):
        out, state = self.rec(x)
        if self.head_per_step:
            return self.head(out)
        h_n = state[0] if self.cell == "LSTM" else state
        top = h_n[-self.dirs :]  # the last layer's directions, [D, B, H]
        return self.head(top.transpose(0, 1).reshape(x.shape[0], -1))


def loaded_blas():
    """The BLAS libraries mapped into this process (Debian's torch links the libblas.so.3
    alternative, so BLAS_INFO only says 'generic')."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower()}
    except OSError:
        return []
    names = sorted({os.path.basename(p) for p in paths})
    return [n for n in names if "openblas" in n] or names


def main():
    job = json.load(sys.stdin)
    w = job["workload"]
    threads = int(os.environ.get("RNNKIT_BENCH_TORCH_THREADS") or os.cpu_count() or 1)  # set by pytorch.ts
    torch.set_num_threads(threads)
    x = array(job["x"])
    target = array(job["y"]).reshape(-1, w["units"]).argmax(dim=1)
    adam = job["adam"]

    def build():
        m = Model(w)
        m.rec.load_state_dict({k: array(v) for k, v in job["recurrent"].items()})
        m.head.load_state_dict({k: array(v) for k, v in job["head"].items()})
        return m

    def loss_of(m):
        return torch.nn.functional.cross_entropy(m(x).reshape(-1, w["units"]), target)

    def trainer(m, params):
        opt = torch.optim.Adam(
            params, lr=adam["learningRate"], betas=(adam["beta1"], adam["beta2"]), eps=adam["epsilon"]
        )

        def step():
            opt.zero_grad(set_to_none=True)
            loss = loss_of(m)
            loss.backward()
            opt.step()
            return loss.item()

        return step

    # Same-function check: the parameters but PyTorch's second bias are trained (see parity.ts).
    m = build()
    if w["training"]:
        step = trainer(m, [p for n, p in m.named_parameters() if not HELD_BIAS.search(n)])
        trajectory = [step() for _ in range(job["paritySteps"])]
        with torch.no_grad():
            trajectory.append(loss_of(m).item())
    else:
        with torch.no_grad():
            trajectory = [loss_of(m).item()]

    m = build()
    if w["training"]:
        step = trainer(m, list(m.parameters()))
    else:

        def step():
            with torch.no_grad():
                return m(x).mean().item()

    check = None
    for i in range(job["warmup"]):
        v = step()
        if i == 0:
            check = v
    times = []
    cpu0 = time.process_time()
    wall0 = time.perf_counter()
    for i in range(job["runs"]):
        t0 = time.perf_counter()
        v = step()
        times.append((time.perf_counter() - t0) * 1000)
        if check is None:
            check = v
        print(f"run {i + 1}/{job['runs']}: {times[-1]:.1f} ms", file=sys.stderr)
    cpu_share = (time.process_time() - cpu0) / max(time.perf_counter() - wall0, 1e-6)
    blas = loaded_blas() or re.findall(r"BLAS_INFO=(\w+)", torch.__config__.show())
    result = {
        "times": times,
        "check": check,
        "cpuShare": round(cpu_share, 2),
        "trajectory": trajectory,
        "peakRssMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "device": f"torch {torch.__version__} CPU, {torch.get_num_threads()} threads, BLAS {', '.join(blas) if blas else '?'}",
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
