// OpenBLAS through its CBLAS header (which also declares openblas_get_corename,
// openblas_get_config, openblas_get_num_threads and openblas_set_num_threads).
// The runtime-dispatch entry points of a DYNAMIC_ARCH build (gotoblas_dynamic_init/quit)
// are looked up with dlsym by ZOCore's BLASRuntime, so a build without them still links.
#include <cblas.h>
