"""The graded tasks of each exercise: what is probed in the student's kernel, what is verified here.

These modules are loaded twice: normally by the grader (which runs each task's ``verify``), and
as fresh private copies inside the student's kernel by the grader's probe cell (which runs each
task's ``probe``). So they import only the standard library, numpy, ``autograd_course`` and
each other through relative imports, never ``autograd_course.grading``.
"""
