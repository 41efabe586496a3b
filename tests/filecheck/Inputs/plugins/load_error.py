"""A plugin that fails while loading, at line 6."""

import numpy as np

x = np.zeros(2)
y = undefined_name
