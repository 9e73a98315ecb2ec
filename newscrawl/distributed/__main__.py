import sys

from newscrawl.distributed.cli import main

sys.exit(main())
