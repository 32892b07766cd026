"""Python app facts: what a huey application declares, read statically (the stdlib ``ast``; libcst only
for syntax newer than the running Python, in :mod:`hueylint.pyapp.fallback`)."""
