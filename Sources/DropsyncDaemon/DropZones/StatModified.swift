#if canImport(Glibc)
import Glibc
#endif

extension stat {
    /// `st_mtim` as seconds since 1970, with nanoseconds: a drop-zone file's version is its size and this.
    var modifiedSince1970: Double { Double(st_mtim.tv_sec) + Double(st_mtim.tv_nsec) / 1e9 }
}
