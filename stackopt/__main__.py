import sys

from stackopt.cli import main

sys.exit(main())
