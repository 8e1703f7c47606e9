// Figures drawn into PNG and SVG files: the PNGs are decoded and their pixels
// checked for the size, the background and each series' colour.
#include "descent/report/plot_file.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <thread>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"
#include "support/png_image.hpp"
#include "support/synthetic_data.hpp"

namespace descent {
namespace {

namespace fs = std::filesystem;

using testing::decode_png;
using testing::Image;
using testing::near_color;

// The rows (top, bottom) that pixels of this colour reach; (-1, -1) if none.
struct ColorSpan {
  std::size_t count = 0;
  int top = -1, bottom = -1;
};

ColorSpan find_color(const Image& image, const std::string& color, int tolerance = 24) {
  ColorSpan span;
  for (unsigned y = 0; y < image.height; ++y) {
    for (unsigned x = 0; x < image.width; ++x) {
      if (!near_color(image.at(x, y), color, tolerance)) continue;
      ++span.count;
      if (span.top < 0) span.top = static_cast<int>(y);
      span.bottom = static_cast<int>(y);
    }
  }
  return span;
}

double non_white_share(const Image& image) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < image.rgb.size(); i += 3) {
    if (image.rgb[i] < 250 || image.rgb[i + 1] < 250 || image.rgb[i + 2] < 250) ++count;
  }
  return static_cast<double>(count) / (image.width * image.height);
}

std::size_t distinct_colors(const Image& image) {
  std::set<unsigned> colors;
  for (std::size_t i = 0; i < image.rgb.size(); i += 3) {
    colors.insert(image.rgb[i] << 16 | image.rgb[i + 1] << 8 | image.rgb[i + 2]);
  }
  return colors.size();
}

Series line(const std::string& label, const std::string& color, SeriesStyle style, double slope) {
  Series s;
  s.label = label;
  s.color = color;
  s.style = style;
  for (int i = 0; i <= 50; ++i) {
    s.x.push_back(i);
    s.y.push_back(1 + slope * i);
  }
  return s;
}

Figure three_series() {
  Figure f;
  f.id = "loss";
  f.title = "Training loss";
  f.x_label = "iteration";
  f.y_label = "loss";
  f.series = {line("sgd", "#1f77b4", SeriesStyle::line, 1.0),
              line("momentum", "#ff7f0e", SeriesStyle::dashed, 0.5),
              line("adam", "#2ca02c", SeriesStyle::points, 0.25)};
  f.markers = {{20, "suggested", "#9467bd"}};
  return f;
}

TEST(PlotFile, PngHasItsSizeAWhiteBackgroundAndEachSeriesInItsColour) {
  testing::TempDir dir;
  const Figure figure = three_series();
  save_figure(figure, dir.path() / "loss.png");
  const Image image = decode_png(dir.path() / "loss.png");
  EXPECT_EQ(image.width, 800u);
  EXPECT_EQ(image.height, 560u);
  EXPECT_TRUE(near_color(image.at(2, 2), "#ffffff", 0));
  EXPECT_GT(non_white_share(image), 0.02);
  EXPECT_GT(distinct_colors(image), 20u);
  for (const auto& s : figure.series) EXPECT_GT(find_color(image, s.color).count, 40u) << s.label;
  EXPECT_GT(find_color(image, "#9467bd").count, 40u) << "the marker line";
  EXPECT_FALSE(fs::exists(dir.path() / "loss.png.plot.tmp"));
}

TEST(PlotFile, ABandIsAFaintFillUnderItsLine) {
  testing::TempDir dir;
  Figure figure = three_series();
  figure.markers.clear();
  Series& sgd = figure.series[0];
  for (double y : sgd.y) {
    sgd.band_low.push_back(y - 8);
    sgd.band_high.push_back(y + 8);
  }
  save_figure(figure, dir.path() / "band.png");
  const Image image = decode_png(dir.path() / "band.png");
  // #1f77b4 at opacity 0.18 over white.
  EXPECT_GT(find_color(image, "#d7e7f2", 6).count, 5000u);
  EXPECT_GT(find_color(image, sgd.color).count, 40u);

  sgd.band_high.pop_back();
  EXPECT_THROW(save_figure(figure, dir.path() / "bad.png"), ShapeError);
}

