"""``python -m zhongshu.proofread ...`` runs the proofreading CLI."""
import sys

from .cli import main

sys.exit(main())
