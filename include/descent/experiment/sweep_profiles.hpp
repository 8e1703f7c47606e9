// Performance profiles over the problems of several sweeps (one sweep folder
// per problem, as `descent compare --problem A,B,...` writes them), scored as
// MLCommons AlgoPerf scores training algorithms (performance_profile.hpp).
//
// A method is an optimizer, its learning rate and schedule the hyperparameters
// it is tuned over. Its time on a problem is its time to the sweep's target in
// passes over the training data, after tuning:
//   - with a tuning protocol in the sweep (tuning_protocol.hpp), the median
//     over studies of the fastest trial (of its fastest schedule);
//   - otherwise the fastest of its configurations (learning rate and
//     schedule), each counting the mean over its seeds, and only if every
//     seed reached the target (+inf if none did, or the optimizer is not in
//     the sweep).
// Passes, not seconds: they do not depend on the machine or on how many runs
// shared it, and they count every gradient evaluation of a quasi-Newton
// method.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "descent/experiment/performance_profile.hpp"
#include "descent/experiment/sweep_folder.hpp"

namespace descent {

struct SweepProfiles {
  // The sweeps' names, in the order given; their folders' names where two
  // sweeps share a name.
  std::vector<std::string> problems;
  std::vector<std::string> targets;  // each sweep's target ("val_acc=0.88")
  std::vector<std::string> methods;  // first appearance order
  // times[m][p]: method m's passes to target on problem p (+inf: not reached);
  // ratios[m][p] = times[m][p] / min over methods on problem p.
  std::vector<std::vector<double>> times;
  std::vector<std::vector<double>> ratios;
  // rho_m(tau) as steps on [1, 4], and the score B_m in [0, 1].
  std::vector<std::vector<ProfilePoint>> profiles;
  std::vector<double> scores;
};

// Empty (no methods) when no sweep has an ended run.
SweepProfiles sweep_profiles(std::span<const SweepFolder> sweeps);

}  // namespace descent