TEST(PlotFile, SvgIsAnSvgDocument) {
  testing::TempDir dir;
  save_figure(three_series(), dir.path() / "loss.svg");
  const std::string svg = read_file(dir.path() / "loss.svg");
  EXPECT_TRUE(svg.rfind("<?xml", 0) == 0 || svg.rfind("<svg", 0) == 0) << svg.substr(0, 80);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("<path"), std::string::npos);
}

TEST(PlotFile, AnotherExtensionIsAConfigErrorAndWritesNothing) {
  testing::TempDir dir;
  EXPECT_THROW(save_figure(three_series(), dir.path() / "loss.jpg"), ConfigError);
  EXPECT_THROW(save_figure(three_series(), dir.path() / "loss"), ConfigError);
  EXPECT_THROW(check_plot_path("loss.pdf"), ConfigError);
  EXPECT_NO_THROW(check_plot_path("loss.svg"));
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(PlotFile, AFolderThatDoesNotExistIsAnIoError) {
  testing::TempDir dir;
  EXPECT_THROW(save_figure(three_series(), dir.path() / "missing" / "loss.png"), IoError);
}

TEST(PlotFile, BadSeriesAreRejectedBeforeDrawing) {
  testing::TempDir dir;
  Figure figure = three_series();
  figure.series[1].y.pop_back();
  EXPECT_THROW(save_figure(figure, dir.path() / "a.png"), ShapeError);
  figure = three_series();
  figure.series[0].color = "blue";
  EXPECT_THROW(save_figure(figure, dir.path() / "a.png"), ConfigError);
  figure = three_series();
  figure.markers[0].color = "#12345g";
  EXPECT_THROW(save_figure(figure, dir.path() / "a.png"), ConfigError);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

// A diverged run's NaN and infinite tail is left out and does not stretch the
// axes: the finite part of the line still spans most of the plot's height.
TEST(PlotFile, NonFiniteValuesAreSkipped) {
  testing::TempDir dir;
  Figure figure;
  figure.id = "diverged";
  Series s = line("sgd lr 1", "#d62728", SeriesStyle::line, 1.0);
  s.diverged = true;
  s.x.push_back(51);
  s.y.push_back(std::numeric_limits<double>::infinity());
  s.x.push_back(52);
  s.y.push_back(std::numeric_limits<double>::quiet_NaN());
  s.x.push_back(std::numeric_limits<double>::quiet_NaN());
  s.y.push_back(3);
  figure.series = {s};
  save_figure(figure, dir.path() / "d.png");
  const ColorSpan span = find_color(decode_png(dir.path() / "d.png"), "#d62728");
  EXPECT_GT(span.bottom - span.top, 300);
}

TEST(PlotFile, LogAxesSkipValuesThatAreNotPositive) {
  testing::TempDir dir;
  Figure figure;
  figure.id = "lr-sweep";
  figure.log_x = true;
  figure.log_y = true;
  Series s;
  s.label = "adam";
  s.color = "#ff7f0e";
  s.x = {0, -1, 1e-4, 1e-3, 1e-2, 1e-1};
  s.y = {5, 5, 0.5, 0.05, 0.005, -2};
  figure.series = {s};
  save_figure(figure, dir.path() / "log.png");
  const ColorSpan span = find_color(decode_png(dir.path() / "log.png"), "#ff7f0e");
  EXPECT_GT(span.bottom - span.top, 300);
}

TEST(PlotFile, AFigureWithoutDataIsStillAPlot) {
  testing::TempDir dir;
  Figure figure;
  figure.id = "empty";
  figure.title = "Nothing yet";
  save_figure(figure, dir.path() / "empty.png");
  const Image image = decode_png(dir.path() / "empty.png");
  EXPECT_EQ(image.width, 800u);
  EXPECT_GT(non_white_share(image), 0.005);
}

// The legend says "(diverged)" once: added when the label lacks it.
TEST(PlotFile, ADivergedSeriesIsLabelledSo) {
  testing::TempDir dir;
  const auto draw = [&](const std::string& label, bool diverged, const std::string& name) {
    Figure figure;
    figure.id = "d";
    Series s = line(label, "#1f77b4", SeriesStyle::line, 1.0);
    s.diverged = diverged;
    figure.series = {s};
    save_figure(figure, dir.path() / name);
    return decode_png(dir.path() / name).rgb;
  };
  const auto labelled = draw("sgd (diverged)", false, "a.png");
  EXPECT_EQ(draw("sgd", true, "b.png"), labelled);
  EXPECT_EQ(draw("sgd (diverged)", true, "c.png"), labelled);
  EXPECT_NE(draw("sgd", false, "d.png"), labelled);
}

TEST(PlotFile, SavingFromSeveralThreadsAtOnceIsSafe) {
  testing::TempDir dir;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back(
        [&, t] { save_figure(three_series(), dir.path() / ("f" + std::to_string(t) + ".png")); });
  }
  for (auto& t : threads) t.join();
  const auto first = decode_png(dir.path() / "f0.png").rgb;
  for (int t = 1; t < 4; ++t) {
    EXPECT_EQ(decode_png(dir.path() / ("f" + std::to_string(t) + ".png")).rgb, first);
  }
}

ContourFigure bowl() {
  ContourFigure f;
  f.id = "bowl";
  f.title = "A bowl";
  f.x_min = -2;
  f.x_max = 2;
  f.y_min = -1;
  f.y_max = 3;
  f.nx = 41;
  f.ny = 31;
  for (std::size_t j = 0; j < f.ny; ++j) {
    for (std::size_t i = 0; i < f.nx; ++i) {
      const double x = f.x_min + 4.0 * static_cast<double>(i) / (f.nx - 1);
      const double y = f.y_min + 4.0 * static_cast<double>(j) / (f.ny - 1);
      f.values.push_back(x * x + (y - 1) * (y - 1));
    }
  }
  for (int k = 0; k <= 10; ++k) f.levels.push_back(0.01 * std::pow(10.0, k * 0.3));
  Series path;
  path.label = "adam lr 0.1";
  path.color = "#d62728";
  for (int k = 0; k <= 40; ++k) {
    path.x.push_back(-1.5 + 1.5 * k / 40.0);
    path.y.push_back(2.5 - 1.5 * k / 40.0);
  }
  f.paths = {path};
  f.points = {{"minimum", {0}, {1}, SeriesStyle::points, "#000000", 1.0, false, {}, {}}};
  return f;
}

TEST(PlotFile, ContourPngShowsShadesThePathAndThePoints) {
  testing::TempDir dir;
  save_contour(bowl(), dir.path() / "bowl.png");
  const Image image = decode_png(dir.path() / "bowl.png");
  EXPECT_EQ(image.width, 800u);
  EXPECT_EQ(image.height, 560u);
  EXPECT_GT(non_white_share(image), 0.3);  // the shades fill the plot
  EXPECT_GT(distinct_colors(image), 50u);
  EXPECT_GT(find_color(image, "#d62728").count, 100u);
  EXPECT_GT(find_color(image, "#000000", 10).count, 50u);
  save_contour(bowl(), dir.path() / "bowl.svg");
  EXPECT_NE(read_file(dir.path() / "bowl.svg").find("</svg>"), std::string::npos);
}

TEST(PlotFile, ContourSkipsNonFiniteValuesAndPoints) {
  testing::TempDir dir;
  ContourFigure figure = bowl();
  figure.values[5] = std::numeric_limits<double>::infinity();
  figure.values[6] = std::numeric_limits<double>::quiet_NaN();
  figure.levels.push_back(std::numeric_limits<double>::quiet_NaN());
  figure.paths[0].x.push_back(std::numeric_limits<double>::quiet_NaN());
  figure.paths[0].y.push_back(std::numeric_limits<double>::infinity());
  save_contour(figure, dir.path() / "c.png");
  EXPECT_GT(find_color(decode_png(dir.path() / "c.png"), "#d62728").count, 100u);
}

TEST(PlotFile, ContourChecksItsGridAndWindow) {
  testing::TempDir dir;
  ContourFigure figure = bowl();
  figure.values.pop_back();
  EXPECT_THROW(save_contour(figure, dir.path() / "c.png"), ShapeError);
  figure = bowl();
  figure.x_max = figure.x_min;
  EXPECT_THROW(save_contour(figure, dir.path() / "c.png"), ConfigError);
  EXPECT_THROW(save_contour(bowl(), dir.path() / "c.gif"), ConfigError);
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

}  // namespace
}  // namespace descent
