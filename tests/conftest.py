import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# Seeds per difficulty in the seed sweeps. CI runs 200; a full sweep: PROBGEN_SWEEP_SEEDS=2000 pytest -m sweep
os.environ.setdefault("PROBGEN_SWEEP_SEEDS", "200")
