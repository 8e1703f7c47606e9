#include "descent/report/report_figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>
#include <map>
#include <set>

#include "descent/core/moving_average.hpp"
#include "descent/core/text.hpp"
#include "descent/experiment/spread.hpp"
#include "descent/optim/registry.hpp"

namespace descent {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double raw_opacity = 0.25;

// `color` ("#rrggbb") mixed towards black (amount < 0) or white (amount > 0).
std::string mixed_color(const std::string& color, double amount) {
  if (color.size() != 7 || color[0] != '#') return color;
  const double target = amount < 0 ? 0.0 : 255.0;
  const double weight = std::abs(amount);
  std::string mixed = "#";
  for (int channel = 0; channel < 3; ++channel) {
    const int value = std::stoi(color.substr(1 + 2 * channel, 2), nullptr, 16);
    const double shaded = value + (target - value) * weight;
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", static_cast<int>(std::lround(shaded)));
    mixed += hex;
  }
  return mixed;
}

// The k-th of `count` shades of an optimizer's colour: from a third darker
// to almost half lighter, so that neighbours stay apart.
std::string shade(const std::string& color, std::size_t k, std::size_t count) {
  if (count <= 1) return color;
  const double t = static_cast<double>(k) / static_cast<double>(count - 1);
  return mixed_color(color, -0.35 + 0.8 * t);
}

bool all_equal(const std::vector<const FolderRun*>& runs, auto key) {
  return std::all_of(runs.begin(), runs.end(),
                     [&](const FolderRun* run) { return key(*run) == key(*runs.front()); });
}

// A figure's lines: one per configuration, the runs that differ only in their
// seed. A configuration of one run is drawn as that run; one of several seeds
// as the mean over them with a band of mean -+ sd (seed_band: a seed whose
// value is NaN, diverged, is left out where it is). A label names what tells
// the line apart from the others in the figure.
struct Line {
  std::vector<const FolderRun*> seeds;  // in the figure's order
  std::string label;
  std::string color;
  const FolderRun& first() const { return *seeds.front(); }
  bool diverged() const {
    return std::all_of(seeds.begin(), seeds.end(),
                       [](const FolderRun* r) { return r->status == RunStatus::Diverged; });
  }
};

std::string configuration_key(const FolderRun& run) {
  return run.optimizer + "|" + hyperparameters_text(run) + "|" + shortest(run.lr) + "|" +
         run.schedule;
}

std::vector<Line> lines_of(const std::vector<const FolderRun*>& runs) {
  std::vector<Line> lines;
  if (runs.empty()) return lines;
  const bool one_schedule = all_equal(runs, [](const FolderRun& r) { return r.schedule; });
  std::map<std::string, std::vector<const FolderRun*>> by_optimizer;
  std::map<std::string, std::size_t> line_of;  // configuration -> index in lines
  for (const FolderRun* run : runs) {
    const std::string key = configuration_key(*run);
    const auto [at, added] = line_of.try_emplace(key, lines.size());
    if (added) {
      lines.push_back({{run}, "", ""});
      by_optimizer[run->optimizer].push_back(run);
    } else {
      lines[at->second].seeds.push_back(run);
    }
  }

  // Single runs of different seeds name their seed.
  std::vector<const FolderRun*> single;
  for (const Line& line : lines) {
    if (line.seeds.size() == 1) single.push_back(&line.first());
  }
  const bool one_seed = all_equal(single, [](const FolderRun& r) { return r.seed; });

  for (Line& line : lines) {
    const FolderRun* run = &line.first();
    const auto& siblings = by_optimizer[run->optimizer];
    std::string label = run->optimizer;
    const bool one_setting =
        all_equal(siblings, [](const FolderRun& r) { return hyperparameters_text(r); });
    if (!one_setting && !run->hyperparameters.empty()) label += " " + hyperparameters_text(*run);
    label += " lr " + shortest(run->lr);
    if (!one_schedule) label += " " + run->schedule;
    const std::size_t seeds = line.seeds.size();
    const auto count = [&](RunStatus status) {
      return static_cast<std::size_t>(
          std::count_if(line.seeds.begin(), line.seeds.end(),
                        [&](const FolderRun* r) { return r->status == status; }));
    };
    if (seeds > 1) {
      label += ", mean of " + std::to_string(seeds) + " seeds";
    } else if (!one_seed) {
      label += " seed " + std::to_string(run->seed);
    }
    const std::size_t diverged = count(RunStatus::Diverged);
    const std::size_t pending = count(RunStatus::Pending);
    if (diverged == seeds) {
      label += " (diverged)";
    } else if (diverged > 0) {
      label += " (" + std::to_string(diverged) + " of " + std::to_string(seeds) + " diverged)";
    }
    if (pending == seeds) {
      label += " (unfinished)";
    } else if (pending > 0) {
      label += " (" + std::to_string(pending) + " of " + std::to_string(seeds) + " unfinished)";
    }

    // The rank of this learning rate among its optimizer's, for its shade.
    std::vector<const FolderRun*> by_lr = siblings;
    std::stable_sort(by_lr.begin(), by_lr.end(),
                     [](const FolderRun* a, const FolderRun* b) { return a->lr < b->lr; });
    const auto rank =
        static_cast<std::size_t>(std::find(by_lr.begin(), by_lr.end(), run) - by_lr.begin());
    line.label = label;
    line.color = shade(optimizer_color(run->optimizer), rank, by_lr.size());
  }
  return lines;
}

// The mean over seeds at each index of `curves`, and the band mean -+ sd
// (NaN where fewer than two seeds have a finite value there).
struct Band {
  std::vector<double> mean, low, high;
};

Band seed_mean_band(std::span<const std::vector<double>> curves) {
  Band band;
  for (const Spread& at : seed_band(curves)) {
    band.mean.push_back(at.mean);
    const bool spread = at.n > 1 && std::isfinite(at.sd);
    band.low.push_back(spread ? at.mean - at.sd : nan);
    band.high.push_back(spread ? at.mean + at.sd : nan);
  }
  return band;
}

Series thinned_series(std::string label, const std::vector<double>& x, const std::vector<double>& y,
                      const std::string& color, std::size_t max_points = max_points_per_series) {
  Series series;
  series.label = std::move(label);
  series.color = color;
  for (std::size_t i : thinned_indices(x.size(), max_points)) {
    series.x.push_back(x[i]);
    series.y.push_back(y[i]);
  }
  return series;
}

SeriesStyle line_style(const Line& line) {
  return line.diverged() ? SeriesStyle::dashed : SeriesStyle::line;
}

// `series` with its band: low and high at the same thinned indices as x.
void add_band(Series& series, const std::vector<double>& low, const std::vector<double>& high) {
  for (std::size_t i : thinned_indices(low.size())) {
    series.band_low.push_back(low[i]);
    series.band_high.push_back(high[i]);
  }
}

// Losses that span more than two decades (a run that blew up beside runs that
// converged) are drawn on a log axis, where both stay readable.
bool wide_range(const std::vector<const FolderRun*>& runs) {
  double low = std::numeric_limits<double>::infinity();
  double high = 0;
  for (const FolderRun* run : runs) {
    for (double loss : run->loss) {
      if (std::isfinite(loss) && loss > 0) {
        low = std::min(low, loss);
        high = std::max(high, loss);
      }
    }
  }
  return high > 100 * low;
}

// Whether the loss of `runs` is drawn against passes over the data rather
// than iterations: when a quasi-Newton run, whose iterations cost several
// gradient evaluations (lbfgs, cg) or two (olbfgs), is among them and every
// run recorded its passes.
bool by_passes(const std::vector<const FolderRun*>& runs) {
  bool quasi_newton = false;
  for (const FolderRun* run : runs) {
    if (!run->loss.empty() && run->passes.empty()) return false;
    const auto& names = quasi_newton_names();
    quasi_newton =
        quasi_newton || std::find(names.begin(), names.end(), run->optimizer) != names.end();
  }
  return quasi_newton;
}

Figure loss_figure(const std::string& id, const std::string& title,
                   const std::vector<const FolderRun*>& runs) {
  Figure figure;
  figure.id = id;
  figure.title = title + ": training loss";
  const bool passes = by_passes(runs);
  figure.x_label = passes ? "passes over the training data" : "iteration";
  figure.y_label = "loss";
  figure.log_y = wide_range(runs);
  // Raw curves first, so the smoothed ones are drawn over them.
  std::vector<Series> smoothed;
  for (const Line& line : lines_of(runs)) {
    // The x of the seed with the longest history (seeds of a minibatch method
    // share it; a quasi-Newton method's passes may differ a little).
    const FolderRun* longest = line.seeds.front();
    for (const FolderRun* run : line.seeds) {
      if (run->loss.size() > longest->loss.size()) longest = run;
    }
    if (longest->loss.empty()) continue;
    std::vector<double> iteration(longest->loss.size());
    for (std::size_t i = 0; i < iteration.size(); ++i) {
      iteration[i] = passes ? longest->passes[i] : static_cast<double>(i + 1);
    }
    std::vector<std::vector<double>> raw_curves, smooth_curves;
    for (const FolderRun* run : line.seeds) {
      raw_curves.push_back(run->loss);
      smooth_curves.push_back(smoothed_loss(run->loss));
    }
    const bool several = line.seeds.size() > 1;
    const std::vector<double> raw_y = several ? seed_mean_band(raw_curves).mean : raw_curves[0];
    // The faint raw curve shows the noise around the smoothed one: half the
    // points draw it as well.
    Series raw = thinned_series(line.label + " raw", iteration, raw_y, line.color,
                                max_points_per_series / 2);
    raw.opacity = raw_opacity;
    raw.diverged = line.diverged();
    figure.series.push_back(std::move(raw));
    if (several) {
      const Band band = seed_mean_band(smooth_curves);
      Series smooth = thinned_series(line.label, iteration, band.mean, line.color);
      add_band(smooth, band.low, band.high);
      smooth.style = line_style(line);
      smooth.diverged = line.diverged();
      smoothed.push_back(std::move(smooth));
    } else {
      Series smooth = thinned_series(line.label, iteration, smooth_curves[0], line.color);
      smooth.style = line_style(line);
      smooth.diverged = line.diverged();
      smoothed.push_back(std::move(smooth));
    }
  }
  for (Series& series : smoothed) figure.series.push_back(std::move(series));
  return figure;
}

Figure accuracy_figure(const std::string& id, const std::string& title,
                       const std::vector<const FolderRun*>& runs, bool validation) {
  Figure figure;
  figure.id = id;
  figure.title = title + (validation ? ": validation accuracy" : ": training accuracy");
  figure.x_label = "epoch";
  figure.y_label = validation ? "validation accuracy" : "training accuracy";
  for (const Line& line : lines_of(runs)) {
    std::vector<std::vector<double>> curves;
    const FolderRun* longest = line.seeds.front();
    for (const FolderRun* run : line.seeds) {
      if (run->epochs.size() > longest->epochs.size()) longest = run;
      std::vector<double>& curve = curves.emplace_back();
      for (const EpochRecord& epoch : run->epochs) {
        curve.push_back(validation ? epoch.val_accuracy : epoch.train_accuracy);
      }
    }
    Series series;
    series.label = line.label;
    series.color = line.color;
    series.style = line_style(line);
    series.diverged = line.diverged();
    if (line.seeds.size() > 1) {
      const Band band = seed_mean_band(curves);
      series.y = band.mean;
      series.band_low = band.low;
      series.band_high = band.high;
    } else {
      series.y = curves[0];
    }
    if (series.y.empty()) continue;
    for (const EpochRecord& epoch : longest->epochs) {
      series.x.push_back(static_cast<double>(epoch.epoch));
    }
    figure.series.push_back(std::move(series));
  }
  return figure;
}

void add_curves(std::vector<Figure>& figures, const std::string& id, const std::string& title,
                const std::vector<const FolderRun*>& runs) {
  figures.push_back(loss_figure(id + "-loss", title, runs));
  figures.push_back(accuracy_figure(id + "-train-accuracy", title, runs, false));
  figures.push_back(accuracy_figure(id + "-val-accuracy", title, runs, true));
}

// An optimizer with the hyperparameters it was given and its schedule when
// not constant: one line of a figure against the learning rate.
std::string variant_of(const FolderRun& run) {
  const std::string settings = hyperparameters_text(run);
  return run.optimizer + (settings.empty() ? "" : " " + settings) +
         (run.schedule == "constant" ? "" : " " + run.schedule);
}

// One line against the learning rate: the mean over seeds at each rate, with
// a band of mean -+ sd where some rate has several seeds.
Series rate_series(const std::string& label, const std::string& color,
                   const std::map<double, std::vector<double>>& by_rate) {
  Series series;
  series.label = label;
  series.color = color;
  bool several = false;
  for (const auto& [lr, values] : by_rate) {
    const Spread at = spread_of(values);
    series.x.push_back(lr);
    series.y.push_back(at.mean);
    const bool spread = at.n > 1 && std::isfinite(at.sd);
    several = several || spread;
    series.band_low.push_back(spread ? at.mean - at.sd : nan);
    series.band_high.push_back(spread ? at.mean + at.sd : nan);
  }
  if (!several) {
    series.band_low.clear();
    series.band_high.clear();
  }
  return series;
}

// Final validation accuracy against the learning rate: one line per optimizer
// (and setting of its hyperparameters), the mean over seeds at each rate with
// a band of mean -+ sd where several seeds finished; the diverged runs of each
// as points at zero.
Figure lr_figure(const std::string& id, const std::string& title,
                 const std::vector<const FolderRun*>& runs) {
  Figure figure;
  figure.id = id;
  figure.title = title + ": final validation accuracy against learning rate";
  figure.x_label = "learning rate";
  figure.y_label = "final validation accuracy";
  figure.log_x = true;

  std::vector<std::string> variants;  // first appearance order
  std::map<std::string, std::map<double, std::vector<double>>> accuracies;
  std::map<std::string, std::vector<double>> diverged_lrs;
  std::map<std::string, std::string> optimizer_of;
  for (const FolderRun* run : runs) {
    const std::string variant = variant_of(*run);
    if (!optimizer_of.count(variant)) variants.push_back(variant);
    optimizer_of[variant] = run->optimizer;
    if (run->status == RunStatus::Finished && std::isfinite(run->val_acc)) {
      accuracies[variant][run->lr].push_back(run->val_acc);
    } else if (run->status == RunStatus::Diverged) {
      diverged_lrs[variant].push_back(run->lr);
    }
  }
  for (const std::string& variant : variants) {
    const std::string color = optimizer_color(optimizer_of[variant]);
    if (accuracies.count(variant)) {
      figure.series.push_back(rate_series(variant, color, accuracies[variant]));
    }
    if (diverged_lrs.count(variant)) {
      Series series;
      series.label = variant + " diverged";
      series.color = color;
      series.style = SeriesStyle::points;
      series.diverged = true;
      series.x = diverged_lrs[variant];
      std::sort(series.x.begin(), series.x.end());
      series.y.assign(series.x.size(), 0.0);
      figure.series.push_back(std::move(series));
    }
  }
  return figure;
}

// The hyperparameter view's second half: passes over the training data to the
// sweep's target against the learning rate, one line per optimizer and
// schedule, the mean over the seeds that reached it (band: mean -+ sd). A rate
// at which no seed reached the target is a point at the run's whole budget
// of passes (where recorded).
Figure lr_time_figure(const std::string& id, const std::string& title,
                      const std::vector<const FolderRun*>& runs) {
  Figure figure;
  figure.id = id;
  std::string target;
  for (const FolderRun* run : runs) {
    if (!run->target.empty()) target = run->target;
  }
  figure.title =
      title + ": passes to " + (target.empty() ? "the target" : target) + " against learning rate";
  figure.x_label = "learning rate";
  figure.y_label = "passes over the training data to target";
  figure.log_x = true;
  std::vector<std::string> variants;
  std::map<std::string, std::map<double, std::vector<double>>> reached, budget;
  std::map<std::string, std::string> optimizer_of;
  for (const FolderRun* run : runs) {
    if (run->status == RunStatus::Pending) continue;
    const std::string variant = variant_of(*run);
    if (!optimizer_of.count(variant)) variants.push_back(variant);
    optimizer_of[variant] = run->optimizer;
    const double passes = run->to_target.passes;
    if (run->status == RunStatus::Finished && run->to_target.reached() && std::isfinite(passes)) {
      reached[variant][run->lr].push_back(passes);
    } else if (!run->passes.empty()) {
      budget[variant][run->lr].push_back(run->passes.back());
    }
  }
  for (const std::string& variant : variants) {
    const std::string color = optimizer_color(optimizer_of[variant]);
    if (reached.count(variant)) {
      figure.series.push_back(rate_series(variant, color, reached[variant]));
    }
    Series never;
    never.label = variant + " never reached";
    never.color = color;
    never.style = SeriesStyle::points;
    for (const auto& [lr, values] : budget[variant]) {
      if (reached.count(variant) && reached[variant].count(lr)) continue;
      never.x.push_back(lr);
      never.y.push_back(*std::max_element(values.begin(), values.end()));
    }
    if (!never.x.empty()) figure.series.push_back(std::move(never));
  }
  return figure;
}

std::vector<const FolderRun*> runs_of(const SweepFolder& sweep, const FolderGroup& group) {
  std::vector<const FolderRun*> runs;
  for (const std::string& name : group.runs) runs.push_back(&sweep.run(name));
  return runs;
}

GroupFigures group_figures(const SweepFolder& sweep, const FolderGroup& group,
                           const std::string& id_prefix) {
  GroupFigures result{group.name, group.title, group.kind, {}};
  const std::string id = id_prefix + figure_id(group.name);
  const std::vector<const FolderRun*> runs = runs_of(sweep, group);
  if (group.kind == GroupKind::decay) {
    std::vector<std::string> optimizers;
    for (const FolderRun* run : runs) {
      if (std::find(optimizers.begin(), optimizers.end(), run->optimizer) == optimizers.end()) {
        optimizers.push_back(run->optimizer);
      }
    }
    for (const std::string& optimizer : optimizers) {
      std::vector<const FolderRun*> own;
      std::copy_if(runs.begin(), runs.end(), std::back_inserter(own),
                   [&](const FolderRun* run) { return run->optimizer == optimizer; });
      add_curves(result.figures, id + "-" + figure_id(optimizer), group.title + ", " + optimizer,
                 own);
    }
    return result;
  }
  add_curves(result.figures, id, group.title, runs);
  if (group.kind == GroupKind::lr_sweep) {
    result.figures.push_back(lr_figure(id + "-lr", group.title, runs));
    result.figures.push_back(lr_time_figure(id + "-lr-time", group.title, runs));
  }
  return result;
}

}  // namespace

