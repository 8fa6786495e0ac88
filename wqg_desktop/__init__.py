"""wqg-desktop：青少年维权岗创建活动管理程序。"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("wqg-desktop")
except _metadata.PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+checkout"

APP_NAME = "维权岗"
APP_NAME_LONG = "青少年维权岗创建活动管理"
APP_ID = "wqg-desktop"
