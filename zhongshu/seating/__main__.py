"""``python -m zhongshu.seating ...`` runs the seating CLI."""
import sys

from .cli import main

sys.exit(main())
