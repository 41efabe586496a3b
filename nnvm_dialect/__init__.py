"""nnvm-dialect: NNVM's graph IR rebuilt as an xDSL dialect."""
