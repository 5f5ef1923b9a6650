// Philox-4x32-10 noise streams; see include/CZOKernels.h for the contract.
//
// Layout of the hot path: a chunk of 16 counters is run through Philox lane-wise (so the
// compiler vectorises across counters), turned into 64 Float32 or 32 Float64 values, and then
// applied to the destination. Each chunk body is compiled three times (AVX-512, AVX2,
// generic) from one always-inline source and picked once at run time. With -ffp-contract=off
// and no libm calls (polynomial log / sin / cos, IEEE sqrt and division), all three perform
// identical IEEE operations, hence identical bits; the tests run every path the CPU supports
// through zo_noise_fill_on() and compare bits.
#include "CZOKernels.h"
#include <math.h>
#include <string.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

#define ZO_INLINE static inline __attribute__((always_inline))

void zo_philox4x32_10(const uint32_t counter[4], const uint32_t key[2], uint32_t out[4]) {
    uint32_t c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint64_t p0 = (uint64_t)PHILOX_M0 * c0;
        uint64_t p1 = (uint64_t)PHILOX_M1 * c2;
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
        uint32_t n1 = (uint32_t)p1;
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
        uint32_t n3 = (uint32_t)p0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += PHILOX_W0; k1 += PHILOX_W1;
    }
    out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

enum { LANES = 16 };  // counters per chunk

// Runs LANES consecutive counters (first, first+1, ...) with the given stream and key.
// Output word w of lane l is stored at words[w][l].
ZO_INLINE void philox_lanes(uint64_t firstCounter, uint64_t stream, uint64_t seed,
                            uint32_t words[4][LANES]) {
    uint32_t c0[LANES], c1[LANES], c2[LANES], c3[LANES];
    for (int l = 0; l < LANES; l++) {
        uint64_t ctr = firstCounter + (uint64_t)l;
        c0[l] = (uint32_t)ctr;
        c1[l] = (uint32_t)(ctr >> 32);
        c2[l] = (uint32_t)stream;
        c3[l] = (uint32_t)(stream >> 32);
    }
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        for (int l = 0; l < LANES; l++) {
            uint64_t p0 = (uint64_t)PHILOX_M0 * c0[l];
            uint64_t p1 = (uint64_t)PHILOX_M1 * c2[l];
            uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[l] ^ k0;
            uint32_t n1 = (uint32_t)p1;
            uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3[l] ^ k1;
            uint32_t n3 = (uint32_t)p0;
            c0[l] = n0; c1[l] = n1; c2[l] = n2; c3[l] = n3;
        }
        k0 += PHILOX_W0; k1 += PHILOX_W1;
    }
    for (int l = 0; l < LANES; l++) {
        words[0][l] = c0[l]; words[1][l] = c1[l]; words[2][l] = c2[l]; words[3][l] = c3[l];
    }
}

// ---- Float32 elementary functions (vectorisable, no libm) -------------------------------
//
// Natural log on (0, 1] (Cephes-style split x = m·2^e, m in [√½, √2), degree-9 polynomial
// for log(1+f)); max relative error about 2e-7 on the uniforms the generator produces.
ZO_INLINE float zo_logf(float x) {
    union { float f; uint32_t u; } v = {x};
    int32_t e = (int32_t)(v.u >> 23) - 126;          // x = m * 2^e with m in [0.5, 1)
    v.u = (v.u & 0x007FFFFFu) | 0x3F000000u;
    float m = v.f;
    float f;
    if (m < 0.70710678118654752f) { e -= 1; f = m + m - 1.0f; } else { f = m - 1.0f; }
    float z = f * f;
    float p = 7.0376836292e-2f;
    p = p * f - 1.1514610310e-1f;
    p = p * f + 1.1676998740e-1f;
    p = p * f - 1.2420140846e-1f;
    p = p * f + 1.4249322787e-1f;
    p = p * f - 1.6668057665e-1f;
    p = p * f + 2.0000714765e-1f;
    p = p * f - 2.4999993993e-1f;
    p = p * f + 3.3333331174e-1f;
    float y = p * f * z;
    float fe = (float)e;
    y = y + fe * -2.12194440e-4f;
    y = y - 0.5f * z;
    return f + y + fe * 0.693359375f;
}

