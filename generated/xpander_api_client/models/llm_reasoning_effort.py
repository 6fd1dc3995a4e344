from enum import Enum


class LLMReasoningEffort(str, Enum):
    Low = "low"
    Medium = "medium"
    High = "high"
    XHigh = "xhigh"

    def __str__(self) -> str:
        return str(self.value)