namespace {

std::string three_digits(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

}  // namespace

Figure lr_find_figure(const std::string& id, const FolderLrFind& range_test) {
  Figure figure;
  figure.id = id;
  figure.title = "Learning-rate range test: " + range_test.optimizer;
  figure.x_label = "learning rate";
  figure.y_label = "loss";
  figure.log_x = true;
  const std::string color = optimizer_color(range_test.optimizer);
  // The test ends with the loss blowing up; drawn whole, the last steps would
  // flatten the dip that matters. Losses above twice the first are left out.
  const double cap = range_test.smoothed.empty() ? 0.0 : 2 * range_test.smoothed.front();
  const auto capped = [cap](std::vector<double> values) {
    for (double& v : values) {
      if (v > cap) v = std::numeric_limits<double>::quiet_NaN();
    }
    return values;
  };
  Series raw =
      thinned_series(range_test.optimizer + " loss", range_test.lr, capped(range_test.loss), color);
  raw.opacity = raw_opacity;
  figure.series.push_back(std::move(raw));
  figure.series.push_back(thinned_series(range_test.optimizer + " smoothed", range_test.lr,
                                         capped(range_test.smoothed), color));
  if (std::isfinite(range_test.suggested_lr) && range_test.suggested_lr > 0) {
    figure.markers.push_back({range_test.suggested_lr,
                              "suggested lr " + three_digits(range_test.suggested_lr), "#d62728"});
  }
  return figure;
}

std::string figure_id(std::string_view text) {
  std::string id;
  for (char c : text) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
      id += lower;
    } else if (!id.empty() && id.back() != '-') {
      id += '-';
    }
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id.empty() ? "figure" : id;
}

