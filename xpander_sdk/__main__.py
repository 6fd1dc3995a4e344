"""``python -m xpander_sdk``: the ``xpander-tasks`` command line."""

from xpander_sdk.cli import main

raise SystemExit(main())
