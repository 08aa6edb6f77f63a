"""Run as a child process by the crash test: writes answers until killed.

Prints the index of every answer *after* its commit returned, so the parent knows exactly
which answers the store promised to keep.
"""

from __future__ import annotations

import sys
from pathlib import Path

from practitioner_toolkit.store import Interpreter, IntervieweeDetails, Workspace


def main() -> None:
    folder, passphrase = Path(sys.argv[1]), sys.argv[2]
    ws = Workspace.unlock(folder, "supervisor", passphrase)
    case = ws.cases.open_case(IntervieweeDetails())
    session = ws.cases.start_session(case.id, "form", "1", "en", "th", Interpreter(False))
    print(f"session {session.id}", flush=True)
    index = 0
    while True:
        ws.cases.save_answer(
            session.id, f"q{index}", f"answer {index}", search_text=f"text {index}"
        )
        print(index, flush=True)
        index += 1


if __name__ == "__main__":
    main()
