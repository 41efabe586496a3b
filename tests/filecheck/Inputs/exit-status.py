"""`python exit-status.py N CMD ARGS...`: run CMD, pass its output through, and succeed only if
it exits with status N (lit's `not` accepts any failure)."""

import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.run(sys.argv[2:]).returncode
if got != want:
    print(f"exit-status.py: expected exit status {want}, got {got}", file=sys.stderr)
    sys.exit(1)