// sin and cos of a in [-π/4, π/4] (minimax polynomials, abs error < 1e-7).
ZO_INLINE float zo_sin_small(float a) {
    float z = a * a;
    float p = -1.9515295891e-4f;
    p = p * z + 8.3321608736e-3f;
    p = p * z - 1.6666654611e-1f;
    return a + a * z * p;
}
ZO_INLINE float zo_cos_small(float a) {
    float z = a * a;
    float p = 2.443315711809948e-5f;
    p = p * z - 1.388731625493765e-3f;
    p = p * z + 4.166664568298827e-2f;
    return 1.0f - 0.5f * z + z * z * p;
}

// u in (0,1): 23 high bits of the word plus ½ (exact in 24 bits), so log(u) is always finite.
ZO_INLINE float open_unit_f32(uint32_t w) { return ((float)(w >> 9) + 0.5f) * 0x1.0p-23f; }
ZO_INLINE float closed_open_unit_f32(uint32_t w) { return (float)(w >> 8) * 0x1.0p-24f; }

// Box–Muller on (w1, w2) -> (n0, n1) = R (cos θ, sin θ), R = √(−2 ln u1), θ = 2π u2.
ZO_INLINE void box_muller_f32(uint32_t w1, uint32_t w2, float *n0, float *n1) {
    float u1 = open_unit_f32(w1);
    float u2 = closed_open_unit_f32(w2);
    float r = sqrtf(-2.0f * zo_logf(u1));
    float w = u2 * 4.0f;                      // θ = w·π/2, w in [0, 4)
    int32_t q = (int32_t)(w + 0.5f);          // nearest quadrant 0..4
    float a = (w - (float)q) * 1.57079632679489662f;   // a in [-π/4, π/4]
    float s = zo_sin_small(a), c = zo_cos_small(a);
    int32_t qm = q & 3;
    float cosv = (qm == 0) ? c : (qm == 1) ? -s : (qm == 2) ? -c : s;
    float sinv = (qm == 0) ? s : (qm == 1) ? c : (qm == 2) ? -s : -c;
    *n0 = r * cosv;
    *n1 = r * sinv;
}

// 64 Float32 values from counters [firstCounter, firstCounter + 16).
// Element 4j + w comes from word w of counter j.
ZO_INLINE void chunk_f32_body(uint64_t firstCounter, uint64_t stream, uint64_t seed,
                              int kind, float out[4 * LANES]) {
    uint32_t words[4][LANES];
    philox_lanes(firstCounter, stream, seed, words);
    if (kind == ZO_NOISE_GAUSSIAN) {
        float g[4][LANES];
        for (int l = 0; l < LANES; l++) {
            box_muller_f32(words[0][l], words[1][l], &g[0][l], &g[1][l]);
            box_muller_f32(words[2][l], words[3][l], &g[2][l], &g[3][l]);
        }
        for (int l = 0; l < LANES; l++)
            for (int w = 0; w < 4; w++) out[4 * l + w] = g[w][l];
    } else {
        for (int l = 0; l < LANES; l++)
            for (int w = 0; w < 4; w++) out[4 * l + w] = closed_open_unit_f32(words[w][l]);
    }
}

// ---- Float64 values (two elements per counter) ------------------------------------------
//
// Element 2j of the Gaussian stream is R cos θ and element 2j + 1 is R sin θ, with
// R = √(−2 ln u1), u1 = (k + ½)·2⁻⁵² from the 52 high bits of words 0–1 and θ = 2π u2,
// u2 = k'·2⁻⁵³ from the 53 high bits of words 2–3. log, sin and cos are polynomials (below),
// so the loop vectorises and every ISA path gives the same bits.

// Exact integer-to-double conversion of a 32-bit value by the 2⁵² trick (vectorises on
// every ISA, unlike 64-bit integer conversions before AVX-512DQ).
ZO_INLINE double u32_to_f64(uint32_t w) {
    union { uint64_t u; double d; } v = {0x4330000000000000ull | (uint64_t)w};
    return v.d - 0x1.0p52;
}

// (k + ½)·2⁻⁵², k = the 52 high bits of (hi:lo); in (0, 1), exact.
ZO_INLINE double open_unit_f64(uint32_t lo, uint32_t hi) {
    double k = u32_to_f64(hi) * 0x1.0p20 + u32_to_f64(lo >> 12);   // < 2⁵², exact
    return (k + 0.5) * 0x1.0p-52;
}
// k·2⁻⁵³, k = the 53 high bits of (hi:lo); in [0, 1), exact.
ZO_INLINE double closed_open_unit_f64(uint32_t lo, uint32_t hi) {
    double k = u32_to_f64(hi) * 0x1.0p21 + u32_to_f64(lo >> 11);   // < 2⁵³, exact
    return k * 0x1.0p-53;
}

