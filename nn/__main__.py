"""`python -m nn ...`: the command line (see nn/cli.py)."""

from .cli import main

raise SystemExit(main())
