// report.html: the page's markup, its styles and the script that draws the
// charts from the data embedded as JSON.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

#include "descent/core/text.hpp"
#include "descent/experiment/findings.hpp"
#include "descent/report/report.hpp"
#include "descent/report/report_figures.hpp"

namespace descent {

namespace {

using nlohmann::json;

constexpr std::string_view page_style = R"page(
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1400px; padding: 1em 2em;
       color: #222; }
h1 { margin-bottom: 0.2em; }
summary h2 { display: inline; cursor: pointer; }
.meta { color: #555; margin: 0.2em 0; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.7em; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
#runs-filter { font: inherit; padding: 0.2em 0.5em; min-width: 24em; }
table.sortable th[data-sorted="asc"]::after { content: " \25B2"; }
table.sortable th[data-sorted="desc"]::after { content: " \25BC"; }
.status-diverged { color: #d62728; font-weight: bold; }
.status-pending { color: #888; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 1em; }
.chart { position: relative; height: 360px; }
.pictures img { max-width: 100%; }
figure { margin: 0 0 1em; }
)page";

// Runs first, before Chart.js, so that every error of the page is recorded.
constexpr std::string_view error_script = R"page(
window.reportErrors = [];
function recordReportError(message) {
  window.reportErrors.push(String(message));
  if (document.body) document.body.dataset.errors = window.reportErrors.join("\n");
}
window.addEventListener("error", function (event) {
  recordReportError(event.message || ("cannot load " + (event.target && event.target.src)));
}, true);
window.addEventListener("unhandledrejection", function (event) {
  recordReportError("unhandled rejection: " + event.reason);
});
(function () {
  const original = console.error;
  console.error = function () {
    recordReportError(Array.prototype.map.call(arguments, String).join(" "));
    original.apply(console, arguments);
  };
})();
)page";

constexpr std::string_view chart_script = R"page(
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 12;

  // Vertical lines at given x, such as lr-find's suggested learning rate.
  const markers = {
    id: "reportMarkers",
    afterDatasetsDraw(chart, args, options) {
      const area = chart.chartArea;
      for (const marker of options.markers || []) {
        const x = chart.scales.x.getPixelForValue(marker.x);
        if (!(x >= area.left && x <= area.right)) continue;
        const ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = marker.color;
        ctx.fillStyle = marker.color;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([5, 3]);
        ctx.beginPath();
        ctx.moveTo(x, area.top);
        ctx.lineTo(x, area.bottom);
        ctx.stroke();
        ctx.font = "12px sans-serif";
        ctx.fillText(marker.label, x + 4, area.top + 14);
        ctx.restore();
      }
    },
  };

  function rgba(hex, opacity) {
    const value = parseInt(hex.slice(1), 16);
    return "rgba(" + ((value >> 16) & 255) + "," + ((value >> 8) & 255) + "," + (value & 255) +
           "," + opacity + ")";
  }

  // Points a log axis cannot show are left out (x) or left as gaps (y).
  function points(series, logX, logY) {
    const result = [];
    for (let i = 0; i < series.x.length; ++i) {
      const x = series.x[i];
      let y = series.y[i];
      if (x === null || (logX && x <= 0)) continue;
      if (y !== null && logY && y <= 0) y = null;
      result.push({x: x, y: y});
    }
    return result;
  }

  function dataset(series, figure) {
    const data = points(series, figure.log_x, figure.log_y);
    const faint = series.opacity < 0.5;
    const markersOnly = series.style === "points";
    return {
      label: series.label,
      data: data,
      borderColor: rgba(series.color, series.opacity),
      backgroundColor: rgba(series.color, series.opacity),
      borderDash: series.style === "dashed" ? [6, 4] : [],
      borderWidth: faint ? 1 : 2,
      showLine: !markersOnly,
      pointRadius: markersOnly ? 6 : (data.length <= 40 && !faint ? 3 : 0),
      pointStyle: series.diverged && markersOnly ? "crossRot" : "circle",
      pointBorderWidth: markersOnly ? 2 : 1,
      spanGaps: false,
      fill: false,
      faint: faint,
    };
  }

  // One edge of a series' band (mean -+ sd over seeds): no line of its own;
  // the upper edge is filled down to the lower one, pushed just before it.
  function bandEdge(y, upper, series, figure) {
    return {
      label: series.label + (upper ? " + sd" : " - sd"),
      data: points({x: series.x, y: y}, figure.log_x, figure.log_y),
      borderColor: "rgba(0,0,0,0)",
      backgroundColor: rgba(series.color, 0.15),
      borderWidth: 0,
      pointRadius: 0,
      spanGaps: false,
      fill: upper ? "-1" : false,
      faint: true,
      band: true,
    };
  }

  function axis(log, label) {
    return {type: log ? "logarithmic" : "linear", title: {display: true, text: label}};
  }

  function hideFaint(item, chart) {
    return !chart.datasets[item.datasetIndex].faint;
  }

  const charts = [];
  for (const figure of data.figures) {
    try {
      const canvas = document.getElementById("chart-" + figure.id);
      if (!canvas) throw new Error("no canvas for figure " + figure.id);
      const datasets = [];
      for (const series of figure.series) {
        if (series.band_low) {
          datasets.push(bandEdge(series.band_low, false, series, figure));
          datasets.push(bandEdge(series.band_high, true, series, figure));
        }
        datasets.push(dataset(series, figure));
      }
      charts.push(new Chart(canvas, {
        type: "line",
        data: {datasets: datasets},
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          parsing: false,
          normalized: true,
          interaction: {mode: "nearest", intersect: false},
          scales: {x: axis(figure.log_x, figure.x_label), y: axis(figure.log_y, figure.y_label)},
          plugins: {
            title: {display: true, text: figure.title},
            legend: {labels: {filter: hideFaint}},
            tooltip: {filter: function (item) { return !item.dataset.band; }},
            reportMarkers: {markers: figure.markers},
          },
        },
        plugins: [markers],
      }));
    } catch (error) {
      recordReportError("figure " + figure.id + ": " + error);
    }
  }

