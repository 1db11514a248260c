"""Runs the client's tests as on an interpreter without NumPy: `import numpy` fails,
so windows travel as JSON and every NumPy path is left aside (torch, which needs
NumPy here, is left aside too).

    python3 clients/python/tests/run_without_numpy.py
"""
import os
import sys
import unittest

sys.modules["numpy"] = None  # `import numpy` now raises ImportError
sys.modules["torch"] = None

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
suite = unittest.defaultTestLoader.discover(here, top_level_dir=here)
result = unittest.TextTestRunner(verbosity=2).run(suite)
sys.exit(0 if result.wasSuccessful() else 1)
