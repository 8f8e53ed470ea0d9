import sys

sys.path.insert(0, __file__.rpartition("/")[0])
import runner  # noqa: E402

runner.main()
