"""The probe side of each task: code that runs in the student's kernel.

A probe calls the student's answer on inputs the grader drew for this run and returns plain
raw values. The grader sends a probe's source text into the kernel with each check, so these
modules import only the standard library, numpy, ``autograd_course`` and each other (relative
imports), and hold no reference answers: those live in grading/tasks/, which the kernel never
sees.
"""