std::vector<double> smoothed_loss(std::span<const double> loss, double beta) {
  std::vector<double> smoothed(loss.size(), nan);
  MovingAverage average(beta);
  for (std::size_t i = 0; i < loss.size(); ++i) {
    if (!std::isfinite(loss[i])) continue;
    average.add(loss[i]);
    smoothed[i] = average.value();
  }
  return smoothed;
}

std::vector<std::size_t> thinned_indices(std::size_t size, std::size_t max_points) {
  max_points = std::max<std::size_t>(max_points, 2);
  std::vector<std::size_t> indices;
  if (size <= max_points) {
    for (std::size_t i = 0; i < size; ++i) indices.push_back(i);
    return indices;
  }
  const double step = static_cast<double>(size - 1) / static_cast<double>(max_points - 1);
  for (std::size_t k = 0; k < max_points; ++k) {
    indices.push_back(static_cast<std::size_t>(std::llround(static_cast<double>(k) * step)));
  }
  return indices;
}

std::string hyperparameters_text(const FolderRun& run) {
  std::string text;
  for (const auto& [name, value] : run.hyperparameters) {
    text += (text.empty() ? "" : ", ") + name + "=" + value;
  }
  return text;
}

SweepFigures sweep_figures(const SweepFolder& sweep, const std::string& id_prefix) {
  SweepFigures figures;
  for (const FolderGroup& group : sweep.groups) {
    figures.groups.push_back(group_figures(sweep, group, id_prefix));
  }
  for (const FolderLrFind& range_test : sweep.lr_finds) {
    figures.lr_finds.push_back(
        lr_find_figure(id_prefix + "lr-find-" + figure_id(range_test.optimizer), range_test));
  }
  for (const OptimizerPaths& paths : sweep.paths) {
    ContourFigure contour = contour_figure(paths);
    contour.id = id_prefix + figure_id(contour.id);
    figures.paths.push_back(std::move(contour));
  }
  return figures;
}