  // Chart.js draws at construction (no animation): the charts are drawn now.
  document.body.dataset.renderMs = String(Math.round(performance.now()));

  // A canvas drawn on has some pixel that is not transparent.
  let drawn = 0;
  for (const chart of charts) {
    const canvas = chart.canvas;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = false;
    for (let i = 3; i < pixels.length && !painted; i += 4) painted = pixels[i] !== 0;
    if (painted) ++drawn;
  }
  document.body.dataset.chartsExpected = String(data.figures.length);
  document.body.dataset.chartsDrawn = String(drawn);
  document.body.dataset.chartsBlank = String(data.figures.length - drawn);
  document.body.dataset.errors = window.reportErrors.join("\n");

  // Sortable tables: a click on a heading sorts by that column, again reverses.
  for (const table of document.querySelectorAll("table.sortable")) {
    const headings = table.tHead.rows[0].cells;
    for (let column = 0; column < headings.length; ++column) {
      headings[column].addEventListener("click", function () {
        const order = headings[column].dataset.sorted === "asc" ? "desc" : "asc";
        for (const heading of headings) delete heading.dataset.sorted;
        headings[column].dataset.sorted = order;
        const key = function (row) {
          const cell = row.cells[column];
          return cell.dataset.value !== undefined ? Number(cell.dataset.value) : cell.textContent;
        };
        const rows = Array.from(table.tBodies[0].rows);
        rows.sort(function (a, b) {
          const x = key(a);
          const y = key(b);
          const sign = order === "asc" ? 1 : -1;
          if (typeof x === "number" && typeof y === "number") return sign * (x - y);
          if (typeof x === "number") return -1;
          if (typeof y === "number") return 1;
          return sign * String(x).localeCompare(String(y));
        });
        for (const row of rows) table.tBodies[0].appendChild(row);
      });
    }
  }

