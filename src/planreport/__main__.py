"""Allow `python -m planreport`."""

import sys

from planreport.cli import main

sys.exit(main())
