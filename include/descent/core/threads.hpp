// One knob for every thread pool descent uses: OpenMP's (descent's own loops)
// and OpenBLAS's (matrix products). On few cores the two pools fight when both
// are left at their defaults, so they are always set together.
#pragma once

namespace descent {

// Sets OpenMP's and OpenBLAS's thread counts; n >= 1.
void set_num_threads(int n);
int num_threads();

}  // namespace descent
