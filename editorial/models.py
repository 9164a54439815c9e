# The editorial workflow's own tables: the last check of each web address, and visitors'
# problem reports. (History tables belong to the apps whose records they follow.)
from editorial.feedback import Feedback
from editorial.linkcheck import LinkCheck

__all__ = ["Feedback", "LinkCheck"]