std::vector<BestLearningRate> best_learning_rates(const SweepFolder& sweep) {
  std::set<std::string> in_sweep;
  for (const FolderGroup& group : sweep.groups) {
    if (group.kind == GroupKind::lr_sweep) in_sweep.insert(group.runs.begin(), group.runs.end());
  }
  std::vector<BestLearningRate> best;
  for (const FolderRun& run : sweep.runs) {
    if (!in_sweep.count(run.name)) continue;
    const std::string settings = hyperparameters_text(run);
    auto row = std::find_if(best.begin(), best.end(), [&](const BestLearningRate& b) {
      return b.optimizer == run.optimizer && b.hyperparameters == settings;
    });
    if (row == best.end()) {
      best.push_back({run.optimizer, settings, nan, nan, nan, "", 0, 0});
      row = best.end() - 1;
    }
    if (run.status == RunStatus::Diverged) ++row->diverged;
    if (run.status != RunStatus::Finished || !std::isfinite(sweep.score(run))) continue;
    ++row->finished;
    if (row->run.empty() || sweep.score(run) > sweep.score(sweep.run(row->run))) {
      row->lr = run.lr;
      row->val_acc = run.val_acc;
      row->val_loss = run.val_loss;
      row->run = run.name;
    }
  }
  return best;
}

}  // namespace descent
