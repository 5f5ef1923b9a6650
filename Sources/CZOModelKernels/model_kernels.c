// See CZOModelKernels.h. Compiled with -O3 -ffp-contract=off (Package.swift).
#include "CZOModelKernels.h"

#include <math.h>
#include <string.h>

// Each kernel body is an always-inline function instantiated three times: for AVX-512F, for
// AVX2 and for the baseline; the vectoriser runs after inlining, so each copy uses its ISA's
// width. zo_isa() picks the widest the CPU has (once); tests force each path in turn.
#define ZO_BODY static inline __attribute__((always_inline))
#if defined(__x86_64__) && defined(__clang__)
#define ZO_HAS_VARIANTS 1
#define ZO_VARIANTS(ret, name, params, args)                                                   \
    __attribute__((target("avx512f"))) static ret name##_avx512 params { return name##_body args; } \
    __attribute__((target("avx2"))) static ret name##_avx2 params { return name##_body args; }      \
    static ret name##_base params { return name##_body args; }                                     \
    ret name params {                                                                              \
        switch (zo_isa()) {                                                                        \
        case 2: return name##_avx512 args;                                                         \
        case 1: return name##_avx2 args;                                                           \
        default: return name##_base args;                                                          \
        }                                                                                          \
    }
#else
#define ZO_VARIANTS(ret, name, params, args) \
    ret name params { return name##_body args; }
#endif

static int zo_isa_forced = -1;
static int zo_isa_detected = -1;

static int zo_isa_supported(void) {
#if defined(__x86_64__) && defined(__clang__)
    if (zo_isa_detected < 0) {
        __builtin_cpu_init();
        int level = 0;
        if (__builtin_cpu_supports("avx2")) level = 1;
        if (__builtin_cpu_supports("avx512f")) level = 2;
        zo_isa_detected = level;          // idempotent: a race writes the same value
    }
    return zo_isa_detected;
#else
    return 0;
#endif
}

static inline int zo_isa(void) {
    int supported = zo_isa_supported();
    return (zo_isa_forced >= 0 && zo_isa_forced < supported) ? zo_isa_forced : supported;
}

void zo_model_kernels_force_isa(int level) { zo_isa_forced = level; }

#define LANES 16

ZO_BODY float zo_expf(float x) {
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

ZO_BODY void zo_gelu_forward_f32_body(float *out, const float *in, int64_t n) {
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

ZO_BODY void zo_bias_gelu_forward_f32_body(float *pre, float *out, const float *bias, int64_t rows, int64_t cols) {
    const float s2 = -2.0f * kScale;
    for (int64_t r = 0; r < rows; r++) {
        float *p = pre + r * cols, *o = out + r * cols;
        // o may alias p exactly (inference: GELU in place); see zo_gelu_forward_f32.
#pragma clang loop vectorize(assume_safety)
        for (int64_t i = 0; i < cols; i++) {
            float x = p[i] + bias[i];
            p[i] = x;
            float e = zo_expf(s2 * (x + kCubic * x * x * x));
            o[i] = x / (1.0f + e);
        }
    }
}

ZO_BODY void zo_gelu_backward_f32_body(float *dinp, const float *in, const float *dout, int64_t n, int accumulate) {
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

ZO_BODY float zo_reduce(const float acc[LANES]) {
    float s8[8], s4[4];
    for (int j = 0; j < 8; j++) s8[j] = acc[j] + acc[j + 8];
    for (int j = 0; j < 4; j++) s4[j] = s8[j] + s8[j + 4];
    return (s4[0] + s4[2]) + (s4[1] + s4[3]);
}

ZO_BODY float zo_exp_shift_sum_f32_body(float *p, int64_t n, float shift) {
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

ZO_BODY float zo_max_f32_body(const float *p, int64_t n) {
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

ZO_BODY float zo_row_sum(const float *x, int64_t C, float shift, int squared) {
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

ZO_BODY void zo_layernorm_forward_f32_body(float *out, float *mean, float *rstd, const float *in, const float *weight,
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


ZO_VARIANTS(void, zo_gelu_forward_f32, (float *out, const float *in, int64_t n), (out, in, n))
ZO_VARIANTS(void, zo_bias_gelu_forward_f32, (float *pre, float *out, const float *bias, int64_t rows, int64_t cols),
            (pre, out, bias, rows, cols))
ZO_VARIANTS(void, zo_gelu_backward_f32, (float *dinp, const float *in, const float *dout, int64_t n, int accumulate),
            (dinp, in, dout, n, accumulate))
ZO_VARIANTS(float, zo_exp_shift_sum_f32, (float *p, int64_t n, float shift), (p, n, shift))
ZO_VARIANTS(float, zo_max_f32, (const float *p, int64_t n), (p, n))
ZO_VARIANTS(void, zo_layernorm_forward_f32,
            (float *out, float *mean, float *rstd, const float *in, const float *weight, const float *bias, int64_t rows,
             int64_t C, float eps),
            (out, mean, rstd, in, weight, bias, rows, C, eps))

const char *zo_model_kernels_isa(void) {
    switch (zo_isa()) {
    case 2: return "avx512";
    case 1: return "avx2";
    default: return "baseline";
    }
}
