"""An RQ worker for tests: runs jobs in the test's process, without the command channel
whose thread RQ 3.0 stops only at its next minute-long poll (a burst worker then takes up
to a minute to exit)."""

from rq import SimpleWorker


class InProcessWorker(SimpleWorker):
    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass
