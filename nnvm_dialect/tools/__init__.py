"""Command-line tools: `nnvm-opt`, `nnvm-run`."""
