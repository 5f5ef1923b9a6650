// CZOKernels: the C kernels of ZOLab. Swift code reaches them through ZOCore only.
//
// Counter-based noise (Philox-4x32-10, Salmon et al. 2011). Element e of the stream keyed by
// (seed, stream) is a pure function of (seed, stream, e): any element range can be produced
// on its own, in any order, on any number of threads, bit-identically. The counter of
// element e is (e / E, stream) with E elements drawn per counter:
//   Float32 Gaussian / uniform: E = 4   (one 32-bit word per element; Gaussian by Box–Muller
//                                          on word pairs)
//   Float64 Gaussian / uniform: E = 2   (53 bits from two words per element)
//   Rademacher (both types):     E = 128 (one bit per element)
// Gaussians use Box–Muller with polynomial log / sin / cos in both precisions (no libm, so the
// bits do not depend on the C library either). Every ISA path (AVX-512, AVX2, generic)
// performs the same IEEE operations in the same order (no FMA contraction), so results do not
// depend on the machine's vector width (tested path by path with zo_noise_fill_on).
#ifndef CZOKERNELS_H
#define CZOKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ZO_NOISE_GAUSSIAN = 0,
    ZO_NOISE_RADEMACHER = 1,
    ZO_NOISE_UNIFORM = 2,
} zo_noise_kind;

/// One Philox-4x32-10 block: out = philox(counter, key).
void zo_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]);

/// out[i] = z[first + i] for i in [0, n).
void zo_noise_fill_f32(float *out, int64_t n, uint64_t seed, uint64_t stream, int64_t first, int kind);
void zo_noise_fill_f64(double *out, int64_t n, uint64_t seed, uint64_t stream, int64_t first, int kind);

/// x[i] += scale * z[first + i]            when mult == NULL,
/// x[i] += scale * mult[i] * z[first + i]  otherwise (evaluated as (scale * mult[i]) * z).
void zo_noise_axpy_f32(float *x, int64_t n, float scale, const float *mult,
                       uint64_t seed, uint64_t stream, int64_t first, int kind);
void zo_noise_axpy_f64(double *x, int64_t n, double scale, const double *mult,
                       uint64_t seed, uint64_t stream, int64_t first, int kind);

/// Name of the instruction-set path the dispatcher picked ("avx512f", "avx2" or "generic");
/// the Float32 and Float64 kernels use the same one.
const char *zo_noise_isa(void);

/// Test hooks: the compiled ISA paths, best first (index = `isa` below), their names, and
/// whether this CPU can run path `isa`.
int zo_noise_isa_count(void);
const char *zo_noise_isa_name(int isa);
int zo_noise_isa_supported(int isa);

/// zo_noise_fill_f32 (is_double = 0, `out` is float*) or zo_noise_fill_f64 (is_double = 1,
/// `out` is double*) on ISA path `isa` instead of the dispatcher's choice, single-threaded.
/// Returns 0, or −1 (nothing written) when the CPU cannot run that path.
int zo_noise_fill_on(int isa, int is_double, void *out, int64_t n, uint64_t seed, uint64_t stream,
                     int64_t first, int kind);

#ifdef __cplusplus
}
#endif
#endif
