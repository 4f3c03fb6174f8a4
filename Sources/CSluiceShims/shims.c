#include "csluice_shims.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int csluice_set_malloc_thresholds(int mmap_threshold, int trim_threshold) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, mmap_threshold) && mallopt(M_TRIM_THRESHOLD, trim_threshold);
#else
    (void)mmap_threshold; (void)trim_threshold;
    return 0;
#endif
}
