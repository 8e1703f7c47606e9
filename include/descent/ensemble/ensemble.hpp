// An ensemble of trained networks: the models of several run folders, their
// class scores combined into one prediction (cs231n's "model ensembles": train
// independent models, average their predictions at test time).
//
// Three rules combine the members' outputs for a sample:
//   mean-probs   p = (1/K) sum_k softmax(s_k)          (the usual ensemble)
//   mean-logits  p = softmax((1/K) sum_k s_k)
//   vote         each member votes for its argmax class (ties to the lowest
//                class); the class of most votes wins, ties again to the
//                lowest class; p is the fraction of the votes.
// A vote gives no probabilities fit for a loss, so the loss reported under
// vote is that of mean-probs.
//
// The means are taken as offsets from the first member, m = x_1 + sum_k (x_k
// - x_1) / K, so that K identical members give that member's output bit for
// bit. The loss is the mean of -log p[y], p floored at the smallest normal
// double.
//
// ensemble.json names the member folders relative to itself, and the rule:
//   {"kind": "descent ensemble", "version": 1, "combine": "mean-probs",
//    "members": ["runs/sgd-lr5e-3-constant-s0", ...]}
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "descent/core/matrix.hpp"
#include "descent/nn/network.hpp"

namespace descent {

enum class Combine { mean_probabilities, vote, mean_logits };
// "mean-probs", "vote", "mean-logits"; ConfigError listing them otherwise.
Combine parse_combine(const std::string& name);
std::string to_string(Combine combine);
// The three rules, mean-probs first.
const std::vector<Combine>& all_combines();

class Ensemble {
 public:
  // The members and the folders they came from (same length, or folders
  // empty). ConfigError if there is no member; ShapeError naming the member
  // if its input size or class count differs from the first member's.
  explicit Ensemble(std::vector<Network> members, std::vector<std::filesystem::path> folders = {});

  // The model.bin of each run folder, in order. A folder whose metrics.json
  // says the run diverged is left out, with a warning appended to `warnings`.
  // IoError naming the folder if it or its model.bin is missing; ShapeError
  // naming it for a member of another input size or class count; ConfigError
  // if no member is left.
  static Ensemble load(const std::vector<std::filesystem::path>& folders,
                       std::vector<std::string>& warnings);

  std::size_t size() const { return members_.size(); }
  std::size_t input_dim() const;
  std::size_t num_classes() const;
  Network& member(std::size_t i) { return members_.at(i); }
  // The folder of each member; empty paths for members given as networks.
  const std::vector<std::filesystem::path>& folders() const { return folders_; }

  // The combined probabilities of the first `count` members (0: all) for each
  // row of x: (n, num_classes).
  Eigen::MatrixXd probabilities(const Eigen::Ref<const Matrix>& x, Combine combine,
                                std::size_t count = 0);
  // The combined probabilities with every member's scores divided by
  // `temperature` first: the soft targets of distillation (Hinton et al. 2015
  // average the members' softened probabilities). ConfigError for vote, which
  // has no probabilities to soften, or a temperature that is not > 0.
  Eigen::MatrixXd softened_probabilities(const Eigen::Ref<const Matrix>& x, Combine combine,
                                         double temperature);
  // The predicted class of each row of x, ties to the lowest class.
  std::vector<std::int32_t> predict(const Eigen::Ref<const Matrix>& x, Combine combine,
                                    std::size_t count = 0);
  // Accuracy and mean cross-entropy of the first `count` members (0: all);
  // under vote, the loss is mean-probs'.
  Network::Evaluation evaluate(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                               Combine combine, std::size_t count = 0);
  // Each member on its own (Network::evaluate).
  std::vector<Network::Evaluation> evaluate_members(const Eigen::Ref<const Matrix>& x,
                                                    std::span<const std::int32_t> y);
  // Accuracy of the first k members, k = 1 .. size(): size() entries.
  std::vector<double> accuracy_by_size(const Eigen::Ref<const Matrix>& x,
                                       std::span<const std::int32_t> y, Combine combine);

 private:
  // Each member's class scores for x, in double: (n, num_classes) each.
  std::vector<Eigen::MatrixXd> member_scores(const Eigen::Ref<const Matrix>& x);

  std::vector<Network> members_;
  std::vector<std::filesystem::path> folders_;
};

// Writes ensemble.json at `path` (atomically): the folders relative to
// path's folder, and the rule.
void save_ensemble(const std::filesystem::path& path,
                   const std::vector<std::filesystem::path>& folders, Combine combine);

struct EnsembleFile {
  std::vector<std::filesystem::path> members;  // resolved against the file's folder
  Combine combine = Combine::mean_probabilities;
};
// IoError if the file cannot be read; FormatError naming the file and field.
EnsembleFile read_ensemble_file(const std::filesystem::path& path);

struct LoadedEnsemble {
  Ensemble ensemble;
  Combine combine;
  std::vector<std::string> warnings;  // members left out
};
// read_ensemble_file, then Ensemble::load of its members.
LoadedEnsemble load_ensemble(const std::filesystem::path& path);
// Any saved model as an ensemble: an ensemble.json (load_ensemble), or a run
// folder or model.bin (one member, mean-probs). IoError naming the path if
// it does not exist or a run folder has no model.bin.
LoadedEnsemble load_model_or_ensemble(const std::filesystem::path& path);

}  // namespace descent
