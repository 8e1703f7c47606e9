// A chart described once and drawn two ways: by Chart.js in report.html and by
// PLplot into PNG and SVG files (plot_file.hpp). The report builds these from
// a sweep's runs; `descent minimize --plot` and lr-find build their own.
#pragma once

#include <string>
#include <vector>

namespace descent {

enum class SeriesStyle {
  line,    // a solid line through the points
  dashed,  // a dashed line: diverged runs, or a smoothed curve's raw companion
  points,  // markers only, no line
};

struct Series {
  std::string label;
  std::vector<double> x;
  std::vector<double> y;  // same length as x
  SeriesStyle style = SeriesStyle::line;
  std::string color = "#1f77b4";  // "#rrggbb"
  double opacity = 1.0;           // 0..1; raw curves under a smoothed one are faint
  bool diverged = false;          // the run diverged: the label says so
  // A band drawn under the line, from band_low to band_high at each x (mean
  // -+ sd over seeds); empty: none. Same length as x where given; NaN leaves
  // a gap.
  std::vector<double> band_low;
  std::vector<double> band_high;
};

// A vertical line across the plot with a label, e.g. lr-find's suggestion.
struct Marker {
  double x = 0;
  std::string label;
  std::string color = "#d62728";
};

struct Figure {
  std::string id;  // file stem and canvas id, [a-z0-9-]: "tuned-loss"
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  std::vector<Series> series;
  std::vector<Marker> markers;
};

// The colour of each optimizer, the same in every figure (Tableau 10).
std::string optimizer_color(const std::string& optimizer);

// The classic picture of optimizer paths: contour lines of a 2-D function
// f(x, y) sampled on a grid, and each optimizer's path drawn over them.
struct ContourFigure {
  std::string id;
  std::string title;
  double x_min = 0, x_max = 1;
  double y_min = 0, y_max = 1;
  std::size_t nx = 0, ny = 0;  // grid points along x and y
  std::vector<double> values;  // f at the grid, row-major by y: values[j * nx + i]
  std::vector<double> levels;  // contour levels, increasing
  std::vector<Series> paths;   // x, y of each optimizer's iterates
  std::vector<Series> points;  // the minimizers and the start, drawn as markers
};

}  // namespace descent
