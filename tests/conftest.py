"""The suite verifies the IR after every pass of compile(), as nnvm-opt does."""

import os

os.environ.setdefault("NNVM_VERIFY_EACH_PASS", "1")
