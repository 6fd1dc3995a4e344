from enum import Enum


class AttachmentKind(str, Enum):
    Image = "image"
    Pdf = "pdf"
    Document = "document"
    Text = "text"
    Audio = "audio"
    Video = "video"
    Archive = "archive"
    Unknown = "unknown"

    def __str__(self) -> str:
        return str(self.value)
