// The machines' scoring kernel in AVX2, which Swift cannot target for one function only.
#pragma once

#include <stdint.h>

/// 1 when this CPU (and the operating system) runs AVX2 instructions, else 0.
int firstline_has_avx2(void);

/// `scores[m] = biases[m] + Σ weights[columns[p] · classCount + m] · values[p]` for every class
/// `m < classCount` over the features `p` in `[start, end)`: each class adds its products in
/// feature order, multiplying and adding separately (no fused multiply-add), so the sums are
/// the same to the bit as the plain loop's. While it reads a feature's row it asks the cache
/// for the row of one of the `aheadCount` features `ahead` (the next example's; a hint).
/// Call only when `firstline_has_avx2()`; 1 ≤ classCount ≤ 40.
void firstline_score_avx2(
    long classCount, const float *weights, const float *biases, const int32_t *columns, const float *values,
    long start, long end, float *scores, const int32_t *ahead, long aheadCount);
