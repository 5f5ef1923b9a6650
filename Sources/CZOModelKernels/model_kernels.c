// See CZOModelKernels.h. Compiled with -O3 -ffp-contract=off (Package.swift).
#include "CZOModelKernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__clang__) && defined(__ELF__)
#define ZO_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ZO_CLONES
#endif

#define LANES 16

static inline float zo_expf(float x) {
    float xc = x < -87.3f ? -87.3f : x;
    xc = xc > 88.7f ? 88.7f : xc;
    const float magic = 12582912.0f;                 // 1.5 * 2^23: rounds to an integer in the low bits
    float t = xc * 1.44269504088896341f + magic;
    float n = t - magic;
    float r = xc - n * 0.693359375f;
    r = r - n * (-2.12194440e-4f);
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float er = p * (r * r) + r + 1.0f;
    int32_t ti, mi;
    memcpy(&ti, &t, 4);
    memcpy(&mi, &magic, 4);
    int32_t bits = ((ti - mi) + 127) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    float result = er * scale;
    result = x < -87.3f ? 0.0f : result;
    result = x > 88.7f ? INFINITY : result;
    return result;
}

static const float kScale = 0.7978845608028654f;     // sqrt(2/pi)
static const float kCubic = 0.044715f;

ZO_CLONES
void zo_gelu_forward_f32(float *out, const float *in, int64_t n) {
    const float s2 = -2.0f * kScale;
    // out may alias in exactly (GELU in place): element i reads in[i] before writing out[i], so
    // vectorising is safe; the pragma drops the runtime overlap check that would otherwise send
    // the in-place call down the scalar loop.
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) {
        float x = in[i];
        float e = zo_expf(s2 * (x + kCubic * x * x * x));
        out[i] = x / (1.0f + e);
    }
}

ZO_CLONES
void zo_gelu_backward_f32(float *dinp, const float *in, const float *dout, int64_t n, int accumulate) {
#pragma clang loop vectorize(assume_safety)
    for (int64_t i = 0; i < n; i++) {
        float x = in[i];
        float u = kScale * (x + kCubic * x * x * x);
        float t = 1.0f - 2.0f / (zo_expf(2.0f * u) + 1.0f);
        float local = 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * kScale * (1.0f + 3.0f * kCubic * x * x);
        float d = local * dout[i];
        dinp[i] = accumulate ? dinp[i] + d : d;
    }
}

static inline float zo_reduce(const float acc[LANES]) {
    float s8[8], s4[4];
    for (int j = 0; j < 8; j++) s8[j] = acc[j] + acc[j + 8];
    for (int j = 0; j < 4; j++) s4[j] = s8[j] + s8[j + 4];
    return (s4[0] + s4[2]) + (s4[1] + s4[3]);
}

ZO_CLONES
float zo_exp_shift_sum_f32(float *p, int64_t n, float shift) {
    float acc[LANES] = {0};
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        for (int j = 0; j < LANES; j++) {
            float e = zo_expf(p[i + j] - shift);
            p[i + j] = e;
            acc[j] += e;
        }
    }
    for (int j = 0; i + j < n; j++) {
        float e = zo_expf(p[i + j] - shift);
        p[i + j] = e;
        acc[j] += e;
    }
    return zo_reduce(acc);
}

ZO_CLONES
float zo_max_f32(const float *p, int64_t n) {
    float acc[LANES];
    for (int j = 0; j < LANES; j++) acc[j] = p[0];
    int64_t i = 0;
    for (; i + LANES <= n; i += LANES)
        for (int j = 0; j < LANES; j++) acc[j] = p[i + j] > acc[j] ? p[i + j] : acc[j];
    for (int j = 0; i + j < n; j++) acc[j] = p[i + j] > acc[j] ? p[i + j] : acc[j];
    float m = acc[0];
    for (int j = 1; j < LANES; j++) m = acc[j] > m ? acc[j] : m;
    return m;
}

static inline float zo_row_sum(const float *x, int64_t C, float shift, int squared) {
    float acc[LANES] = {0};
    int64_t i = 0;
    for (; i + LANES <= C; i += LANES)
        for (int j = 0; j < LANES; j++) {
            float d = x[i + j] - shift;
            acc[j] += squared ? d * d : d;
        }
    for (int j = 0; i + j < C; j++) {
        float d = x[i + j] - shift;
        acc[j] += squared ? d * d : d;
    }
    return zo_reduce(acc);
}

ZO_CLONES
void zo_layernorm_forward_f32(float *out, float *mean, float *rstd, const float *in, const float *weight,
                              const float *bias, int64_t rows, int64_t C, float eps) {
    for (int64_t r = 0; r < rows; r++) {
        const float *x = in + r * C;
        float m = zo_row_sum(x, C, 0.0f, 0) / (float)C;
        float v = zo_row_sum(x, C, m, 1) / (float)C;
        float s = 1.0f / sqrtf(v + eps);
        float *o = out + r * C;
        for (int64_t i = 0; i < C; i++) o[i] = (x[i] - m) * s * weight[i] + bias[i];
        if (mean) mean[r] = m;
        if (rstd) rstd[r] = s;
    }
}

const char *zo_model_kernels_isa(void) {
#if defined(__x86_64__) && defined(__clang__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd")) return "avx512";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2";
#endif
    return "baseline";
}
