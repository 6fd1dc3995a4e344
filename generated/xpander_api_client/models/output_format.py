from enum import Enum


class OutputFormat(str, Enum):
    JSON = "json"
    MARKDOWN = "markdown"
    TEXT = "text"
    VOICE = "voice"

    def __str__(self) -> str:
        return str(self.value)
