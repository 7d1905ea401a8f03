"""Run the workshop command line: ``python -m helpers --help``."""

from helpers.cli import main

if __name__ == "__main__":
    main()
