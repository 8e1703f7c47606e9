// The report's figures, built from a sweep folder: for each group, the loss
// per iteration (raw and smoothed) and the training and validation accuracy
// per epoch; for an lr-sweep group, the hyperparameter view: final
// validation accuracy and passes to the target against the learning rate
// ("<group>-lr", "<group>-lr-time"); for a decay group, those curves for each optimizer, one line
// per schedule; the lr-find range tests and the optimizer paths. Also the
// table of each optimizer's best learning rate.
//
// Colours: each optimizer has its own (optimizer_color); its runs in one
// figure are shades of it, darker to lighter as the learning rate grows.
// Diverged runs are dashed and say so in their labels. Runs that differ only
// in their seed are one line, the mean over the seeds, over a band of mean
// -+ sd (Series::band_low, band_high).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "descent/experiment/figure.hpp"
#include "descent/experiment/sweep_folder.hpp"
#include "descent/experiment/sweep_profiles.hpp"

namespace descent {

// Long histories are thinned to this many points per series, evenly spaced
// and keeping the first and last, so that the page stays light.
inline constexpr std::size_t max_points_per_series = 400;

struct GroupFigures {
  std::string name;  // the group's
  std::string title;
  GroupKind kind = GroupKind::curves;
  std::vector<Figure> figures;
};

struct SweepFigures {
  std::vector<GroupFigures> groups;  // experiment.json's order
  std::vector<Figure> lr_finds;      // "lr-find-<optimizer>"
  std::vector<ContourFigure> paths;  // one per test function
};

// Every figure of a sweep. `id_prefix` goes before every id, so that figures
// of several sweeps on one page stay unique ("notes-"; "" for one sweep).
// Ids: "<group>-loss", "<group>-train-accuracy", "<group>-val-accuracy",
// "<group>-lr" (lr-sweep), "<group>-<optimizer>-loss" and so on (decay),
// "lr-find-<optimizer>", and the paths' own ids.
SweepFigures sweep_figures(const SweepFolder& sweep, const std::string& id_prefix = "");

// Text made fit for a figure id: lower case, runs of characters other than
// [a-z0-9] turned into one '-', none at either end; "figure" if none is left.
std::string figure_id(std::string_view text);

// The exponential moving average of the loss with bias correction, as fastai
// smooths it: a_t = beta a_{t-1} + (1 - beta) loss_t, smoothed_t = a_t / (1 - beta^t).
// A loss that is not finite leaves the average as it was and gives NaN there.
std::vector<double> smoothed_loss(std::span<const double> loss, double beta = 0.98);

// At most `max_points` (at least 2) indices into a series of `size`, evenly
// spaced, the first and the last among them.
std::vector<std::size_t> thinned_indices(std::size_t size,
                                         std::size_t max_points = max_points_per_series);

// Each optimizer's best learning rate: its finished run with the highest
// score (SweepFolder::score: final validation accuracy, or loss without
// classes) among the runs of the lr-sweep groups. Optimizers run
// with different hyperparameters count as different rows. A row whose runs
// all diverged has no run: `run` is empty, `lr`, `val_acc` and `val_loss` are NaN.
struct BestLearningRate {
  std::string optimizer;
  std::string hyperparameters;  // "momentum=0.9, nesterov=true"; empty if none were set
  double lr = 0;
  double val_acc = 0;
  double val_loss = 0;
  std::string run;
  std::size_t finished = 0;  // its finished runs in the lr-sweep groups
  std::size_t diverged = 0;  // its diverged runs there
};
std::vector<BestLearningRate> best_learning_rates(const SweepFolder& sweep);

// "momentum=0.9, nesterov=true"
std::string hyperparameters_text(const FolderRun& run);

// The range test's loss and smoothed loss against the learning rate (log
// axis), the suggested rate marked.
Figure lr_find_figure(const std::string& id, const FolderLrFind& range_test);

// The performance profile of several sweeps (sweep_profiles.hpp): rho_m(tau)
// of each method as a step line on tau in [1, 4], its label giving its score.
Figure profile_figure(const SweepProfiles& profiles, const std::string& id = "profile");

}  // namespace descent
