"""Running compiled modules on numpy arrays (the CPU JIT)."""
