#!/usr/bin/env bash
# Third-order resampling of a 240x240x155 float volume to 160x160x103 (BraTS at 1.5 mm):
# this project on 1 thread and on all cores, then scipy.ndimage.zoom(order=3) on the same
# machine, same sizes. Needs Debian's python3-scipy for the comparison. Usage: bench/resample.sh [REPEATS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repeats="${1:-5}"
cp="$("$here/classpath.sh")"
java -Xmx4g -cp "$cp" io.github.nnunetfiji.bench.ResampleBenchmark 240 240 155 160 160 103 "$repeats"
if /usr/bin/python3 -c "import scipy" 2>/dev/null; then
  /usr/bin/python3 - "$repeats" <<'PY'
import sys, time
import numpy as np
from scipy import ndimage
repeats = int(sys.argv[1])
s, t = (240, 240, 155), (160, 160, 103)
d = np.random.default_rng(0).standard_normal(s).astype(np.float32)
zoom = [b / a for a, b in zip(s, t)]
ms = []
for _ in range(repeats):
    t0 = time.perf_counter()
    out = ndimage.zoom(d, zoom, order=3, mode='nearest', grid_mode=True)
    ms.append((time.perf_counter() - t0) * 1e3)
ms.sort()
print("scipy.ndimage.zoom order 3 (1 thread): %s -> %s  min %.0f ms  median %.0f ms  %.1f Mvoxel/s"
      % (s, out.shape, ms[0], ms[len(ms) // 2], np.prod(t) / ms[len(ms) // 2] / 1e3))
PY
else
  echo "python3-scipy not installed: no side-by-side figure"
fi
