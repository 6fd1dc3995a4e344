from enum import Enum


class ConversationKind(str, Enum):
    Direct = "direct"
    Gateway = "gateway"

    def __str__(self) -> str:
        return str(self.value)
