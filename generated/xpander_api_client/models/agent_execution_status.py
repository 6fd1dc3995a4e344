from enum import Enum


class AgentExecutionStatus(str, Enum):
    Pending = "pending"
    Executing = "executing"
    Paused = "paused"
    Error = "error"
    Failed = "failed"
    Completed = "completed"
    Stopped = "stopped"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_final(self) -> bool:
        """True for the statuses a run ends in: error, failed, completed, stopped."""
        return self.value in ("error", "failed", "completed", "stopped")
