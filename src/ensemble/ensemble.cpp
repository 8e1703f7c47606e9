// Ensembles of run folders' models: loading and checking the members,
// combining their scores, and ensemble.json.
#include "descent/train/run_folder.hpp"
#include "descent/ensemble/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/core/json_file.hpp"
#include "descent/core/text.hpp"
#include "descent/train/model_file.hpp"

namespace descent {

namespace {

namespace fs = std::filesystem;

constexpr char kKind[] = "descent ensemble";
constexpr int kVersion = 1;
constexpr Eigen::Index kBatch = 1000;

std::string member_name(const std::vector<fs::path>& folders, std::size_t i) {
  if (i < folders.size() && !folders[i].empty()) return "'" + folders[i].string() + "'";
  return "number " + std::to_string(i + 1);
}

// Row-wise softmax, shifted by each row's maximum.
Eigen::MatrixXd softmax(const Eigen::MatrixXd& scores) {
  Eigen::MatrixXd p = (scores.colwise() - scores.rowwise().maxCoeff()).array().exp().matrix();
  p.array().colwise() /= p.rowwise().sum().array();
  return p;
}

// m = x_1 + sum_k (x_k - x_1) / K over the first K outputs: K identical
// outputs give x_1 exactly.
Eigen::MatrixXd mean_of(const std::vector<Eigen::MatrixXd>& outputs, std::size_t count) {
  Eigen::MatrixXd mean = outputs[0];
  const auto k = static_cast<double>(count);
  for (std::size_t i = 1; i < count; ++i) mean += (outputs[i] - outputs[0]) / k;
  return mean;
}

Eigen::Index argmax(const Eigen::Ref<const Eigen::RowVectorXd>& row) {
  Eigen::Index best = 0;
  for (Eigen::Index c = 1; c < row.size(); ++c) {
    if (row(c) > row(best)) best = c;
  }
  return best;
}

// The fraction of the first `count` members' votes for each class.
Eigen::MatrixXd votes(const std::vector<Eigen::MatrixXd>& scores, std::size_t count) {
  Eigen::MatrixXd fraction = Eigen::MatrixXd::Zero(scores[0].rows(), scores[0].cols());
  for (std::size_t i = 0; i < count; ++i) {
    for (Eigen::Index r = 0; r < fraction.rows(); ++r) {
      fraction(r, argmax(scores[i].row(r))) += 1.0;
    }
  }
  return fraction / static_cast<double>(count);
}

Eigen::MatrixXd combined(const std::vector<Eigen::MatrixXd>& scores, Combine combine,
                         std::size_t count) {
  switch (combine) {
    case Combine::mean_probabilities: {
      std::vector<Eigen::MatrixXd> p;
      for (std::size_t i = 0; i < count; ++i) p.push_back(softmax(scores[i]));
      return mean_of(p, count);
    }
    case Combine::mean_logits:
      return softmax(mean_of(scores, count));
    case Combine::vote:
      return votes(scores, count);
  }
  return {};
}

double accuracy(const Eigen::MatrixXd& p, std::span<const std::int32_t> y) {
  std::size_t correct = 0;
  for (Eigen::Index r = 0; r < p.rows(); ++r) {
    correct += argmax(p.row(r)) == y[static_cast<std::size_t>(r)];
  }
  return static_cast<double>(correct) / static_cast<double>(p.rows());
}

double cross_entropy(const Eigen::MatrixXd& p, std::span<const std::int32_t> y) {
  double sum = 0;
  for (Eigen::Index r = 0; r < p.rows(); ++r) {
    const double py = p(r, y[static_cast<std::size_t>(r)]);
    sum -= std::log(std::max(py, std::numeric_limits<double>::min()));
  }
  return sum / static_cast<double>(p.rows());
}

void check_labels(const Eigen::Ref<const Matrix>& x, std::span<const std::int32_t> y,
                  std::size_t classes) {
  if (y.size() != static_cast<std::size_t>(x.rows())) {
    throw ShapeError("ensemble evaluate: " + std::to_string(y.size()) + " labels for " +
                     std::to_string(x.rows()) + " rows of x");
  }
  if (y.empty()) throw ShapeError("ensemble evaluate: x has no rows");
  for (const std::int32_t label : y) {
    if (label < 0 || static_cast<std::size_t>(label) >= classes) {
      throw ShapeError("ensemble evaluate: label " + std::to_string(label) + " outside [0, " +
                       std::to_string(classes) + ")");
    }
  }
}

// "diverged: <message>" if the folder's metrics.json says the run diverged.
std::string divergence(const fs::path& folder) {
  const std::optional<TrainResult> ended = RunFolder(folder).read_result();
  if (!ended || ended->status != RunStatus::Diverged) return {};
  return ended->message;
}

}  // namespace

Combine parse_combine(const std::string& name) {
  for (const Combine combine : all_combines()) {
    if (to_string(combine) == name) return combine;
  }
  throw ConfigError("combine: '" + name + "': expected mean-probs, vote or mean-logits");
}

std::string to_string(Combine combine) {
  switch (combine) {
    case Combine::mean_probabilities:
      return "mean-probs";
    case Combine::vote:
      return "vote";
    case Combine::mean_logits:
      return "mean-logits";
  }
  return "?";
}

const std::vector<Combine>& all_combines() {
  static const std::vector<Combine> all = {Combine::mean_probabilities, Combine::vote,
                                           Combine::mean_logits};
  return all;
}

Ensemble::Ensemble(std::vector<Network> members, std::vector<fs::path> folders)
    : members_(std::move(members)), folders_(std::move(folders)) {
  if (members_.empty()) throw ConfigError("ensemble: no members");
  if (folders_.empty()) folders_.resize(members_.size());
  if (folders_.size() != members_.size()) {
    throw ShapeError("ensemble: " + std::to_string(folders_.size()) + " folders for " +
                     std::to_string(members_.size()) + " members");
  }
  const NetworkConfig& first = members_[0].config();
  for (std::size_t i = 1; i < members_.size(); ++i) {
    const NetworkConfig& c = members_[i].config();
    if (c.input_dim != first.input_dim) {
      throw ShapeError("ensemble member " + member_name(folders_, i) + ": input size " +
                       std::to_string(c.input_dim) + ", but member " + member_name(folders_, 0) +
                       " takes " + std::to_string(first.input_dim));
    }
    if (c.num_classes != first.num_classes) {
      throw ShapeError("ensemble member " + member_name(folders_, i) + ": " +
                       std::to_string(c.num_classes) + " classes, but member " +
                       member_name(folders_, 0) + " has " + std::to_string(first.num_classes));
    }
  }
}

Ensemble Ensemble::load(const std::vector<fs::path>& folders, std::vector<std::string>& warnings) {
  std::vector<Network> members;
  std::vector<fs::path> kept;
  for (const fs::path& folder : folders) {
    if (!fs::is_directory(folder)) {
      throw IoError("ensemble member '" + folder.string() + "': no such run folder");
    }
    const std::string diverged = divergence(folder);
    if (!diverged.empty()) {
      warnings.push_back("ensemble member '" + folder.string() + "' diverged (" + diverged +
                         "); left out");
      continue;
    }
    const fs::path model = folder / "model.bin";
    if (!fs::exists(model)) {
      throw IoError("ensemble member '" + folder.string() +
                    "': no model.bin (the run has not finished, or it is a run of a sweep, "
                    "which keeps only each optimizer's best models unless run with "
                    "--keep-models)");
    }
    members.push_back(load_model(model));
    kept.push_back(folder);
  }
  if (members.empty()) {
    throw ConfigError("ensemble: no member left (" + std::to_string(folders.size()) +
                      " folders, every run diverged)");
  }
  return Ensemble(std::move(members), std::move(kept));
}

std::size_t Ensemble::input_dim() const { return members_[0].config().input_dim; }

std::size_t Ensemble::num_classes() const { return members_[0].config().num_classes; }

std::vector<Eigen::MatrixXd> Ensemble::member_scores(const Eigen::Ref<const Matrix>& x) {
  if (static_cast<std::size_t>(x.cols()) != input_dim()) {
    throw ShapeError("ensemble: x has " + std::to_string(x.cols()) + " columns, the members take " +
                     std::to_string(input_dim()));
  }
  std::vector<Eigen::MatrixXd> all;
  for (Network& member : members_) {
    Eigen::MatrixXd s(x.rows(), static_cast<Eigen::Index>(num_classes()));
    for (Eigen::Index start = 0; start < x.rows(); start += kBatch) {
      const Eigen::Index m = std::min(kBatch, x.rows() - start);
      s.middleRows(start, m) = member.scores(x.middleRows(start, m)).cast<double>();
    }
    all.push_back(std::move(s));
  }
  return all;
}

Eigen::MatrixXd Ensemble::probabilities(const Eigen::Ref<const Matrix>& x, Combine combine,
                                        std::size_t count) {
  if (count == 0 || count > size()) count = size();
  return combined(member_scores(x), combine, count);
}

Eigen::MatrixXd Ensemble::softened_probabilities(const Eigen::Ref<const Matrix>& x,
                                                 Combine combine, double temperature) {
  if (combine == Combine::vote) {
    throw ConfigError("combine: a vote gives no probabilities to soften; use mean-probs or "
                      "mean-logits");
  }
  if (!(std::isfinite(temperature) && temperature > 0)) {
    throw ConfigError("temperature: expected a finite value > 0, got " + shortest(temperature));
  }
  std::vector<Eigen::MatrixXd> scores = member_scores(x);
  for (Eigen::MatrixXd& s : scores) s /= temperature;
  return combined(scores, combine, size());
}

std::vector<std::int32_t> Ensemble::predict(const Eigen::Ref<const Matrix>& x, Combine combine,
                                            std::size_t count) {
  const Eigen::MatrixXd p = probabilities(x, combine, count);
  std::vector<std::int32_t> classes(static_cast<std::size_t>(p.rows()));
  for (Eigen::Index r = 0; r < p.rows(); ++r) {
    classes[static_cast<std::size_t>(r)] = static_cast<std::int32_t>(argmax(p.row(r)));
  }
  return classes;
}

Network::Evaluation Ensemble::evaluate(const Eigen::Ref<const Matrix>& x,
                                       std::span<const std::int32_t> y, Combine combine,
                                       std::size_t count) {
  check_labels(x, y, num_classes());
  if (count == 0 || count > size()) count = size();
  const std::vector<Eigen::MatrixXd> scores = member_scores(x);
  const Eigen::MatrixXd p = combined(scores, combine, count);
  if (combine != Combine::vote) return {cross_entropy(p, y), accuracy(p, y)};
  const Eigen::MatrixXd mean = combined(scores, Combine::mean_probabilities, count);
  return {cross_entropy(mean, y), accuracy(p, y)};
}

std::vector<Network::Evaluation> Ensemble::evaluate_members(const Eigen::Ref<const Matrix>& x,
                                                            std::span<const std::int32_t> y) {
  std::vector<Network::Evaluation> all;
  for (Network& member : members_) all.push_back(member.evaluate(x, y));
  return all;
}

std::vector<double> Ensemble::accuracy_by_size(const Eigen::Ref<const Matrix>& x,
                                               std::span<const std::int32_t> y, Combine combine) {
  check_labels(x, y, num_classes());
  const std::vector<Eigen::MatrixXd> scores = member_scores(x);
  std::vector<double> by_size;
  for (std::size_t k = 1; k <= size(); ++k)
    by_size.push_back(accuracy(combined(scores, combine, k), y));
  return by_size;
}

void save_ensemble(const fs::path& path, const std::vector<fs::path>& folders, Combine combine) {
  const fs::path base = fs::absolute(path).parent_path();
  nlohmann::json members = nlohmann::json::array();
  for (const fs::path& folder : folders) {
    members.push_back(fs::absolute(folder).lexically_normal().lexically_relative(base).string());
  }
  const nlohmann::json json = {{"kind", kKind},
                               {"version", kVersion},
                               {"combine", to_string(combine)},
                               {"members", members}};
  write_file_atomic(path, json.dump(2) + "\n");
}

EnsembleFile read_ensemble_file(const fs::path& path) {
  const nlohmann::json json = read_json_file(path);
  EnsembleFile file;
  std::string field = "kind";
  try {
    if (json.at("kind").get<std::string>() != kKind) {
      throw FormatError(path.string() + ": kind: expected \"" + kKind + "\"");
    }
    field = "version";
    if (json.at("version").get<int>() != kVersion) {
      throw FormatError(path.string() + ": version: expected " + std::to_string(kVersion));
    }
    field = "combine";
    try {
      file.combine = parse_combine(json.at("combine").get<std::string>());
    } catch (const ConfigError& e) {
      throw FormatError(path.string() + ": " + e.what());
    }
    field = "members";
    for (const auto& member : json.at("members")) {
      file.members.push_back(path.parent_path() / member.get<std::string>());
    }
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(path.string() + ": " + field + ": " + e.what());
  }
  if (file.members.empty()) throw FormatError(path.string() + ": members: empty");
  return file;
}

LoadedEnsemble load_ensemble(const fs::path& path) {
  const EnsembleFile file = read_ensemble_file(path);
  std::vector<std::string> warnings;
  Ensemble ensemble = Ensemble::load(file.members, warnings);
  return {std::move(ensemble), file.combine, std::move(warnings)};
}

LoadedEnsemble load_model_or_ensemble(const fs::path& path) {
  if (!fs::exists(path)) throw IoError("cannot open '" + path.string() + "': no such file");
  if (path.extension() == ".json") return load_ensemble(path);
  const bool folder = fs::is_directory(path);
  const fs::path model = folder ? path / "model.bin" : path;
  if (!fs::exists(model)) {
    throw IoError("cannot open '" + model.string() + "': the run folder has no model");
  }
  std::vector<Network> members;
  members.push_back(load_model(model));
  return {Ensemble(std::move(members), {folder ? path : path.parent_path()}),
          Combine::mean_probabilities, {}};
}

}  // namespace descent
