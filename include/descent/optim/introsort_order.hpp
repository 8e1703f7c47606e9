// The order in which numpy.argsort (kind 'quicksort', numpy 1.x without
// AVX-512 sorting) lists indices, ties included: an introsort (Musser 1997)
// of quicksort with the median of three as pivot (Sedgewick 1978), insertion
// sort for parts of at most 16 elements and heapsort past a depth of
// 2 floor(log2 n). Such a sort is not stable, and the order of equal values
// depends on all the others; SFO's 'distance' rule picks the first active
// subfunction in this order of the negated distances, and equal distances
// are common (a rejected step leaves two subfunctions evaluated at one point),
// so matching the reference's choices step by step needs the same order.
#pragma once

#include <cstddef>
#include <span>

namespace descent {

// order := the permutation that sorts `values` ascending, as numpy.argsort
// gives it (order.size() == values.size(); NaN sorts last).
void introsort_argsort(std::span<const double> values, std::span<std::size_t> order);

}  // namespace descent
