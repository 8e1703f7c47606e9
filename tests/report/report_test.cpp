// The report's figures and page: ids, smoothing, thinning, colours, diverged
// runs, the best-lr table, a self-contained and escaped page, figure files,
// several sweeps on one page.
#include "descent/report/report.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "descent/report/report_figures.hpp"
#include "support/sweep_fixture.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;
using R = testing::FabricatedRuns;

const Figure& find_figure(const SweepFigures& figures, const std::string& id) {
  for (const GroupFigures& group : figures.groups) {
    for (const Figure& figure : group.figures) {
      if (figure.id == id) return figure;
    }
  }
  for (const Figure& figure : figures.lr_finds) {
    if (figure.id == id) return figure;
  }
  throw std::runtime_error("no figure " + id);
}

const Series& find_series(const Figure& figure, const std::string& label) {
  for (const Series& series : figure.series) {
    if (series.label == label) return series;
  }
  throw std::runtime_error("no series '" + label + "' in " + figure.id);
}

std::vector<std::string> figure_ids(const SweepFigures& figures) {
  std::vector<std::string> ids;
  for (const GroupFigures& group : figures.groups) {
    for (const Figure& figure : group.figures) ids.push_back(figure.id);
  }
  for (const Figure& figure : figures.lr_finds) ids.push_back(figure.id);
  return ids;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++n;
  }
  return n;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::write_fabricated_sweep(sweep_dir()); }
  fs::path sweep_dir() const { return dir_.path() / "sweep"; }
  SweepFigures figures() const { return sweep_figures(read_sweep_folder(sweep_dir())); }

  testing::TempDir dir_;
};

TEST(FigureIdTest, KeepsLowerCaseLettersDigitsAndSingleDashes) {
  EXPECT_EQ(figure_id("SGD vs. Momentum!"), "sgd-vs-momentum");
  EXPECT_EQ(figure_id("--lr_sweep 2--"), "lr-sweep-2");
  EXPECT_EQ(figure_id("<>"), "figure");
}

TEST(SmoothedLossTest, IsTheBiasCorrectedMovingAverage) {
  const std::vector<double> loss = {1.0, 3.0, std::numeric_limits<double>::quiet_NaN(), 2.0};
  const std::vector<double> smoothed = smoothed_loss(loss, 0.9);
  ASSERT_EQ(smoothed.size(), 4u);
  EXPECT_DOUBLE_EQ(smoothed[0], 1.0);  // bias correction: the first value itself
  EXPECT_NEAR(smoothed[1], (0.9 * 0.1 * 1 + 0.1 * 3) / (1 - 0.9 * 0.9), 1e-14);
  EXPECT_TRUE(std::isnan(smoothed[2]));
  const double a3 = 0.9 * (0.9 * 0.1 * 1 + 0.1 * 3) + 0.1 * 2;
  EXPECT_NEAR(smoothed[3], a3 / (1 - 0.9 * 0.9 * 0.9), 1e-14);
  for (double value : smoothed_loss(std::vector<double>(50, 2.5))) EXPECT_NEAR(value, 2.5, 1e-12);
}

