"""`python -m ingest`: the same command as `xianxue-ingest`."""
import sys

from .cli import main

sys.exit(main())
