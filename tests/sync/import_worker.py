"""Run as a child process by the crash test: imports a bundle slowly until it is killed.

Prints ``applying`` once the first chunk of records is written inside the import's
transaction, then keeps the transaction open (sleeping between chunks) so the parent can kill
it mid-way.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from practitioner_toolkit.store import Workspace
from practitioner_toolkit.sync import SyncService


def main() -> None:
    folder, passphrase, bundle = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    workspace = Workspace.unlock(folder, "supervisor", passphrase)
    service = SyncService(workspace)

    def slow(done: int, total: int) -> None:
        print(f"applying {done}/{total}", flush=True)
        time.sleep(0.5)

    service.import_file(bundle, progress=slow)
    print("finished", flush=True)


if __name__ == "__main__":
    main()
