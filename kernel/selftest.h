#pragma once
// Built-in tests chosen with test=NAME on the kernel command line (XINIM_SELFTEST builds).
// Each prints what it checks; the QEMU tests in tests/boot read it.

// Runs the named test; returns only when there is none of that name.
void selftest_run(const char *name);
