"""Python app facts: what a huey application declares, read statically (libcst lives in extract)."""
