#include "firstline_kernels.h"

// The sums must be the Swift code's to the bit, whatever flags the package is built with:
// no fused multiply-add, no reordering.
#pragma clang fp contract(off)
#pragma clang fp reassociate(off)

#if defined(__x86_64__)
#include <immintrin.h>

int firstline_has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 1 : 0;
}

// Asks for the cache lines of one weight row (a hint; nothing waits).
static inline void prefetch_row(const float *row, long bytes) {
    const char *start = (const char *)row;
    for (long offset = 0; offset < bytes; offset += 64) __builtin_prefetch(start + offset, 0, 3);
    __builtin_prefetch(start + bytes - 1, 0, 3);
}

// Up to five vectors of eight classes: the last one loads and stores only the classes there
// are (the masked-out lanes read as zero and are never stored).
__attribute__((target("avx2")))
void firstline_score_avx2(
    long classCount, const float *weights, const float *biases, const int32_t *columns, const float *values,
    long start, long end, float *scores, const int32_t *ahead, long aheadCount) {
    const long full = classCount / 8;
    const long rest = classCount % 8;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)rest), lane);
    const float *tail = biases + full * 8;
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0, s4 = s0;
    if (full > 0) s0 = _mm256_loadu_ps(biases);
    if (full > 1) s1 = _mm256_loadu_ps(biases + 8);
    if (full > 2) s2 = _mm256_loadu_ps(biases + 16);
    if (full > 3) s3 = _mm256_loadu_ps(biases + 24);
    if (full > 4) s4 = _mm256_loadu_ps(biases + 32);
    __m256 t = rest ? _mm256_maskload_ps(tail, mask) : _mm256_setzero_ps();
    const long rowBytes = classCount * (long)sizeof(float);
    long next = 0;
    for (long p = start; p < end; p++) {
        if (next < aheadCount) prefetch_row(weights + (long)ahead[next++] * classCount, rowBytes);
        const float *row = weights + (long)columns[p] * classCount;
        const __m256 v = _mm256_set1_ps(values[p]);
        if (full > 0) s0 = _mm256_add_ps(s0, _mm256_mul_ps(_mm256_loadu_ps(row), v));
        if (full > 1) s1 = _mm256_add_ps(s1, _mm256_mul_ps(_mm256_loadu_ps(row + 8), v));
        if (full > 2) s2 = _mm256_add_ps(s2, _mm256_mul_ps(_mm256_loadu_ps(row + 16), v));
        if (full > 3) s3 = _mm256_add_ps(s3, _mm256_mul_ps(_mm256_loadu_ps(row + 24), v));
        if (full > 4) s4 = _mm256_add_ps(s4, _mm256_mul_ps(_mm256_loadu_ps(row + 32), v));
        if (rest) t = _mm256_add_ps(t, _mm256_mul_ps(_mm256_maskload_ps(row + full * 8, mask), v));
    }
    for (; next < aheadCount; next++) prefetch_row(weights + (long)ahead[next] * classCount, rowBytes);
    if (full > 0) _mm256_storeu_ps(scores, s0);
    if (full > 1) _mm256_storeu_ps(scores + 8, s1);
    if (full > 2) _mm256_storeu_ps(scores + 16, s2);
    if (full > 3) _mm256_storeu_ps(scores + 24, s3);
    if (full > 4) _mm256_storeu_ps(scores + 32, s4);
    if (rest) _mm256_maskstore_ps(scores + full * 8, mask, t);
}

#else

int firstline_has_avx2(void) { return 0; }

void firstline_score_avx2(
    long classCount, const float *weights, const float *biases, const int32_t *columns, const float *values,
    long start, long end, float *scores, const int32_t *ahead, long aheadCount) {
    __builtin_trap();  // never called: firstline_has_avx2() is 0 here
}

#endif
