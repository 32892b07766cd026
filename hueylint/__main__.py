"""``python -m hueylint``."""

import sys

from hueylint.cli import main

if __name__ == "__main__":
    sys.exit(main())