#define ZO_LN2_HI 0x1.62e42p-1                 // ln 2 to 20 bits: e·LN2_HI is exact
#define ZO_LN2_LO 0x1.fdf473de6af28p-22        // ln 2 − LN2_HI
#define ZO_SQRT2 0x1.6a09e667f3bcdp+0
#define ZO_PI_2 0x1.921fb54442d18p+0

// Natural log of a normal x in (0, 1]. x = m·2^e with m in (√½, √2], f = m − 1,
// s = f/(2 + f): log(1 + f) = 2 atanh(s) = 2s + s·R(s²), R(z) = Σ_{k=1..10} 2z^k/(2k + 1)
// (|s| ≤ 0.1716, so the truncation is below 1e-18 relative), evaluated as
// f − (f²/2 − s(f²/2 + R)) and added to e·ln 2 in two parts. Error ≈ 1 ulp (tested).
ZO_INLINE double zo_log_f64(double x) {
    union { double d; uint64_t u; } v = {x};
    int32_t e = (int32_t)((uint32_t)(v.u >> 32) >> 20) - 1023;   // x = m·2^e, m in [1, 2)
    v.u = (v.u & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double m = v.d;
    if (m > ZO_SQRT2) { m = m * 0.5; e += 1; }
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double z = s * s;
    double p = 2.0 / 21.0;
    p = p * z + 2.0 / 19.0;
    p = p * z + 2.0 / 17.0;
    p = p * z + 2.0 / 15.0;
    p = p * z + 2.0 / 13.0;
    p = p * z + 2.0 / 11.0;
    p = p * z + 2.0 / 9.0;
    p = p * z + 2.0 / 7.0;
    p = p * z + 2.0 / 5.0;
    p = p * z + 2.0 / 3.0;
    double r = z * p;
    double hfsq = 0.5 * (f * f);
    double fe = (double)e;
    return fe * ZO_LN2_HI + (f - (hfsq - (s * (hfsq + r) + fe * ZO_LN2_LO)));
}

// sin and cos of a in [−π/4, π/4]: Taylor polynomials through a¹⁷ and a¹⁸ (truncation below
// 1e-19), Horner in a².
ZO_INLINE double zo_sin_small_f64(double a) {
    double z = a * a;
    double p = 1.0 / 355687428096000.0;        // 1/17!
    p = p * z - 1.0 / 1307674368000.0;         // 1/15!
    p = p * z + 1.0 / 6227020800.0;            // 1/13!
    p = p * z - 1.0 / 39916800.0;              // 1/11!
    p = p * z + 1.0 / 362880.0;                // 1/9!
    p = p * z - 1.0 / 5040.0;
    p = p * z + 1.0 / 120.0;
    p = p * z - 1.0 / 6.0;
    return a + a * (z * p);
}
ZO_INLINE double zo_cos_small_f64(double a) {
    double z = a * a;
    double p = -1.0 / 6402373705728000.0;      // 1/18!
    p = p * z + 1.0 / 20922789888000.0;        // 1/16!
    p = p * z - 1.0 / 87178291200.0;           // 1/14!
    p = p * z + 1.0 / 479001600.0;             // 1/12!
    p = p * z - 1.0 / 3628800.0;               // 1/10!
    p = p * z + 1.0 / 40320.0;
    p = p * z - 1.0 / 720.0;
    p = p * z + 1.0 / 24.0;
    return 1.0 - 0.5 * z + (z * z) * p;
}

// Box–Muller in Float64 on the four words of one counter.
ZO_INLINE void box_muller_f64(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3, double *n0, double *n1) {
    double u1 = open_unit_f64(w0, w1);
    double u2 = closed_open_unit_f64(w2, w3);
    double r = sqrt(-2.0 * zo_log_f64(u1));
    double w = u2 * 4.0;                      // θ = w·π/2, w in [0, 4), exact
    int32_t q = (int32_t)(w + 0.5);           // nearest quadrant 0..4 (w + ½ is exact)
    double a = (w - (double)q) * ZO_PI_2;     // w − q exact; a in [−π/4, π/4]
    double s = zo_sin_small_f64(a), c = zo_cos_small_f64(a);
    int32_t qm = q & 3;
    double cosv = (qm == 0) ? c : (qm == 1) ? -s : (qm == 2) ? -c : s;
    double sinv = (qm == 0) ? s : (qm == 1) ? c : (qm == 2) ? -s : -c;
    *n0 = r * cosv;
    *n1 = r * sinv;
}

// 2·LANES Float64 values from counters [firstCounter, firstCounter + LANES).
ZO_INLINE void chunk_f64_body(uint64_t firstCounter, uint64_t stream, uint64_t seed, int kind,
                              double out[2 * LANES]) {
    uint32_t words[4][LANES];
    philox_lanes(firstCounter, stream, seed, words);
    if (kind == ZO_NOISE_GAUSSIAN) {
        double g0[LANES], g1[LANES];
        for (int l = 0; l < LANES; l++)
            box_muller_f64(words[0][l], words[1][l], words[2][l], words[3][l], &g0[l], &g1[l]);
        for (int l = 0; l < LANES; l++) { out[2 * l] = g0[l]; out[2 * l + 1] = g1[l]; }
    } else {
        for (int l = 0; l < LANES; l++) {
            out[2 * l] = closed_open_unit_f64(words[0][l], words[1][l]);
            out[2 * l + 1] = closed_open_unit_f64(words[2][l], words[3][l]);
        }
    }
}

// ---- ISA paths and the dispatcher -------------------------------------------------------

#define DEFINE_CHUNK_PATHS(T, SUF)                                                              \
    __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))                              \
    static void chunk_##SUF##_avx512(uint64_t fc, uint64_t st, uint64_t sd, int kind, T *out) { \
        chunk_##SUF##_body(fc, st, sd, kind, out);                                              \
    }                                                                                           \
    __attribute__((target("avx2")))                                                             \
    static void chunk_##SUF##_avx2(uint64_t fc, uint64_t st, uint64_t sd, int kind, T *out) {   \
        chunk_##SUF##_body(fc, st, sd, kind, out);                                              \
    }                                                                                           \
    static void chunk_##SUF##_generic(uint64_t fc, uint64_t st, uint64_t sd, int kind, T *out) { \
        chunk_##SUF##_body(fc, st, sd, kind, out);                                              \
    }
