from enum import Enum


class ConversationKind(str, Enum):
    DIRECT = "direct"
    GATEWAY = "gateway"

    def __str__(self) -> str:
        return str(self.value)
