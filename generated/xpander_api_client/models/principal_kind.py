from enum import Enum


class PrincipalKind(str, Enum):
    user = "user"
    slack = "slack"
    api_key = "api_key"
    system = "system"
    anonymous = "anonymous"

    def __str__(self) -> str:
        return str(self.value)