DEFINE_CHUNK_PATHS(float, f32)
DEFINE_CHUNK_PATHS(double, f64)

typedef void (*chunk_f32_fn)(uint64_t, uint64_t, uint64_t, int, float *);
typedef void (*chunk_f64_fn)(uint64_t, uint64_t, uint64_t, int, double *);

// The ISA paths, best first. Index i is the `isa` argument of zo_noise_fill_on().
static const struct {
    const char *name;
    chunk_f32_fn f32;
    chunk_f64_fn f64;
} isa_paths[] = {
    {"avx512f", chunk_f32_avx512, chunk_f64_avx512},
    {"avx2", chunk_f32_avx2, chunk_f64_avx2},
    {"generic", chunk_f32_generic, chunk_f64_generic},
};
enum { ISA_PATHS = (int)(sizeof(isa_paths) / sizeof(isa_paths[0])) };

static int isa_supported(int i) {
    __builtin_cpu_init();
    switch (i) {
    case 0:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    case 1: return __builtin_cpu_supports("avx2");
    case 2: return 1;
    default: return 0;
    }
}

static int chosen_isa = ISA_PATHS - 1;

__attribute__((constructor)) static void zo_noise_init(void) {
    for (int i = 0; i < ISA_PATHS; i++) {
        if (isa_supported(i)) { chosen_isa = i; break; }
    }
}

const char *zo_noise_isa(void) { return isa_paths[chosen_isa].name; }
int zo_noise_isa_count(void) { return ISA_PATHS; }
const char *zo_noise_isa_name(int isa) { return (isa >= 0 && isa < ISA_PATHS) ? isa_paths[isa].name : 0; }
int zo_noise_isa_supported(int isa) { return isa >= 0 && isa < ISA_PATHS && isa_supported(isa); }

// ---- Rademacher (128 elements per counter) ----------------------------------------------
// Element 128j + b is +1 when bit (b mod 32) of word (b / 32) of counter j is 0, else −1.
enum { RADEMACHER_CHUNK = 128 * LANES };

