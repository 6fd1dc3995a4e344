from enum import Enum


class AttachmentKind(str, Enum):
    image = "image"
    pdf = "pdf"
    document = "document"
    text = "text"
    audio = "audio"
    video = "video"
    archive = "archive"
    unknown = "unknown"

    def __str__(self) -> str:
        return str(self.value)
