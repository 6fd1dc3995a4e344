from enum import Enum


class ThinkMode(str, Enum):
    Default = "default"
    Harder = "harder"

    def __str__(self) -> str:
        return str(self.value)
