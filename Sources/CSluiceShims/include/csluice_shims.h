#ifndef CSLUICE_SHIMS_H
#define CSLUICE_SHIMS_H

/// Makes glibc serve allocations of at least `mmap_threshold` bytes with mmap (returned to the system on free)
/// and trim the heap above `trim_threshold` free bytes, with fixed thresholds instead of glibc's dynamic ones.
/// Returns 1 on success, 0 where unsupported.
int csluice_set_malloc_thresholds(int mmap_threshold, int trim_threshold);

#endif