  // The run table's filter: a row stays when every word typed appears in it
  // (any case); "#filter=adam+diverged" in the page's address fills it in.
  const filter = document.getElementById("runs-filter");
  const runs = document.getElementById("runs");
  if (filter && runs) {
    const apply = function () {
      const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const row of runs.tBodies[0].rows) {
        const text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (word) { return text.includes(word); });
        if (!row.hidden) ++shown;
      }
      document.body.dataset.runsShown = String(shown);
    };
    filter.addEventListener("input", apply);
    const given = /(?:^#|&)filter=([^&]*)/.exec(window.location.hash);
    if (given) {
      filter.value = decodeURIComponent(given[1].replace(/\+/g, " "));
      filter.closest("details").open = true;
    }
    apply();
  }
})();
)page";

// Inside <script>, the text "</script" would end the element early and "<!--"
// changes how it is parsed; JSON's strings take \u003c for '<' instead, and
// only strings can hold one.
std::string script_safe_json(const json& value) {
  const std::string text = value.dump();
  std::string safe;
  safe.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      safe += "\\u003c";
    } else if (c == '>') {
      safe += "\\u003e";
    } else if (c == '&') {
      safe += "\\u0026";
    } else {
      safe += c;
    }
  }
  return safe;
}

// Chart.js may hold "</script" only inside a string, regular expression or
// comment, where "<\/script" means the same; Debian's 3.9.1 holds none.
std::string script_safe_code(std::string_view code) {
  std::string safe(code);
  std::string lower(code);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::size_t at = lower.rfind("</script"); at != std::string::npos;
       at = at == 0 ? std::string::npos : lower.rfind("</script", at - 1)) {
    safe.insert(at + 1, "\\");
  }
  return safe;
}

std::string style_name(SeriesStyle style) {
  switch (style) {
    case SeriesStyle::line:
      return "line";
    case SeriesStyle::dashed:
      return "dashed";
    case SeriesStyle::points:
      return "points";
  }
  return "line";
}

// A chart's numbers to float precision (seven digits and more), in their
// shortest decimal form: what a canvas can show, at half the page's size.
std::vector<double> chart_numbers(const std::vector<double>& values) {
  std::vector<double> rounded(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double v = values[i];
    // Beyond a float's range (a loss that blew up) the value stays as it is.
    rounded[i] = std::abs(v) <= std::numeric_limits<float>::max()
                     ? float_decimal(static_cast<float>(v))
                     : v;
  }
  return rounded;
}

json figure_json(const Figure& figure) {
  json series = json::array();
  for (const Series& s : figure.series) {
    json one = {{"label", s.label},        {"x", chart_numbers(s.x)},
                {"y", chart_numbers(s.y)}, {"style", style_name(s.style)},
                {"color", s.color},        {"opacity", s.opacity},
                {"diverged", s.diverged}};
    if (!s.band_low.empty()) {
      one["band_low"] = chart_numbers(s.band_low);
      one["band_high"] = chart_numbers(s.band_high);
    }
    series.push_back(std::move(one));
  }
  json markers = json::array();
  for (const Marker& m : figure.markers) {
    markers.push_back({{"x", m.x}, {"label", m.label}, {"color", m.color}});
  }
  return {{"id", figure.id},           {"title", figure.title}, {"x_label", figure.x_label},
          {"y_label", figure.y_label}, {"log_x", figure.log_x}, {"log_y", figure.log_y},
          {"series", series},          {"markers", markers}};
}

std::string base64(std::string_view bytes) {
  static constexpr char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      const auto byte = k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u;
      group = (group << 8) | byte;
    }
    for (std::size_t k = 0; k < 4; ++k) {
      text += k <= n ? digits[(group >> (18 - 6 * k)) & 63] : '=';
    }
  }
  return text;
}

// A number cell: its text, and the exact value to sort by (none if not finite).
std::string number_cell(double value, const std::string& text) {
  if (!std::isfinite(value)) return "<td class=\"number\">" + html_escape(text) + "</td>";
  return "<td class=\"number\" data-value=\"" + shortest(value) + "\">" + html_escape(text) +
         "</td>";
}

