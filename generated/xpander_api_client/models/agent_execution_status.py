from enum import Enum


class AgentExecutionStatus(str, Enum):
    COMPLETED = "completed"
    ERROR = "error"
    EXECUTING = "executing"
    FAILED = "failed"
    PAUSED = "paused"
    PENDING = "pending"
    STOPPED = "stopped"

    def __str__(self) -> str:
        return str(self.value)
