#include "descent/report/ensemble_report.hpp"

#include <cstdio>
#include <map>
#include <string>

#include "descent/core/atomic_file.hpp"
#include "descent/report/plot_file.hpp"
#include "descent/report/report.hpp"

namespace descent {

namespace {

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string percent(double accuracy) { return fixed(100 * accuracy, 2) + "%"; }

std::string rule_label(Combine c) {
  return "ensemble " + to_string(c) + (c == Combine::vote ? " (loss of mean-probs)" : "");
}

}  // namespace

Figure ensemble_size_figure(const EnsembleScore& score) {
  Figure figure;
  figure.id = "size";
  figure.title = "Test accuracy against ensemble size";
  figure.x_label = "members";
  figure.y_label = "test accuracy (%)";
  const std::map<Combine, std::string> colors = {{Combine::mean_probabilities, "#1f77b4"},
                                                 {Combine::vote, "#ff7f0e"},
                                                 {Combine::mean_logits, "#2ca02c"}};
  for (const Combine combine : all_combines()) {
    Series series;
    series.label = "ensemble, " + to_string(combine);
    series.color = colors.at(combine);
    const std::vector<double>& accuracy = score.accuracy_by_size.at(combine);
    for (std::size_t k = 0; k < accuracy.size(); ++k) {
      series.x.push_back(static_cast<double>(k + 1));
      series.y.push_back(100 * accuracy[k]);
    }
    figure.series.push_back(std::move(series));
  }
  Series alone;
  alone.label = "member k alone";
  alone.style = SeriesStyle::points;
  alone.color = "#7f7f7f";
  for (std::size_t k = 0; k < score.members.size(); ++k) {
    alone.x.push_back(static_cast<double>(k + 1));
    alone.y.push_back(100 * score.members[k].accuracy);
  }
  figure.series.push_back(std::move(alone));
  return figure;
}

void write_ensemble_report(const std::filesystem::path& out_dir, const EnsembleScore& score) {
  const Figure size_chart = ensemble_size_figure(score);
  save_figure(size_chart, out_dir / "size.png");
  save_figure(size_chart, out_dir / "size.svg");
  const auto row = [](const std::string& label, const Network::Evaluation& e,
                      const std::string& css) {
    return "<tr" + css + "><td>" + html_escape(label) + "</td><td class=\"num\">" +
           percent(e.accuracy) + "</td><td class=\"num\">" + fixed(e.loss, 4) + "</td></tr>\n";
  };
  std::string table =
      "<table id=\"ensemble-table\"><thead><tr><th>model</th><th>test acc</th><th>test "
      "loss</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < score.members.size(); ++i) {
    table += row(score.labels[i], score.members[i], "");
  }
  table += row("mean member", score.mean_member, " class=\"mean\"");
  for (const Combine c : all_combines()) {
    table += row(rule_label(c), score.ensemble.at(c), c == score.combine ? " class=\"best\"" : "");
  }
  table += "</tbody></table>\n";
  const std::string cost = "Prediction: " + fixed(score.one_model_us, 2) +
                           " us per sample for one model, " + fixed(score.ensemble_us, 2) +
                           " us for the ensemble.";
  const std::string title = "Ensemble of " + std::to_string(score.members.size()) + " members";
  const std::string body =
      "<header><h1>" + html_escape(title) +
      "</h1>\n<p class=\"meta\">Test set; the rule of "
      "ensemble.json is <b>" +
      html_escape(to_string(score.combine)) + "</b>. " + html_escape(cost) +
      "</p></header>\n<section id=\"members\"><h2>Members and ensemble</h2>\n" + table +
      "</section>\n<section id=\"size\"><h2>Accuracy against ensemble size</h2>\n<p "
      "class=\"meta\">The first k members combined, k = 1 .. " +
      std::to_string(score.members.size()) + "; grey points: member k alone.</p>\n" +
      chart_canvases({size_chart}) + "</section>\n";
  write_file_atomic(out_dir / "report.html",
                    chart_page(title, body, {size_chart}, read_file(chartjs_path())));
}

}  // namespace descent