std::string fixed(double value, int digits) {
  if (!std::isfinite(value)) return std::isnan(value) ? "" : (value > 0 ? "inf" : "-inf");
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

// A diverged run's last loss is NaN: said as such, where a pending run's is blank.
std::string loss_text(const FolderRun& run) {
  if (std::isnan(run.final_loss) && run.status == RunStatus::Diverged) return "NaN";
  return fixed(run.final_loss, 4);
}

std::string accuracy_cell(double value) { return number_cell(value, fixed(value, 4)); }

std::string status_cell(RunStatus status, const std::string& message) {
  const std::string name = to_string(status);
  return "<td class=\"status-" + name + "\" title=\"" + html_escape(message) + "\">" + name +
         "</td>";
}

std::string runs_table(const std::vector<ReportSweep>& sweeps) {
  const bool several = sweeps.size() > 1;
  std::string html = "<table class=\"sortable\" id=\"runs\"><thead><tr>";
  if (several) html += "<th>sweep</th>";
  for (const char* heading :
       {"run", "optimizer", "lr", "schedule", "seed", "hyperparameters", "status", "train acc",
        "val acc", "test acc", "best epoch", "final loss", "seconds"}) {
    html += std::string("<th>") + heading + "</th>";
  }
  html += "</tr></thead><tbody>\n";
  for (const ReportSweep& sweep : sweeps) {
    for (const FolderRun& run : sweep.folder.runs) {
      html += "<tr>";
      if (several) html += "<td>" + html_escape(sweep.folder.name) + "</td>";
      html += "<td>" + html_escape(run.name) + "</td><td>" + html_escape(run.optimizer) + "</td>" +
              number_cell(run.lr, shortest(run.lr)) + "<td>" + html_escape(run.schedule) + "</td>" +
              number_cell(static_cast<double>(run.seed), std::to_string(run.seed)) + "<td>" +
              html_escape(hyperparameters_text(run)) + "</td>" +
              status_cell(run.status, run.message) + accuracy_cell(run.train_acc) +
              accuracy_cell(run.val_acc) + accuracy_cell(run.test_acc) +
              number_cell(static_cast<double>(run.best_epoch), std::to_string(run.best_epoch)) +
              number_cell(run.final_loss, loss_text(run)) +
              number_cell(run.seconds, fixed(run.seconds, 1)) + "</tr>\n";
    }
  }
  return html + "</tbody></table>\n";
}

std::string best_lr_table(const std::vector<ReportSweep>& sweeps) {
  const bool several = sweeps.size() > 1;
  std::string rows;
  for (const ReportSweep& sweep : sweeps) {
    for (const BestLearningRate& best : best_learning_rates(sweep.folder)) {
      rows += "<tr>";
      if (several) rows += "<td>" + html_escape(sweep.folder.name) + "</td>";
      rows += "<td>" + html_escape(best.optimizer) + "</td><td>" +
              html_escape(best.hyperparameters) + "</td>";
      if (best.run.empty()) {
        rows += "<td class=\"status-diverged\" colspan=\"3\">none: every run diverged</td>";
      } else {
        rows += number_cell(best.lr, shortest(best.lr)) +
                (sweep.folder.classes ? accuracy_cell(best.val_acc)
                                      : number_cell(best.val_loss, fixed(best.val_loss, 3))) +
                "<td>" + html_escape(best.run) + "</td>";
      }
      rows += "<td class=\"number\">" + std::to_string(best.finished) +
              "</td><td class=\"number\">" + std::to_string(best.diverged) + "</td></tr>\n";
    }
  }
  if (rows.empty()) return "";
  std::string html =
      "<section id=\"best-lr\"><h2>Best learning rate of each optimizer</h2>\n"
      "<p class=\"meta\">By final validation accuracy (by loss, lowest first, for a network "
      "without classes), among the finished runs of the learning-rate sweeps.</p>\n"
      "<table class=\"sortable\"><thead><tr>";
  if (several) html += "<th>sweep</th>";
  const bool losses = std::any_of(sweeps.begin(), sweeps.end(),
                                  [](const ReportSweep& s) { return !s.folder.classes; });
  html += "<th>optimizer</th><th>hyperparameters</th><th>best lr</th><th>" +
          std::string(losses ? "val acc or loss" : "val acc") +
          "</th><th>run</th><th>finished</th><th>diverged</th></tr></thead><tbody>\n";
  return html + rows + "</tbody></table></section>\n";
}

// mean +- sd, or the mean alone for one seed.
std::string spread_text(const Spread& spread, int digits) {
  if (spread.n == 0 || std::isnan(spread.mean)) return "-";
  std::string text = fixed(spread.mean, digits);
  if (spread.n > 1 && std::isfinite(spread.sd)) text += " &plusmn; " + fixed(spread.sd, digits);
  return text;
}

std::string percent(double accuracy) { return fixed(100 * accuracy, 2) + "%"; }

// The tuning protocol's result of each method, when the sweep ran one.
std::string protocol_table(const SweepFolder& folder) {
  const ProtocolFindings protocol = protocol_findings(folder);
  if (protocol.studies == 0 || protocol.methods.empty()) return "";
  std::size_t trials = 0;
  for (const ProtocolFinding& method : protocol.methods) trials = std::max(trials, method.trials);
  std::string html =
      "<h3>Tuning protocol</h3>\n<p class=\"meta\">MLCommons AlgoPerf's external tuning: " +
      std::to_string(protocol.studies) + " independent studies (each its own seed) of " +
      std::to_string(trials) +
      " learning rates per method, drawn log-uniformly from its range. A study scores its "
      "fastest trial to " +
      html_escape(protocol.target) +
      "; a method's result is the median over studies (inf: not reached in half the studies "
      "or more).</p>\n<table class=\"sortable\" id=\"protocol\"><thead><tr><th>method</th>"
      "<th>passes to target (median)</th><th>seconds to target (median)</th>";
  for (std::size_t j = 1; j <= protocol.studies; ++j) {
    html += "<th>study " + std::to_string(j) + ": best lr, passes</th>";
  }
  html += "</tr></thead><tbody>\n";
  for (const ProtocolFinding& method : protocol.methods) {
    html += "<tr><td>" + html_escape(method.method) + "</td>" +
            number_cell(method.passes, fixed(method.passes, 2)) +
            number_cell(method.seconds, fixed(method.seconds, 2));
    for (std::size_t j = 0; j < protocol.studies; ++j) {
      if (j >= method.best_lr.size() || std::isnan(method.best_lr[j])) {
        html += "<td class=\"number\">none reached</td>";
      } else {
        html += number_cell(method.best_passes[j],
                            shortest(method.best_lr[j]) + ", " + fixed(method.best_passes[j], 2));
      }
    }
    html += "</tr>\n";
  }
  return html + "</tbody></table>\n";
}

// What each sweep found, before any chart: the winner, its margin and the
// methods within its spread, the tuned-rate table and time to target.
std::string findings_section(const std::vector<ReportSweep>& sweeps) {
  std::string html;
  for (const ReportSweep& sweep : sweeps) {
    const SweepFindings findings = sweep_findings(sweep.folder);
    if (findings.methods.empty()) continue;
    const MethodFinding& winner = findings.methods.front();
    html += "<section class=\"findings\"><h2>Findings";
    if (sweeps.size() > 1) html += ": " + html_escape(sweep.folder.name);
    const bool by_loss = findings.by_loss;
    // Accuracies in percent and points, or, without classes, losses.
    const Spread& best = by_loss ? winner.val_loss : winner.val_acc;
    const double scale = by_loss ? 1.0 : 100.0;
    html += "</h2>\n<p><b>" + html_escape(winner.method) + "</b> at lr " + shortest(winner.lr) +
            (by_loss ? " has the lowest final validation loss, " + fixed(best.mean, 3)
                     : " has the best final validation accuracy, " + percent(best.mean));
    if (best.n > 1) {
      html += " &plusmn; " + fixed(scale * best.sd, by_loss ? 3 : 2) + " over " +
              std::to_string(best.n) + " seeds";
    }
    if (findings.methods.size() > 1) {
      const MethodFinding& second = findings.methods[1];
      html += by_loss ? ", " + fixed(second.val_loss.mean - best.mean, 3) + " below " +
                            html_escape(second.method)
                      : ", " + fixed(100 * (best.mean - second.val_acc.mean), 2) +
                            " points above " + html_escape(second.method);
    }
    html += ".";
    if (!findings.ties.empty()) {
      std::string names;
      for (const std::string& tie : findings.ties) {
        names += (names.empty() ? "" : ", ") + html_escape(tie);
      }
      html +=
          " Within its spread (mean &plusmn; sd bands overlap), so not told apart by this "
          "sweep: " +
          names + ".";
    }
    if (!findings.target.empty()) {
      html += findings.fastest.empty()
                  ? " No method reached " + html_escape(findings.target) + " with every seed."
                  : " Fastest to " + html_escape(findings.target) + " with every seed: <b>" +
                        html_escape(findings.fastest) + "</b>.";
    }
    html +=
        "</p>\n<p class=\"meta\">Each method at its tuned rate: the rate with the best mean "
        "final validation " +
        std::string(by_loss ? "loss (this network has no classes)" : "accuracy") +
        " over seeds. Time to target counts training steps, passes "
        "over the data and training seconds (evaluation excluded) to the first epoch that "
        "reaches the target, over the seeds that reach it.</p>\n"
        "<table class=\"sortable\" id=\"tuned\"><thead><tr><th>method</th><th>tuned lr</th>"
        "<th>" +
        std::string(by_loss ? "val loss" : "val acc") +
        "</th><th>seeds</th><th>reached target</th><th>steps to target</th>"
        "<th>passes to target</th><th>seconds to target</th></tr></thead><tbody>\n";
    for (const MethodFinding& method : findings.methods) {
      html += "<tr><td>" + html_escape(method.method) + "</td>" +
              number_cell(method.lr, shortest(method.lr)) +
              (by_loss ? number_cell(method.val_loss.mean, spread_text(method.val_loss, 3))
                       : number_cell(method.val_acc.mean, spread_text(method.val_acc, 4))) +
              number_cell(static_cast<double>(method.seeds), std::to_string(method.seeds)) +
              number_cell(static_cast<double>(method.reached), std::to_string(method.reached)) +
              number_cell(method.steps_to_target.mean, spread_text(method.steps_to_target, 0)) +
              number_cell(method.passes_to_target.mean, spread_text(method.passes_to_target, 2)) +
              number_cell(method.seconds_to_target.mean, spread_text(method.seconds_to_target, 2)) +
              "</tr>\n";
    }
    html += "</tbody></table>\n" + protocol_table(sweep.folder) + "</section>\n";
  }
  return html;
}

// The performance profile over the sweeps' problems: the chart, how to read
// it, and each method's score with its ratio and passes on every problem.
std::string profile_section(const SweepProfiles& profiles, const Figure& figure) {
  if (profiles.methods.empty()) return "";
  std::string html =
      "<section id=\"profile\"><h2>Performance profile</h2>\n<p class=\"meta\">How to read "
      "it: on each problem, every optimizer's time to the target (passes over the training "
      "data, at its tuned learning rate and schedule) is divided by the fastest optimizer's. "
      "An optimizer's line gives, for each factor tau, the share of problems it reached within "
      "tau times the fastest time. High at tau = 1: it is often the fastest; rising early: it "
      "is never far behind; a line that stays low did not reach the target on some problems, "
      "or only slowly. The score is the area under the line from tau = 1 to 4, divided by 3, "
      "as MLCommons AlgoPerf scores training algorithms: 1 for the fastest on every problem, 0 "
      "for never within 4 times the fastest.";
  if (profiles.problems.size() == 1) {
    html +=
        " With one problem the profile only ranks the optimizers on it; `descent compare "
        "--problems A,B` (or `descent report` given several sweep folders) compares them "
        "across problems.";
  }
  html += "</p>\n" + chart_canvases({figure}) +
          "<table class=\"sortable\" id=\"scores\"><thead><tr><th>optimizer</th><th>score</th>";
  for (std::size_t p = 0; p < profiles.problems.size(); ++p) {
    html += "<th>" + html_escape(profiles.problems[p]) + ": ratio (passes to " +
            html_escape(profiles.targets[p]) + ")</th>";
  }
  html += "</tr></thead><tbody>\n";
  std::vector<std::size_t> order(profiles.methods.size());
  for (std::size_t m = 0; m < order.size(); ++m) order[m] = m;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return profiles.scores[a] > profiles.scores[b];
  });
  for (std::size_t m : order) {
    html += "<tr><td>" + html_escape(profiles.methods[m]) + "</td>" +
            number_cell(profiles.scores[m], fixed(profiles.scores[m], 3));
    for (std::size_t p = 0; p < profiles.problems.size(); ++p) {
      const double ratio = profiles.ratios[m][p];
      html +=
          std::isinf(ratio)
              ? "<td class=\"number\">not reached</td>"
              : number_cell(ratio, fixed(ratio, 2) + " (" + fixed(profiles.times[m][p], 2) + ")");
    }
    html += "</tr>\n";
  }
  return html + "</tbody></table></section>\n";
}

