#!/usr/bin/python3
"""The same U-Net as the Java engine, in PyTorch, timed the same way.

Reads the JSON that EngineBenchmark writes (spec, patch, batch) and prints one line like it.
Usage: unet_torch.py CASE.json [THREADS] [float32|mixed]  (mixed: CPU autocast to bfloat16).
Axis order: the spec's per-axis vectors are x, y[, z]; PyTorch's spatial dims are (z, y, x),
so they are reversed here exactly as the Java engine reverses them for TensorFlow.
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def rev(v):
    return tuple(reversed(v))


class ConvNormAct(nn.Sequential):
    def __init__(self, dims, cin, cout, kernel, stride):
        conv = nn.Conv3d if dims == 3 else nn.Conv2d
        norm = nn.InstanceNorm3d if dims == 3 else nn.InstanceNorm2d
        super().__init__(
            conv(cin, cout, rev(kernel), rev(stride), padding=tuple(k // 2 for k in rev(kernel)), bias=False),
            norm(cout, eps=1e-5, affine=True),
            nn.LeakyReLU(0.01, inplace=True))


class UNet(nn.Module):
    def __init__(self, s):
        super().__init__()
        d = s["dims"]
        feats, kernels, strides = s["features"], s["kernelSizes"], s["poolStrides"]
        self.stages = len(feats)
        self.ds = s["deepSupervision"]
        convs = s.get("convolutionsPerStage", 2)
        one = [1] * d
        tconv = nn.ConvTranspose3d if d == 3 else nn.ConvTranspose2d
        conv = nn.Conv3d if d == 3 else nn.Conv2d
        self.enc = nn.ModuleList()
        cin = s["inputChannels"]
        for i, f in enumerate(feats):
            stride = one if i == 0 else strides[i - 1]
            self.enc.append(nn.Sequential(ConvNormAct(d, cin, f, kernels[i], stride),
                                          *[ConvNormAct(d, f, f, kernels[i], one) for _ in range(convs - 1)]))
            cin = f
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        self.heads = nn.ModuleDict()
        for i in range(self.stages - 2, -1, -1):
            self.up.append(tconv(feats[i + 1], feats[i], rev(strides[i]), rev(strides[i]), bias=False))
            self.dec.append(nn.Sequential(ConvNormAct(d, 2 * feats[i], feats[i], kernels[i], one),
                                          *[ConvNormAct(d, feats[i], feats[i], kernels[i], one)
                                            for _ in range(convs - 1)]))
            if i == 0 or (self.ds and i <= self.stages - 3):
                self.heads[str(i)] = conv(feats[i], s["classes"], 1)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Conv3d, nn.ConvTranspose2d, nn.ConvTranspose3d)):
                nn.init.kaiming_normal_(m.weight, a=0.01)

    def forward(self, x):
        skips = []
        for e in self.enc:
            x = e(x)
            skips.append(x)
        outs = {}
        for j, i in enumerate(range(self.stages - 2, -1, -1)):
            x = torch.cat([self.up[j](x), skips[i]], 1)
            x = self.dec[j](x)
            if str(i) in self.heads:
                outs[i] = self.heads[str(i)](x)
        return [outs[i] for i in sorted(outs)]


def loss_fn(logits, target, spec, strides):
    n = len(logits)
    w = [0.5 ** i for i in range(n)]
    w = [x / sum(w) for x in w]
    total = 0
    for lvl, z in enumerate(logits):
        t = target
        if lvl > 0:
            c = [1] * spec["dims"]
            for s in strides[:lvl]:
                c = [a * b for a, b in zip(c, s)]
            t = target[(slice(None),) + tuple(slice(None, None, k) for k in rev(c))]
        ce = F.cross_entropy(z, t)
        p = torch.softmax(z, 1)
        oh = F.one_hot(t.long(), spec["classes"]).movedim(-1, 1).float()
        axes = tuple(range(2, z.dim()))
        if spec["loss"]["batchDice"]:
            axes = (0,) + axes
        inter = (p * oh).sum(axes)
        dice = (2 * inter + 1e-5) / (p.sum(axes) + oh.sum(axes) + 1e-5).clamp_min(1e-8)
        total = total + w[lvl] * (ce - dice.mean())
    return total


def main():
    case = json.load(open(sys.argv[1]))
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    bf16 = len(sys.argv) > 3 and sys.argv[3] == "mixed"
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    s = case["spec"]
    net = UNet(s)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.99, nesterov=True, weight_decay=3e-5)
    shape = (case["batch"], s["inputChannels"]) + rev(case["patch"])
    x = torch.randn(shape)
    y = torch.randint(0, s["classes"], (case["batch"],) + rev(case["patch"]))

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = net(x)
        loss = loss_fn([z.float() for z in logits], y, s, s["poolStrides"])
        loss.backward()
        opt.step()

    step()
    step()
    t0 = time.perf_counter()
    c0 = time.process_time()
    for _ in range(case["trainSteps"]):
        step()
    train_ms = (time.perf_counter() - t0) * 1e3 / case["trainSteps"]
    train_cpu = (time.process_time() - c0) / case["trainSteps"]
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        net.eval()
        torch.softmax(net(x)[0], 1)
        t1 = time.perf_counter()
        for _ in range(case["forwardPasses"]):
            torch.softmax(net(x)[0], 1)
        fwd_ms = (time.perf_counter() - t1) * 1e3 / case["forwardPasses"]
    flops = case["forwardFlops"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    label = "pytorch-%s%s" % (torch.__version__.split("a")[0], " bf16" if bf16 else "")
    precision = "autocast bfloat16" if bf16 else "float32"
    if bf16 and not case.get("nativeBfloat16", False):
        precision += " (emulated: no native bfloat16)"
    onednn = "oneDNN %s (torch.backends.mkldnn)" % (
        "on" if torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled else "off")
    print("%-9s %-18s train %8.0f ms/step (cpu %5.1f s) %6.1f GFLOP/s | forward %8.0f ms %6.1f GFLOP/s | peak RSS %6.0f MB | PyTorch %s, %d threads, %s, %s | %s"
          % (case["name"], label, train_ms, train_cpu, 3 * flops / train_ms / 1e6, fwd_ms, flops / fwd_ms / 1e6, peak,
             torch.__version__, threads, precision, onednn, case.get("processor", "processor unknown")))


if __name__ == "__main__":
    main()
