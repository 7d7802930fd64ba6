"""Feedback and grading for the course's exercise notebooks.

In a notebook: ``from autograd_course.grading import check`` then ``check("task-id", answer)``.
From a shell: ``autograd-course grade SUBMISSION.ipynb`` and ``autograd-course build-exercises``.
"""

from .feedback import check

__all__ = ["check"]
