from enum import Enum


class AttachmentKind(str, Enum):
    ARCHIVE = "archive"
    AUDIO = "audio"
    DOCUMENT = "document"
    IMAGE = "image"
    PDF = "pdf"
    TEXT = "text"
    UNKNOWN = "unknown"
    VIDEO = "video"

    def __str__(self) -> str:
        return str(self.value)
