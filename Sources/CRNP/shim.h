#include <stdio.h>
#include <rnp/rnp.h>
#include <rnp/rnp_err.h>

/// Points C's `stderr` stream at `replacement` and returns the stream it pointed at. librnp's
/// parsers print to that stream directly (see LibraryDiagnostics.swift); Swift 6 cannot assign
/// the C global itself.
static inline FILE *crnp_swap_stderr_stream(FILE *replacement) {
    FILE *previous = stderr;
    stderr = replacement;
    return previous;
}