#define DEFINE_RADEMACHER(T, SUF)                                                              \
    static void chunk_rademacher_##SUF(uint64_t firstCounter, uint64_t stream, uint64_t seed, \
                                       T out[RADEMACHER_CHUNK]) {                              \
        uint32_t words[4][LANES];                                                               \
        philox_lanes(firstCounter, stream, seed, words);                                        \
        for (int l = 0; l < LANES; l++)                                                         \
            for (int w = 0; w < 4; w++) {                                                       \
                uint32_t word = words[w][l];                                                    \
                T *o = out + 128 * l + 32 * w;                                                  \
                for (int b = 0; b < 32; b++) o[b] = ((word >> b) & 1u) ? (T)-1 : (T)1;          \
            }                                                                                   \
    }
DEFINE_RADEMACHER(float, f32)
DEFINE_RADEMACHER(double, f64)

// ---- Generic range driver ---------------------------------------------------------------
// Generates chunk after chunk of the stream covering [first, first + n) and applies it.
// accumulate == 0: x = z;  accumulate == 1: x += scale·z or x += (scale·mult)·z.

#define DEFINE_DRIVERS(T, SUF)                                                                 \
    static void range_##SUF(chunk_##SUF##_fn chunk, T *x, int64_t n, T scale, const T *mult,   \
                            uint64_t seed, uint64_t stream, int64_t first, int kind,            \
                            int accumulate) {                                                   \
        if (n <= 0) return;                                                                     \
        T values[RADEMACHER_CHUNK];                                                             \
        const int rad = (kind == ZO_NOISE_RADEMACHER);                                         \
        const int64_t perChunk = rad ? RADEMACHER_CHUNK : CHUNK_ELEMS_##SUF;                   \
        const int64_t perCounter = perChunk / LANES;                                            \
        int64_t e = first, end = first + n;                                                     \
        while (e < end) {                                                                       \
            int64_t chunkStart = (e / perChunk) * perChunk;                                     \
            uint64_t firstCounter = (uint64_t)(chunkStart / perCounter);                        \
            if (rad) chunk_rademacher_##SUF(firstCounter, stream, seed, values);                \
            else chunk(firstCounter, stream, seed, kind, values);                               \
            int64_t stop = chunkStart + perChunk < end ? chunkStart + perChunk : end;           \
            const T *v = values + (e - chunkStart);                                             \
            T *dst = x + (e - first);                                                           \
            int64_t m = stop - e;                                                               \
            if (!accumulate) {                                                                  \
                memcpy(dst, v, (size_t)m * sizeof(T));                                          \
            } else if (mult) {                                                                  \
                const T *mm = mult + (e - first);                                               \
                for (int64_t k = 0; k < m; k++) dst[k] += (scale * mm[k]) * v[k];               \
            } else {                                                                            \
                for (int64_t k = 0; k < m; k++) dst[k] += scale * v[k];                         \
            }                                                                                   \
            e = stop;                                                                           \
        }                                                                                       \
    }

#define CHUNK_ELEMS_f32 (4 * LANES)
#define CHUNK_ELEMS_f64 (2 * LANES)

DEFINE_DRIVERS(float, f32)
DEFINE_DRIVERS(double, f64)

void zo_noise_fill_f32(float *out, int64_t n, uint64_t seed, uint64_t stream, int64_t first, int kind) {
    range_f32(isa_paths[chosen_isa].f32, out, n, 0.0f, 0, seed, stream, first, kind, 0);
}
void zo_noise_fill_f64(double *out, int64_t n, uint64_t seed, uint64_t stream, int64_t first, int kind) {
    range_f64(isa_paths[chosen_isa].f64, out, n, 0.0, 0, seed, stream, first, kind, 0);
}
void zo_noise_axpy_f32(float *x, int64_t n, float scale, const float *mult,
                       uint64_t seed, uint64_t stream, int64_t first, int kind) {
    range_f32(isa_paths[chosen_isa].f32, x, n, scale, mult, seed, stream, first, kind, 1);
}
void zo_noise_axpy_f64(double *x, int64_t n, double scale, const double *mult,
                       uint64_t seed, uint64_t stream, int64_t first, int kind) {
    range_f64(isa_paths[chosen_isa].f64, x, n, scale, mult, seed, stream, first, kind, 1);
}

int zo_noise_fill_on(int isa, int is_double, void *out, int64_t n, uint64_t seed, uint64_t stream,
                     int64_t first, int kind) {
    if (!zo_noise_isa_supported(isa)) return -1;
    if (is_double) range_f64(isa_paths[isa].f64, (double *)out, n, 0.0, 0, seed, stream, first, kind, 0);
    else range_f32(isa_paths[isa].f32, (float *)out, n, 0.0f, 0, seed, stream, first, kind, 0);
    return 0;
}
