from .pages import CourseCatalogPage, CoursePage, LessonPage, ModulePage
from .progress import Certificate, Enrolment, LessonCompletion

__all__ = [
    "Certificate",
    "CourseCatalogPage",
    "CoursePage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
]
