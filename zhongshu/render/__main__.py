"""``python -m zhongshu.render ...`` runs the rendering CLI."""
import sys

from .cli import main

sys.exit(main())