std::string sweep_counts(const SweepFolder& sweep) {
  std::size_t finished = 0, diverged = 0, pending = 0;
  for (const FolderRun& run : sweep.runs) {
    if (run.status == RunStatus::Finished) ++finished;
    if (run.status == RunStatus::Diverged) ++diverged;
    if (run.status == RunStatus::Pending) ++pending;
  }
  return std::to_string(sweep.runs.size()) + " runs: " + std::to_string(finished) + " finished, " +
         std::to_string(diverged) + " diverged, " + std::to_string(pending) + " pending";
}

std::string group_kind_note(GroupKind kind) {
  switch (kind) {
    case GroupKind::curves:
      return "Training loss per iteration (faint: raw; solid: smoothed) and accuracy per epoch, "
             "one line per run.";
    case GroupKind::lr_sweep:
      return "The curves of every run, then the hyperparameter view: final validation accuracy "
             "and passes over the data to the target against the learning rate, one line per "
             "optimizer and schedule (the mean over seeds, the band mean +- sd); diverged runs "
             "are crosses at zero accuracy, rates that never reached the target points at the "
             "run's whole budget.";
    case GroupKind::decay:
      return "For each optimizer, one line per learning-rate schedule.";
  }
  return "";
}

std::string sweep_sections(const ReportSweep& sweep, bool several) {
  const std::string h = several ? "h3" : "h2";
  std::string html;
  if (several) {
    html += "<section class=\"sweep\"><h2>" + html_escape(sweep.folder.title) + " (" +
            html_escape(sweep.folder.name) + ")</h2>\n";
  }
  for (const GroupFigures& group : sweep.figures.groups) {
    html += "<section class=\"group\"><" + h + ">" + html_escape(group.title) + "</" + h +
            ">\n<p class=\"meta\">" + html_escape(group_kind_note(group.kind)) + "</p>\n" +
            chart_canvases(group.figures) + "</section>\n";
  }
  if (!sweep.figures.lr_finds.empty()) {
    html += "<section class=\"lr-find\"><" + h + ">Learning-rate range tests</" + h +
            ">\n<p class=\"meta\">Loss against a learning rate that grows every step; the dashed "
            "line marks the suggested rate.</p>\n" +
            chart_canvases(sweep.figures.lr_finds) + "</section>\n";
  }
  if (!sweep.figures.paths.empty()) {
    html += "<section class=\"pictures\"><" + h + ">Optimizer paths</" + h + ">\n";
    for (std::size_t i = 0; i < sweep.figures.paths.size(); ++i) {
      const ContourFigure& contour = sweep.figures.paths[i];
      const std::string png = i < sweep.path_pictures.size() ? sweep.path_pictures[i] : "";
      html += "<figure id=\"picture-" + html_escape(contour.id) + "\"><img alt=\"" +
              html_escape(contour.title) + "\" src=\"data:image/png;base64," + base64(png) +
              "\"><figcaption>" + html_escape(contour.title) + "</figcaption></figure>\n";
    }
    html += "</section>\n";
  }
  if (several) html += "</section>\n";
  return html;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string chart_canvases(const std::vector<Figure>& figures) {
  std::string html = "<div class=\"charts\">\n";
  for (const Figure& figure : figures) {
    html += "<div class=\"chart\"><canvas id=\"chart-" + html_escape(figure.id) +
            "\" role=\"img\" aria-label=\"" + html_escape(figure.title) + "\"></canvas></div>\n";
  }
  return html + "</div>\n";
}

std::string chart_page(const std::string& title, const std::string& body,
                       const std::vector<Figure>& figures, std::string_view chartjs) {
  json figure_data = json::array();
  for (const Figure& figure : figures) figure_data.push_back(figure_json(figure));
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + html_escape(title) + "</title>\n";
  html += "<style>" + std::string(page_style) + "</style>\n";
  html += "<script>" + std::string(error_script) + "</script>\n";
  html += "<script>\n" + script_safe_code(chartjs) + "\n</script>\n</head>\n<body>\n";
  html += body;
  html += "<script type=\"application/json\" id=\"report-data\">" +
          script_safe_json({{"figures", figure_data}}) + "</script>\n";
  html += "<script>" + std::string(chart_script) + "</script>\n</body>\n</html>\n";
  return html;
}

std::string report_html(const std::vector<ReportSweep>& sweeps, const SweepProfiles& profiles,
                        std::string_view chartjs) {
  const bool several = sweeps.size() > 1;
  std::string title = "descent report";
  if (sweeps.size() == 1) title = sweeps.front().folder.title;
  if (several) title += ": " + std::to_string(sweeps.size()) + " sweeps";

  const Figure profile = profile_figure(profiles);
  std::vector<Figure> figures;
  if (!profiles.methods.empty()) figures.push_back(profile);
  for (const ReportSweep& sweep : sweeps) {
    for (const GroupFigures& group : sweep.figures.groups) {
      figures.insert(figures.end(), group.figures.begin(), group.figures.end());
    }
    figures.insert(figures.end(), sweep.figures.lr_finds.begin(), sweep.figures.lr_finds.end());
  }

  std::string html = "<header><h1>" + html_escape(title) + "</h1>\n";
  for (const ReportSweep& sweep : sweeps) {
    html += "<p class=\"meta\">sweep <b>" + html_escape(sweep.folder.name) + "</b>";
    if (several) html += " (" + html_escape(sweep.folder.title) + ")";
    if (!sweep.date.empty()) html += ", " + html_escape(sweep.date);
    html += ": " + html_escape(sweep_counts(sweep.folder)) + "</p>\n";
  }
  html += "</header>\n";
  html += findings_section(sweeps);
  html += profile_section(profiles, profile);
  html += best_lr_table(sweeps);
  for (const ReportSweep& sweep : sweeps) html += sweep_sections(sweep, several);
  html +=
      "<section id=\"summary\"><details><summary><h2>Runs</h2></summary>\n<p class=\"meta\">"
      "Final accuracies; test accuracy of each run's best epoch. Click a heading to sort; type "
      "words to keep the runs that have them all.</p>\n<input type=\"search\" id=\"runs-filter\" "
      "placeholder=\"filter: adam 1e-3 diverged\" aria-label=\"Filter the runs\">\n" +
      runs_table(sweeps) + "</details></section>\n";
  return chart_page(title, html, figures, chartjs);
}

}  // namespace descent
