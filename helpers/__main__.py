"""Run the workshop command line: ``python -m helpers --help``.

Works in a bare Python too, before anything is installed: it then says whether this computer
can install the workshop (``helpers.plumbing.platforms``, standard library only) and what to do
next, instead of a ``ModuleNotFoundError`` traceback. The command line itself is
``helpers.plumbing.cli``.
"""

import os
import sys

from helpers.plumbing import platforms

if __name__ == "__main__":
    try:
        from helpers.plumbing.cli import main
    except ImportError as err:
        if os.environ.get("HELPERS_DEBUG"):
            raise
        sys.exit(platforms.not_installed_message(err))
    main()
