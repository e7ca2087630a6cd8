#ifndef DROPSYNC_CZLIB_SHIM_H
#define DROPSYNC_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro; Swift cannot call it.
static inline int dropsync_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

/// deflateInit2 is a macro; Swift cannot call it.
static inline int dropsync_deflateInit2(z_streamp stream, int level, int windowBits, int memLevel) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}
#endif