TEST(ThinnedIndicesTest, KeepFirstAndLastEvenlySpaced) {
  const std::vector<std::size_t> thin = thinned_indices(1500, 600);
  ASSERT_EQ(thin.size(), 600u);
  EXPECT_EQ(thin.front(), 0u);
  EXPECT_EQ(thin.back(), 1499u);
  for (std::size_t i = 1; i < thin.size(); ++i) {
    ASSERT_GT(thin[i], thin[i - 1]);
    ASSERT_LE(thin[i] - thin[i - 1], 3u);
  }
  EXPECT_EQ(thinned_indices(10, 600), (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST_F(ReportTest, EveryGroupHasItsFigures) {
  const std::vector<std::string> ids = figure_ids(figures());
  const std::vector<std::string> expected = {"sgd-vs-momentum-loss",
                                             "sgd-vs-momentum-train-accuracy",
                                             "sgd-vs-momentum-val-accuracy",
                                             "lr-sweep-loss",
                                             "lr-sweep-train-accuracy",
                                             "lr-sweep-val-accuracy",
                                             "lr-sweep-lr",
                                             "lr-sweep-lr-time",
                                             "decay-sgd-loss",
                                             "decay-sgd-train-accuracy",
                                             "decay-sgd-val-accuracy",
                                             "decay-adam-loss",
                                             "decay-adam-train-accuracy",
                                             "decay-adam-val-accuracy",
                                             "lr-find-adam"};
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(ids.size(), testing::fabricated_chart_count);
  EXPECT_EQ(figures().paths.size(), 1u);
}

TEST_F(ReportTest, LossIsRawAndSmoothedAndThinned) {
  const SweepFigures all = figures();
  const Figure& loss = find_figure(all, "sgd-vs-momentum-loss");
  EXPECT_EQ(loss.x_label, "iteration");
  ASSERT_EQ(loss.series.size(), 4u);  // raw and smoothed of two runs
  const Series& raw = find_series(loss, "sgd lr 0.01 raw");
  const Series& smooth = find_series(loss, "sgd lr 0.01");
  EXPECT_LT(raw.opacity, 0.5);
  EXPECT_EQ(smooth.opacity, 1.0);
  EXPECT_EQ(smooth.style, SeriesStyle::line);
  // The faint raw curve takes half the points of the smoothed one.
  EXPECT_EQ(raw.x.size(), max_points_per_series / 2);
  EXPECT_EQ(smooth.x.size(), max_points_per_series);
  for (const Series* s : {&raw, &smooth}) {
    EXPECT_EQ(s->x.front(), 1.0);
    EXPECT_EQ(s->x.back(), static_cast<double>(testing::fabricated_iterations));
  }
  // Smoothing takes the noise out: the smoothed curve, on twice the points,
  // still travels far less up and down.
  double raw_moves = 0, smooth_moves = 0;
  for (std::size_t i = 1; i < raw.y.size(); ++i) raw_moves += std::abs(raw.y[i] - raw.y[i - 1]);
  for (std::size_t i = 1; i < smooth.y.size(); ++i) {
    smooth_moves += std::abs(smooth.y[i] - smooth.y[i - 1]);
  }
  EXPECT_LT(smooth_moves, raw_moves / 3);
  EXPECT_EQ(raw.color, smooth.color);
  EXPECT_EQ(smooth.color, optimizer_color("sgd"));
  EXPECT_EQ(find_series(loss, "momentum lr 0.01").color, optimizer_color("momentum"));
}

// A group with a quasi-Newton run draws the loss against passes over the data,
// the budget that lbfgs and adam share; without one it stays per iteration.
TEST(ReportLossAxisTest, QuasiNewtonRunsAreDrawnAgainstPasses) {
  SweepFolder sweep;
  sweep.name = "qn";
  FolderGroup group;
  group.name = "softmax";
  group.title = "Softmax regression";
  group.runs = {"adam", "lbfgs"};
  sweep.groups = {group};
  FolderRun adam;
  adam.name = "adam";
  adam.optimizer = "adam";
  adam.lr = 0.001;
  adam.status = RunStatus::Finished;
  adam.loss = {2.0, 1.5, 1.2, 1.0};
  adam.passes = {0.25, 0.5, 0.75, 1.0};
  FolderRun lbfgs = adam;
  lbfgs.name = "lbfgs";
  lbfgs.optimizer = "lbfgs";
  lbfgs.lr = 1;
  lbfgs.loss = {2.0, 0.9};
  lbfgs.passes = {1.0, 3.0};
  sweep.runs = {adam, lbfgs};
  const Figure loss = find_figure(sweep_figures(sweep), "softmax-loss");
  EXPECT_EQ(loss.x_label, "passes over the training data");
  EXPECT_EQ(find_series(loss, "lbfgs lr 1 raw").x, (std::vector<double>{1.0, 3.0}));
  EXPECT_EQ(find_series(loss, "adam lr 0.001 raw").x, adam.passes);

  sweep.runs = {adam, adam};
  sweep.runs[1].name = "lbfgs";
  EXPECT_EQ(find_figure(sweep_figures(sweep), "softmax-loss").x_label, "iteration");
}

// Three seeds of adam at 1e-3 and one of sgd: adam is one line, the mean over
// its seeds, over a band of mean -+ sd; sgd's single run has no band.
SweepFolder seeds_sweep() {
  SweepFolder sweep;
  sweep.name = "seeds";
  FolderGroup group;
  group.name = "tuned";
  group.title = "Tuned";
  group.runs = {"adam-s0", "adam-s1", "adam-s2", "sgd-s0"};
  sweep.groups = {group};
  const std::vector<std::vector<double>> val = {{0.5, 0.7}, {0.6, 0.8}, {0.7, 0.6}};
  for (std::size_t s = 0; s < 3; ++s) {
    FolderRun run;
    run.name = "adam-s" + std::to_string(s);
    run.optimizer = "adam";
    run.lr = 1e-3;
    run.schedule = "constant";
    run.seed = s;
    run.status = RunStatus::Finished;
    run.loss = {2.0 + static_cast<double>(s), 1.0};
    for (std::size_t e = 0; e < 2; ++e) {
      EpochRecord epoch;
      epoch.epoch = e + 1;
      epoch.val_accuracy = val[s][e];
      epoch.train_accuracy = val[s][e];
      run.epochs.push_back(epoch);
    }
    run.val_acc = val[s][1];
    sweep.runs.push_back(run);
  }
  FolderRun sgd = sweep.runs[0];
  sgd.name = "sgd-s0";
  sgd.optimizer = "sgd";
  sweep.runs.push_back(sgd);
  return sweep;
}

TEST(ReportSeedsTest, SeedsOfOneConfigurationAreAMeanWithASdBand) {
  const SweepFigures all = sweep_figures(seeds_sweep());
  const Figure& val = find_figure(all, "tuned-val-accuracy");
  ASSERT_EQ(val.series.size(), 2u);
  const Series& adam = find_series(val, "adam lr 0.001, mean of 3 seeds");
  // Epoch 1: 0.5, 0.6, 0.7: mean 0.6, sd 0.1; epoch 2: 0.7, 0.8, 0.6 likewise.
  ASSERT_EQ(adam.y.size(), 2u);
  ASSERT_EQ(adam.band_low.size(), 2u);
  for (std::size_t e = 0; e < 2; ++e) {
    EXPECT_NEAR(adam.y[e], e == 0 ? 0.6 : 0.7, 1e-12);
    EXPECT_NEAR(adam.band_high[e] - adam.y[e], 0.1, 1e-12);
    EXPECT_NEAR(adam.y[e] - adam.band_low[e], 0.1, 1e-12);
  }
  EXPECT_EQ(adam.x, (std::vector<double>{1.0, 2.0}));
  EXPECT_TRUE(find_series(val, "sgd lr 0.001").band_low.empty());

  // The loss: the mean of the seeds' smoothed losses, the band their sd. The
  // first smoothed value is the loss itself: 2, 3, 4, so mean 3 and sd 1.
  const Figure& loss = find_figure(all, "tuned-loss");
  const Series& smoothed = find_series(loss, "adam lr 0.001, mean of 3 seeds");
  EXPECT_NEAR(smoothed.y[0], 3.0, 1e-12);
  EXPECT_NEAR(smoothed.band_high[0], 4.0, 1e-12);
  EXPECT_NEAR(smoothed.band_low[0], 2.0, 1e-12);
  EXPECT_NEAR(find_series(loss, "adam lr 0.001, mean of 3 seeds raw").y[0], 3.0, 1e-12);
}

TEST(ReportSeedsTest, ADivergedSeedIsLeftOutOfTheBandAndNamed) {
  SweepFolder sweep = seeds_sweep();
  sweep.runs[2].status = RunStatus::Diverged;
  sweep.runs[2].epochs[1].val_accuracy = std::numeric_limits<double>::quiet_NaN();
  const Figure val = find_figure(sweep_figures(sweep), "tuned-val-accuracy");
  const Series& adam = find_series(val, "adam lr 0.001, mean of 3 seeds (1 of 3 diverged)");
  EXPECT_EQ(adam.style, SeriesStyle::line);
  EXPECT_NEAR(adam.y[1], 0.75, 1e-12);  // 0.7 and 0.8
  EXPECT_NEAR(adam.band_high[1] - adam.band_low[1], 2 * std::sqrt(0.005), 1e-12);
}

TEST(ReportSeedsTest, LrFigureHasABandOverSeeds) {
  SweepFolder sweep = seeds_sweep();
  sweep.groups[0].kind = GroupKind::lr_sweep;
  const Figure lr = find_figure(sweep_figures(sweep), "tuned-lr");
  const Series& adam = find_series(lr, "adam");
  ASSERT_EQ(adam.y.size(), 1u);
  EXPECT_NEAR(adam.y[0], 0.7, 1e-12);
  EXPECT_NEAR(adam.band_high[0], 0.8, 1e-12);
  EXPECT_TRUE(find_series(lr, "sgd").band_low.empty());
}

TEST_F(ReportTest, DivergedRunsAreDashedAndSaySo) {
  const SweepFigures all = figures();
  const Figure& loss = find_figure(all, "lr-sweep-loss");
  const Series& diverged = find_series(loss, "adam lr 0.1 (diverged)");
  EXPECT_TRUE(diverged.diverged);
  EXPECT_EQ(diverged.style, SeriesStyle::dashed);
  EXPECT_TRUE(std::isnan(diverged.y.back()));
  EXPECT_TRUE(loss.log_y);  // the diverged loss spans decades beside the others
  const Series& accuracy =
      find_series(find_figure(all, "lr-sweep-val-accuracy"), "adam lr 0.1 (diverged)");
  EXPECT_EQ(accuracy.style, SeriesStyle::dashed);
  EXPECT_EQ(find_series(find_figure(all, "lr-sweep-val-accuracy"), "adam lr 0.001").style,
            SeriesStyle::line);
  EXPECT_FALSE(find_figure(all, "sgd-vs-momentum-loss").log_y);
}

TEST_F(ReportTest, ShadesOfOneOptimizerDiffer) {
  const SweepFigures all = figures();
  const Figure& figure = find_figure(all, "lr-sweep-val-accuracy");
  std::set<std::string> sgd_colors;
  for (const char* label : {"sgd lr 0.001", "sgd lr 0.01", "sgd lr 0.1"}) {
    sgd_colors.insert(find_series(figure, label).color);
  }
  EXPECT_EQ(sgd_colors.size(), 3u);
  for (const std::string& color : sgd_colors) {
    EXPECT_TRUE(std::regex_match(color, std::regex("#[0-9a-f]{6}"))) << color;
  }
  EXPECT_NE(find_series(figure, "adam lr 0.001").color, find_series(figure, "sgd lr 0.001").color);
}

TEST_F(ReportTest, LrFigureHasOneLinePerOptimizerAndDivergedPointsAtZero) {
  const SweepFigures all = figures();
  const Figure& figure = find_figure(all, "lr-sweep-lr");
  EXPECT_TRUE(figure.log_x);
  ASSERT_EQ(figure.series.size(), 3u);
  const Series& sgd = find_series(figure, "sgd");
  EXPECT_EQ(sgd.x, (std::vector<double>{1e-3, 1e-2, 1e-1}));
  ASSERT_EQ(sgd.y.size(), 3u);
  EXPECT_NEAR(sgd.y[0], 0.60, 1e-12);
  EXPECT_NEAR(sgd.y[1], 0.80, 1e-12);
  EXPECT_NEAR(sgd.y[2], 0.70, 1e-12);
  const Series& adam = find_series(figure, "adam");  // the pending 1e-4 has no point
  EXPECT_EQ(adam.x, (std::vector<double>{1e-3, 1e-2}));
  const Series& diverged = find_series(figure, "adam diverged");
  EXPECT_EQ(diverged.style, SeriesStyle::points);
  EXPECT_TRUE(diverged.diverged);
  EXPECT_EQ(diverged.x, (std::vector<double>{1e-1}));
  EXPECT_EQ(diverged.y, (std::vector<double>{0.0}));
  EXPECT_EQ(diverged.color, optimizer_color("adam"));
}

TEST_F(ReportTest, DecayFiguresHaveOneLinePerSchedule) {
  const SweepFigures all = figures();
  const Figure& figure = find_figure(all, "decay-adam-val-accuracy");
  ASSERT_EQ(figure.series.size(), 2u);
  EXPECT_EQ(figure.series[0].label, "adam lr 0.001 constant");
  EXPECT_EQ(figure.series[1].label, "adam lr 0.001 step");
  EXPECT_NE(figure.series[0].color, figure.series[1].color);
}

TEST_F(ReportTest, LrFindMarksTheSuggestedRate) {
  const SweepFigures all = figures();
  const Figure& figure = find_figure(all, "lr-find-adam");
  EXPECT_TRUE(figure.log_x);
  ASSERT_EQ(figure.series.size(), 2u);
  EXPECT_LT(figure.series[0].opacity, 0.5);
  ASSERT_EQ(figure.markers.size(), 1u);
  EXPECT_EQ(figure.markers[0].x, 1.2e-3);
  EXPECT_NE(figure.markers[0].label.find("0.0012"), std::string::npos);
}

TEST_F(ReportTest, BestLearningRateOfEachOptimizer) {
  const std::vector<BestLearningRate> best = best_learning_rates(read_sweep_folder(sweep_dir()));
  ASSERT_EQ(best.size(), 2u);
  EXPECT_EQ(best[0].optimizer, "sgd");
  EXPECT_EQ(best[0].lr, 1e-2);
  EXPECT_NEAR(best[0].val_acc, 0.80, 1e-12);
  EXPECT_EQ(best[0].run, R::sgd);
  EXPECT_EQ(best[0].finished, 3u);
  EXPECT_EQ(best[1].optimizer, "adam");
  EXPECT_EQ(best[1].lr, 1e-3);  // not adam_step's 0.89: decay is not part of the sweep
  EXPECT_EQ(best[1].finished, 2u);
  EXPECT_EQ(best[1].diverged, 1u);
}

TEST_F(ReportTest, PrefixGoesBeforeEveryId) {
  const SweepFigures prefixed = sweep_figures(read_sweep_folder(sweep_dir()), "first-");
  for (const std::string& id : figure_ids(prefixed)) EXPECT_EQ(id.rfind("first-", 0), 0u) << id;
  EXPECT_EQ(prefixed.paths[0].id.rfind("first-", 0), 0u);
}

TEST_F(ReportTest, PageIsSelfContained) {
  const fs::path report = write_report({sweep_dir()}, dir_.path() / "out");
  EXPECT_EQ(report, dir_.path() / "out" / "report.html");
  const std::string html = read_file(report);
  EXPECT_FALSE(std::regex_search(
      html, std::regex(R"((src|href)\s*=\s*["']?\s*(https?:)?//)", std::regex::icase)));
  EXPECT_EQ(count(html, "<script src"), 0u);
  EXPECT_EQ(count(html, "<link"), 0u);
  const std::string chartjs = read_file(chartjs_path());
  EXPECT_NE(html.find(chartjs.substr(0, 2000)), std::string::npos) << "Chart.js not inlined";
  EXPECT_NE(html.find(chartjs.substr(chartjs.size() - 2000)), std::string::npos);
  EXPECT_NE(html.find("<script type=\"application/json\" id=\"report-data\">"), std::string::npos);
  EXPECT_NE(html.find("data:image/png;base64,iVBORw0KGgo"), std::string::npos)
      << "the paths picture is not embedded as a PNG";
}

TEST_F(ReportTest, EveryFigureHasACanvasAndFiles) {
  const fs::path out = dir_.path() / "out";
  const std::string html = read_file(write_report({sweep_dir()}, out));
  const SweepFigures all = figures();
  for (const std::string& id : figure_ids(all)) {
    EXPECT_EQ(count(html, "<canvas id=\"chart-" + id + "\""), 1u) << id;
    for (const char* extension : {".png", ".svg"}) {
      const fs::path file = out / "figures" / (id + extension);
      ASSERT_TRUE(fs::exists(file)) << file;
      EXPECT_GT(fs::file_size(file), 1000u) << file;
    }
  }
  EXPECT_EQ(count(html, "<canvas "), testing::page_canvases(1));
  EXPECT_EQ(count(html, "<canvas id=\"chart-profile\""), 1u);
  EXPECT_TRUE(fs::exists(out / "figures" / "profile.png"));
  EXPECT_EQ(read_file(out / "figures" / "lr-sweep-loss.png").substr(1, 3), "PNG");
  EXPECT_NE(read_file(out / "figures" / "lr-sweep-loss.svg").find("<svg"), std::string::npos);
  const fs::path contour = out / "figures" / (all.paths[0].id + ".png");
  EXPECT_TRUE(fs::exists(contour)) << contour;
}

TEST_F(ReportTest, PageHasTablesAndCounts) {
  const std::string html = read_file(write_report({sweep_dir()}, dir_.path() / "out"));
  EXPECT_NE(html.find("10 runs: 8 finished, 1 diverged, 1 pending"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"sortable\" id=\"runs\">"), std::string::npos);
  EXPECT_EQ(count(html, "<td class=\"status-diverged\""), 1u);
  // The diverged run's last loss says NaN; the pending run's numbers are blank.
  EXPECT_NE(html.find("<td class=\"number\">NaN</td>"), std::string::npos);
  const std::size_t pending = html.find(std::string("<td>") + R::adam_pending + "</td>");
  ASSERT_NE(pending, std::string::npos);
  const std::string row = html.substr(pending, html.find("</tr>", pending) - pending);
  EXPECT_EQ(count(row, "<td class=\"number\"></td>"), 5u) << row;
  EXPECT_NE(html.find("Best learning rate of each optimizer"), std::string::npos);
  EXPECT_NE(html.find(std::string("<td>") + R::adam + "</td>"), std::string::npos);
}

TEST_F(ReportTest, PageLeadsWithFindingsThenTheProfileThenChartsThenRuns) {
  testing::write_fabricated_sweep(dir_.path() / "second", "second", "The second sweep");
  const std::string html =
      read_file(write_report({sweep_dir(), dir_.path() / "second"}, dir_.path() / "out"));
  const std::size_t findings = html.find("<section class=\"findings\">");
  const std::size_t profile = html.find("<section id=\"profile\">");
  const std::size_t charts = html.find("<section class=\"group\">");
  const std::size_t runs = html.find("<section id=\"summary\"><details>");
  ASSERT_NE(findings, std::string::npos);
  ASSERT_NE(profile, std::string::npos);
  ASSERT_NE(charts, std::string::npos);
  ASSERT_NE(runs, std::string::npos);
  EXPECT_LT(findings, profile);
  EXPECT_LT(profile, charts);
  EXPECT_LT(charts, runs);
  // The run table is collapsed: <details> without "open".
  EXPECT_EQ(html.find("<details open"), std::string::npos);
  // The profile says how to read it, and scores each method on both problems.
  const std::string section = html.substr(profile, charts - profile);
  EXPECT_NE(section.find("How to read it"), std::string::npos);
  EXPECT_NE(section.find("<table class=\"sortable\" id=\"scores\">"), std::string::npos);
  EXPECT_NE(section.find("fixture: ratio"), std::string::npos) << section;
  EXPECT_NE(section.find("second: ratio"), std::string::npos) << section;
}

TEST_F(ReportTest, TextIsEscaped) {
  const std::string attack = "<script>alert(1)</script>";
  testing::write_fabricated_sweep(sweep_dir(), "fixture", attack);
  // A run whose name carries markup, renamed everywhere it is named.
  const std::string run = std::string("sgd<script>alert(2)<") + "b>";
  fs::rename(sweep_dir() / "runs" / R::sgd_high, sweep_dir() / "runs" / run);
  nlohmann::json summary = nlohmann::json::parse(read_file(sweep_dir() / "summary.json"));
  for (auto& row : summary) {
    if (row["run"] == R::sgd_high) row["run"] = run;
  }
  write_file_atomic(sweep_dir() / "summary.json", summary.dump());
  nlohmann::json experiment = nlohmann::json::parse(read_file(sweep_dir() / "experiment.json"));
  for (auto& name : experiment["groups"][1]["runs"]) {
    if (name == R::sgd_high) name = run;
  }
  write_file_atomic(sweep_dir() / "experiment.json", experiment.dump());

  const std::string html = read_file(write_report({sweep_dir()}, dir_.path() / "out"));
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("sgd&lt;script&gt;alert(2)&lt;b&gt;"), std::string::npos);
  // In the data, '<' is \u003c, so nothing in it can close its <script>.
  const std::size_t data = html.find("id=\"report-data\">");
  ASSERT_NE(data, std::string::npos);
  const std::size_t end = html.find("</script>", data);
  EXPECT_NE(html.substr(data, end - data).find("\\u003cscript\\u003ealert(1)"), std::string::npos);
  // Exactly the page's own four scripts: errors, Chart.js, the data, the charts.
  EXPECT_EQ(count(html, "<script"), 4u);
}

TEST_F(ReportTest, SeveralSweepsShareOnePage) {
  testing::write_fabricated_sweep(dir_.path() / "second", "second", "The second sweep");
  const std::string html =
      read_file(write_report({sweep_dir(), dir_.path() / "second"}, dir_.path() / "out"));
  EXPECT_EQ(count(html, "<canvas "), testing::page_canvases(2));
  EXPECT_EQ(count(html, "<canvas id=\"chart-fixture-lr-sweep-lr\""), 1u);
  EXPECT_EQ(count(html, "<canvas id=\"chart-second-lr-sweep-lr\""), 1u);
  EXPECT_NE(html.find("The second sweep"), std::string::npos);
  EXPECT_NE(html.find("A fabricated sweep"), std::string::npos);
  EXPECT_NE(html.find("<th>sweep</th>"), std::string::npos);
  EXPECT_EQ(count(html, "<td>second</td>"), 10u + 2u);  // runs table and best-lr table
  EXPECT_TRUE(fs::exists(dir_.path() / "out" / "figures" / "second-lr-sweep-lr.png"));
}

TEST_F(ReportTest, SweepsOfTheSameNameStayApart) {
  testing::write_fabricated_sweep(dir_.path() / "again");
  const std::string html =
      read_file(write_report({sweep_dir(), dir_.path() / "again"}, dir_.path() / "out"));
  EXPECT_EQ(count(html, "<canvas id=\"chart-fixture-lr-sweep-lr\""), 1u);
  EXPECT_EQ(count(html, "<canvas id=\"chart-fixture-2-lr-sweep-lr\""), 1u);
}

TEST_F(ReportTest, CorruptSummaryIsFormatErrorNamingIt) {
  write_file_atomic(sweep_dir() / "summary.json", "{\"not\": \"rows\"}");
  try {
    write_report({sweep_dir()}, dir_.path() / "out");
    FAIL() << "no error";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("summary.json"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir_.path() / "out" / "report.html"));
}

TEST_F(ReportTest, MissingChartJsIsIoErrorNamingThePackage) {
  const fs::path missing = dir_.path() / "no-chart.min.js";
  setenv("DESCENT_CHARTJS", missing.c_str(), 1);
  try {
    write_report({sweep_dir()}, dir_.path() / "out");
    unsetenv("DESCENT_CHARTJS");
    FAIL() << "no error";
  } catch (const IoError& e) {
    unsetenv("DESCENT_CHARTJS");
    EXPECT_NE(std::string(e.what()).find(missing.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("libjs-chart.js"), std::string::npos) << e.what();
  }
}

TEST_F(ReportTest, ChartJsPathFollowsTheEnvironment) {
  const fs::path copy = dir_.path() / "chart.js";
  write_file_atomic(copy, "window.Chart = function () {}; /* stand-in */");
  setenv("DESCENT_CHARTJS", copy.c_str(), 1);
  EXPECT_EQ(chartjs_path(), copy);
  const std::string html = read_file(write_report({sweep_dir()}, dir_.path() / "out"));
  unsetenv("DESCENT_CHARTJS");
  EXPECT_NE(html.find("/* stand-in */"), std::string::npos);
  EXPECT_NE(chartjs_path(), copy);
}

}  // namespace
}  // namespace descent
