// CZOModelKernels: element-wise hot loops of the transformer (ZOModel reaches them through
// its Swift wrappers only; each has a Swift twin in ZOModel that the tests compare against).
//
// Every function is compiled for AVX-512F, AVX2 and baseline x86-64 (the widest the CPU has is
// used) without FMA contraction, and reductions use 16 fixed lanes combined in a fixed order,
// so every ISA path returns bit-identical results (tested by forcing each path). exp is the Cephes-style
// polynomial of ZOModel's VectorMath.exp8 (same operations, same results): relative error
// ≤ 4 ulp on [-87, 88], 0 below -87.3, +inf above 88.7.
#ifndef CZOMODELKERNELS_H
#define CZOMODELKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[i] = gelu(in[i]) = in[i] / (1 + exp(-2u)), u = sqrt(2/pi)(x + 0.044715 x^3). out may alias in.
void zo_gelu_forward_f32(float *out, const float *in, int64_t n);

/// Row-wise bias + GELU: pre[r, i] += bias[i]; out[r, i] = gelu(pre[r, i]) for rows x cols.
/// out may alias pre exactly (then it ends holding the GELU).
void zo_bias_gelu_forward_f32(float *pre, float *out, const float *bias, int64_t rows, int64_t cols);

/// dinp[i] (+)= gelu'(in[i]) * dout[i]  (accumulate != 0: +=, else =).
void zo_gelu_backward_f32(float *dinp, const float *in, const float *dout, int64_t n, int accumulate);

/// p[i] = exp(p[i] - shift) for i < n; returns the sum of the new p (16-lane accumulation).
float zo_exp_shift_sum_f32(float *p, int64_t n, float shift);

/// max of p[0..n), n >= 1.
float zo_max_f32(const float *p, int64_t n);

/// LayerNorm of rows [0, rows) of in[rows, C]: out = (x - mean) * rstd * w + b, two-pass mean
/// and biased variance (16-lane sums), rstd = 1 / sqrt(var + eps). mean/rstd may be NULL.
void zo_layernorm_forward_f32(float *out, float *mean, float *rstd, const float *in, const float *weight,
                              const float *bias, int64_t rows, int64_t C, float eps);

/// Name of the path in use: "avx512", "avx2" or "baseline".
const char *zo_model_kernels_isa(void);

/// Tests only: use ISA level `level` (0 baseline, 1 AVX2, 2 AVX-512F) if the CPU has it,
/// -1 for the widest available. Not synchronised: call while no kernel runs.
void zo_model_kernels_force_isa(int level);

#ifdef __cplusplus
}
#endif
#endif
