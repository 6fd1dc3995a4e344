from enum import Enum


class LLMReasoningEffort(str, Enum):
    HIGH = "high"
    LOW = "low"
    MEDIUM = "medium"
    X_HIGH = "xhigh"

    def __str__(self) -> str:
        return str(self.value)
