from enum import Enum


class ThinkMode(str, Enum):
    DEFAULT = "default"
    HARDER = "harder"

    def __str__(self) -> str:
        return str(self.value)
