from enum import Enum


class OutputFormat(str, Enum):
    Text = "text"
    Markdown = "markdown"
    Json = "json"
    Voice = "voice"

    def __str__(self) -> str:
        return str(self.value)
