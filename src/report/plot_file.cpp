#include "descent/report/plot_file.hpp"

#include <fcntl.h>
#include <plplot.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <string_view>

#include "descent/core/atomic_file.hpp"
#include "descent/core/error.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DESCENT_LEAK_CHECKED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(DESCENT_LEAK_CHECKED)
// Under LeakSanitizer: fontconfig's caches, filled when PLplot's cairo driver
// draws text, and PLplot's driver loader (libltdl) keep their allocations for
// the life of the process by design. Any program that draws a figure links
// this file, so the suppressions travel with it.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libltdl.so\n";
}
// Quietly: the program's stderr stays as it is without the sanitizer.
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
#endif

namespace descent {

namespace fs = std::filesystem;

namespace {

// PLplot keeps its streams, colour maps and error hooks in globals.
std::mutex plplot_mutex;
std::string plplot_error;  // the last non-fatal PLplot error of the drawing under way

constexpr PLINT page_width = 800;
constexpr PLINT page_height = 560;
constexpr PLFLT line_width = 2.0;
// cmap0 slots: 0 is the background and 1 the text and axes; descent's colours
// are handed out from here on, one per drawn thing, as the legend needs them.
constexpr PLINT first_free_color = 16;
constexpr PLINT color_count = 256;
const char* const marker_glyph = "●";

enum class Format { png, svg };

struct Rgb {
  int r = 0, g = 0, b = 0;
};

Format format_of(const fs::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".png") return Format::png;
  if (ext == ".svg") return Format::svg;
  throw ConfigError("plot file '" + path.string() + "': expected a .png or .svg file name");
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Rgb parse_color(const std::string& color, const std::string& what) {
  const auto bad = [&] {
    return ConfigError(what + ": colour '" + color + "' is not of the form #rrggbb");
  };
  if (color.size() != 7 || color[0] != '#') throw bad();
  int channel[3];
  for (int i = 0; i < 3; ++i) {
    const int hi = hex_digit(color[1 + 2 * i]);
    const int lo = hex_digit(color[2 + 2 * i]);
    if (hi < 0 || lo < 0) throw bad();
    channel[i] = hi * 16 + lo;
  }
  return {channel[0], channel[1], channel[2]};
}

double clamped_opacity(double opacity) {
  return std::isfinite(opacity) ? std::clamp(opacity, 0.0, 1.0) : 1.0;
}

// PLplot reads '#' as the start of an escape sequence; "##" is a literal '#'.
std::string plot_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '#') out += '#';
  }
  return out;
}

std::size_t characters(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string legend_label(const Series& series) {
  const std::string suffix = " (diverged)";
  if (series.diverged && series.label.find(suffix) == std::string::npos) {
    return series.label + suffix;
  }
  return series.label;
}

// The extent of the values seen along one axis, as the axis will show them.
struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();

  bool empty() const { return lo > hi; }
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  // The axis: the range with a little room on each side; a single value gets
  // a range around it, a log axis at least one decade so that it has labels.
  Range axis(bool log) const {
    if (empty()) return {0, 1};
    Range r = *this;
    if (log && r.hi - r.lo < 1) {
      r.lo = std::floor(r.lo);
      r.hi = std::max(std::ceil(r.hi), r.lo + 1);
      return r;
    }
    if (r.hi == r.lo) {
      const double half = std::max(std::abs(r.lo) * 0.1, 0.5);
      return {r.lo - half, r.hi + half};
    }
    const double pad = (r.hi - r.lo) * 0.04;
    return {r.lo - pad, r.hi + pad};
  }
};

// A value as it is placed on an axis: log10 on a log axis; NaN if it cannot be shown.
double on_axis(double v, bool log) {
  if (!std::isfinite(v)) return std::numeric_limits<double>::quiet_NaN();
  if (!log) return v;
  return v > 0 ? std::log10(v) : std::numeric_limits<double>::quiet_NaN();
}

// A series' drawable points, in axis coordinates, cut into runs of
// consecutive drawable points: a line does not bridge a gap.
struct Drawable {
  std::vector<std::vector<PLFLT>> xs, ys;
};

Drawable drawable(const Series& series, bool log_x, bool log_y) {
  Drawable d;
  bool in_run = false;
  for (std::size_t i = 0; i < series.x.size(); ++i) {
    const double x = on_axis(series.x[i], log_x);
    const double y = on_axis(series.y[i], log_y);
    if (std::isnan(x) || std::isnan(y)) {
      in_run = false;
      continue;
    }
    if (!in_run) {
      d.xs.emplace_back();
      d.ys.emplace_back();
      in_run = true;
    }
    d.xs.back().push_back(x);
    d.ys.back().push_back(y);
  }
  return d;
}

// A series' band as polygons in axis coordinates, one per run of x where
// both edges can be shown: along the upper edge, then back along the lower.
std::vector<Drawable> band_polygons(const Series& series, bool log_x, bool log_y) {
  std::vector<Drawable> polygons;
  if (series.band_low.empty()) return polygons;
  std::vector<PLFLT> xs, high, low;
  const auto close = [&] {
    if (xs.size() >= 2) {
      Drawable polygon;
      polygon.xs.push_back(xs);
      polygon.xs.back().insert(polygon.xs.back().end(), xs.rbegin(), xs.rend());
      polygon.ys.push_back(high);
      polygon.ys.back().insert(polygon.ys.back().end(), low.rbegin(), low.rend());
      polygons.push_back(std::move(polygon));
    }
    xs.clear();
    high.clear();
    low.clear();
  };
  for (std::size_t i = 0; i < series.x.size(); ++i) {
    const double x = on_axis(series.x[i], log_x);
    const double lo = on_axis(series.band_low[i], log_y);
    const double hi = on_axis(series.band_high[i], log_y);
    if (std::isnan(x) || std::isnan(lo) || std::isnan(hi)) {
      close();
      continue;
    }
    xs.push_back(x);
    low.push_back(lo);
    high.push_back(hi);
  }
  close();
  return polygons;
}

void check_series(const Series& series, const std::string& figure) {
  const std::string what = "figure '" + figure + "', series '" + series.label + "'";
  if (series.x.size() != series.y.size()) {
    throw ShapeError(what + ": " + std::to_string(series.x.size()) + " x values but " +
                     std::to_string(series.y.size()) + " y values");
  }
  const bool banded = !series.band_low.empty() || !series.band_high.empty();
  if (banded &&
      (series.band_low.size() != series.x.size() || series.band_high.size() != series.x.size())) {
    throw ShapeError(what + ": a band of " + std::to_string(series.band_low.size()) + " low and " +
                     std::to_string(series.band_high.size()) + " high values for " +
                     std::to_string(series.x.size()) + " x values");
  }
  parse_color(series.color, what);
}

// PLplot reports a failed operation here instead of printing it.
void record_plplot_error(const char* message) {
  if (plplot_error.empty()) plplot_error = message;
}

// PLplot calls this before it would end the program: the inputs are checked
// beforehand so that it should not happen, and if it does the drawing fails
// with an error instead.
int refuse_plplot_exit(const char* message) { throw Error(std::string("PLplot: ") + message); }

bool has_device(const char* name) {
  std::vector<const char*> menus(128), names(128);
  const char** menu_list = menus.data();
  const char** name_list = names.data();
  int count = static_cast<int>(names.size());
  plgDevs(&menu_list, &name_list, &count);
  return std::any_of(names.begin(), names.begin() + count,
                     [&](const char* n) { return n != nullptr && std::strcmp(n, name) == 0; });
}

// The colours of one drawing: each call takes a fresh cmap0 slot.
class Palette {
 public:
  PLINT add(const Rgb& rgb, double alpha) {
    const PLINT index = next_;
    next_ = next_ + 1 < color_count ? next_ + 1 : first_free_color;
    plscol0a(index, rgb.r, rgb.g, rgb.b, alpha);
    return index;
  }

 private:
  PLINT next_ = first_free_color;
};

// Draws with PLplot into a temporary file beside `path`, then moves it into
// place: the file is whole or absent.
void render(const fs::path& path, Format format, const std::function<void(Palette&)>& draw) {
  const fs::path tmp = path.string() + ".plot.tmp";
  // PLplot would retry a file it cannot open and then end the program, so
  // the file is opened here first.
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw IoError("cannot write '" + path.string() + "': " + std::strerror(errno));
  }
  ::close(fd);
  struct RemoveTmp {
    const fs::path& file;
    ~RemoveTmp() {
      std::error_code ignored;
      fs::remove(file, ignored);
    }
  } remove_tmp{tmp};

  std::lock_guard lock(plplot_mutex);
  const char* device = format == Format::png ? "pngcairo" : "svgcairo";
  if (!has_device(device)) {
    throw IoError("cannot draw '" + path.string() + "': PLplot has no " + device +
                  " driver (install plplot-driver-cairo)");
  }
  plplot_error.clear();
  plsabort(record_plplot_error);
  plsexit(refuse_plplot_exit);
  plsdev(device);
  plsfnam(tmp.c_str());
  plspage(0, 0, page_width, page_height, 0, 0);
  plscmap0n(color_count);
  plscolbga(255, 255, 255, 1.0);
  plscol0a(1, 34, 34, 34, 1.0);
  try {
    plinit();
    pladv(0);
    Palette palette;
    draw(palette);
  } catch (...) {
    plend();
    throw;
  }
  plend();
  if (!plplot_error.empty()) {
    throw IoError("cannot draw '" + path.string() + "': PLplot: " + plplot_error);
  }
  const std::string image = read_file(tmp);
  if (image.empty()) throw IoError("cannot draw '" + path.string() + "': PLplot wrote nothing");
  write_file_atomic(path, image);
}

// The plot's viewport, in fractions of the page, leaving room for a legend on the right.
constexpr PLFLT viewport_left = 0.10, viewport_bottom = 0.12, viewport_top = 0.91;

// One entry of a legend.
struct LegendEntry {
  std::string text;
  PLINT color = 1;
  bool line = true;  // a line sample; otherwise a marker
  PLINT line_style = 1;
};

// The fraction of the page's width that a legend of these entries takes.
double legend_fraction(const std::vector<LegendEntry>& entries) {
  if (entries.empty()) return 0;
  std::size_t longest = 0;
  for (const auto& e : entries) longest = std::max(longest, characters(e.text));
  const double pixels = 100 + 9.0 * static_cast<double>(longest);
  return std::min(pixels / page_width, 0.45);
}

// The legend, in the page's right margin, its top at the plot's top.
void draw_legend(const std::vector<LegendEntry>& entries) {
  if (entries.empty()) return;
  const auto n = static_cast<PLINT>(entries.size());
  std::vector<PLINT> options, text_colors, colors, styles, symbol_numbers;
  std::vector<PLFLT> widths, symbol_scales;
  std::vector<std::string> texts;
  std::vector<const char*> text_ptrs, symbols;
  for (const auto& e : entries) {
    options.push_back(e.line ? PL_LEGEND_LINE : PL_LEGEND_SYMBOL);
    text_colors.push_back(1);
    colors.push_back(e.color);
    styles.push_back(e.line_style);
    widths.push_back(line_width);
    symbol_numbers.push_back(1);
    symbol_scales.push_back(1.0);
    texts.push_back(plot_text(e.text));
    symbols.push_back(marker_glyph);
  }
  for (const auto& t : texts) text_ptrs.push_back(t.c_str());
  const PLFLT text_scale = entries.size() > 14 ? 0.75 : 0.9;
  PLFLT width = 0, height = 0;
  pllegend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
           PL_POSITION_SUBPAGE | PL_POSITION_INSIDE | PL_POSITION_RIGHT | PL_POSITION_TOP, 0.015,
           1 - viewport_top, 0.07, 0, 1, 1, 0, 0, n, options.data(), 1.0, text_scale, 2.0, 0.0,
           text_colors.data(), text_ptrs.data(), nullptr, nullptr, nullptr, nullptr, colors.data(),
           styles.data(), widths.data(), colors.data(), symbol_scales.data(), symbol_numbers.data(),
           symbols.data());
}

void draw_markers_at(const std::vector<PLFLT>& xs, const std::vector<PLFLT>& ys, PLFLT scale) {
  plschr(0, scale);
  plstring(static_cast<PLINT>(xs.size()), xs.data(), ys.data(), marker_glyph);
  plschr(0, 1.0);
}

// Plots a series' drawable points: lines (dashed or not) or markers.
void draw_series(const Drawable& d, SeriesStyle style, PLINT color, double marker_scale) {
  plcol0(color);
  plwidth(line_width);
  for (std::size_t run = 0; run < d.xs.size(); ++run) {
    if (style == SeriesStyle::points) {
      draw_markers_at(d.xs[run], d.ys[run], marker_scale);
    } else {
      pllsty(style == SeriesStyle::dashed ? 3 : 1);
      plline(static_cast<PLINT>(d.xs[run].size()), d.xs[run].data(), d.ys[run].data());
    }
  }
  pllsty(1);
}

void draw_axes(const std::string& x_opt, const std::string& y_opt) {
  plcol0(1);
  plwidth(1.0);
  plbox(x_opt.c_str(), 0, 0, y_opt.c_str(), 0, 0);
}

PLFLT viewport_right(const std::vector<LegendEntry>& legend) {
  return 0.97 - legend_fraction(legend);
}

}  // namespace

void check_plot_path(const fs::path& path) { format_of(path); }

void save_figure(const Figure& figure, const fs::path& path) {
  const Format format = format_of(path);
  for (const auto& s : figure.series) check_series(s, figure.id);
  for (const auto& m : figure.markers) {
    parse_color(m.color, "figure '" + figure.id + "', marker '" + m.label + "'");
  }

  std::vector<Drawable> drawables;
  std::vector<std::vector<Drawable>> bands;
  Range x_range, y_range;
  for (const auto& s : figure.series) {
    drawables.push_back(drawable(s, figure.log_x, figure.log_y));
    bands.push_back(band_polygons(s, figure.log_x, figure.log_y));
    for (const auto& run : drawables.back().xs) {
      for (double v : run) x_range.add(v);
    }
    for (const auto& run : drawables.back().ys) {
      for (double v : run) y_range.add(v);
    }
    for (const Drawable& polygon : bands.back()) {
      for (double v : polygon.ys.front()) y_range.add(v);
    }
  }
  const bool no_data = x_range.empty();
  std::vector<double> marker_xs;
  for (const auto& m : figure.markers) {
    marker_xs.push_back(on_axis(m.x, figure.log_x));
    if (!std::isnan(marker_xs.back())) x_range.add(marker_xs.back());
  }
  const Range x_axis = x_range.axis(figure.log_x);
  const Range y_axis = y_range.axis(figure.log_y);

  render(path, format, [&](Palette& palette) {
    std::vector<LegendEntry> legend;
    std::vector<PLINT> colors;
    for (const auto& s : figure.series) {
      colors.push_back(palette.add(parse_color(s.color, s.label), clamped_opacity(s.opacity)));
      if (s.label.empty()) continue;
      legend.push_back({legend_label(s), colors.back(), s.style != SeriesStyle::points,
                        s.style == SeriesStyle::dashed ? 3 : 1});
    }
    plvpor(viewport_left, viewport_right(legend), viewport_bottom, viewport_top);
    plwind(x_axis.lo, x_axis.hi, y_axis.lo, y_axis.hi);
    // Grid lines first, faint, under everything else.
    plcol0(palette.add({225, 225, 225}, 1.0));
    plwidth(0.8);
    plbox(figure.log_x ? "gl" : "g", 0, 0, figure.log_y ? "gl" : "g", 0, 0);

    for (std::size_t i = 0; i < figure.markers.size(); ++i) {
      const Marker& m = figure.markers[i];
      if (std::isnan(marker_xs[i])) continue;
      plcol0(palette.add(parse_color(m.color, m.label), 1.0));
      plwidth(1.5);
      pllsty(2);
      const PLFLT xs[2] = {marker_xs[i], marker_xs[i]};
      const PLFLT ys[2] = {y_axis.lo, y_axis.hi};
      plline(2, xs, ys);
      pllsty(1);
      // Upward text just right of the line, ending near the top.
      const PLFLT shift = (x_axis.hi - x_axis.lo) * 0.008;
      plschr(0, 0.8);
      plptex(marker_xs[i] + shift, y_axis.hi - (y_axis.hi - y_axis.lo) * 0.02, 0, 1, 1.0,
             plot_text(m.label).c_str());
      plschr(0, 1.0);
    }
    // Bands under every line, faint.
    for (std::size_t i = 0; i < figure.series.size(); ++i) {
      if (bands[i].empty()) continue;
      const Series& s = figure.series[i];
      plcol0(palette.add(parse_color(s.color, s.label), 0.18));
      for (Drawable& polygon : bands[i]) {
        plfill(static_cast<PLINT>(polygon.xs.front().size()), polygon.xs.front().data(),
               polygon.ys.front().data());
      }
    }
    for (std::size_t i = 0; i < figure.series.size(); ++i) {
      draw_series(drawables[i], figure.series[i].style, colors[i], 0.9);
    }
    if (no_data) {
      plcol0(1);
      plptex((x_axis.lo + x_axis.hi) / 2, (y_axis.lo + y_axis.hi) / 2, 1, 0, 0.5, "no data");
    }
    draw_axes(figure.log_x ? "bcnstl" : "bcnst", figure.log_y ? "bcnstvl" : "bcnstv");
    pllab(plot_text(figure.x_label).c_str(), plot_text(figure.y_label).c_str(),
          plot_text(figure.title).c_str());
    draw_legend(legend);
  });
}

namespace {

// The grid's values moved onto a scale where level k sits at k, linearly in
// between: a monotone change that keeps every contour where it was, so that
// the shades between levels get evenly spaced colours however the levels
// are spaced (log-spaced levels of Rosenbrock would otherwise share one).
std::vector<std::vector<PLFLT>> level_scale(const ContourFigure& figure,
                                            const std::vector<double>& levels) {
  std::vector<std::vector<PLFLT>> columns(figure.nx, std::vector<PLFLT>(figure.ny));
  const double top = static_cast<double>(levels.size() - 1);
  for (std::size_t j = 0; j < figure.ny; ++j) {
    for (std::size_t i = 0; i < figure.nx; ++i) {
      const double v = figure.values[j * figure.nx + i];
      double t = top;  // non-finite: above every level
      if (std::isfinite(v)) {
        const auto above = std::upper_bound(levels.begin(), levels.end(), v);
        if (above == levels.begin()) {
          t = 0;
        } else if (above == levels.end()) {
          t = top;
        } else {
          const auto k = static_cast<double>(above - levels.begin() - 1);
          t = k + (v - *(above - 1)) / (*above - *(above - 1));
        }
      }
      columns[i][j] = t;
    }
  }
  return columns;
}

}  // namespace

void save_contour(const ContourFigure& figure, const fs::path& path) {
  const Format format = format_of(path);
  const std::string what = "contour figure '" + figure.id + "'";
  if (figure.nx < 2 || figure.ny < 2 || figure.values.size() != figure.nx * figure.ny) {
    throw ShapeError(what + ": a grid of " + std::to_string(figure.nx) + " x " +
                     std::to_string(figure.ny) + " (at least 2 x 2) needs that many values, got " +
                     std::to_string(figure.values.size()));
  }
  const double bounds[4] = {figure.x_min, figure.x_max, figure.y_min, figure.y_max};
  if (!std::all_of(std::begin(bounds), std::end(bounds),
                   [](double v) { return std::isfinite(v); }) ||
      !(figure.x_min < figure.x_max) || !(figure.y_min < figure.y_max)) {
    throw ConfigError(what + ": the window must be finite with x_min < x_max and y_min < y_max");
  }
  for (const auto& s : figure.paths) check_series(s, figure.id);
  for (const auto& s : figure.points) check_series(s, figure.id);
  std::vector<double> levels;
  for (double level : figure.levels) {
    if (std::isfinite(level)) levels.push_back(level);
  }
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());

  std::vector<Drawable> paths, points;
  for (const auto& s : figure.paths) paths.push_back(drawable(s, false, false));
  for (const auto& s : figure.points) points.push_back(drawable(s, false, false));

  render(path, format, [&](Palette& palette) {
    std::vector<LegendEntry> legend;
    std::vector<PLINT> path_colors, point_colors;
    for (const auto& s : figure.paths) {
      path_colors.push_back(palette.add(parse_color(s.color, s.label), clamped_opacity(s.opacity)));
      if (!s.label.empty()) {
        legend.push_back({legend_label(s), path_colors.back(), s.style != SeriesStyle::points,
                          s.style == SeriesStyle::dashed ? 3 : 1});
      }
    }
    for (const auto& s : figure.points) {
      point_colors.push_back(
          palette.add(parse_color(s.color, s.label), clamped_opacity(s.opacity)));
      if (!s.label.empty()) legend.push_back({s.label, point_colors.back(), false, 1});
    }
    // Equal scales on both axes, unless the window is very unlike a square.
    const double aspect =
        std::clamp((figure.y_max - figure.y_min) / (figure.x_max - figure.x_min), 0.5, 2.0);
    plvpor(viewport_left, viewport_right(legend), viewport_bottom, viewport_top);
    plvpas(viewport_left, viewport_right(legend), viewport_bottom, viewport_top, aspect);
    plwind(figure.x_min, figure.x_max, figure.y_min, figure.y_max);

    if (levels.size() >= 2) {
      const auto columns = level_scale(figure, levels);
      std::vector<const PLFLT*> rows;
      for (const auto& c : columns) rows.push_back(c.data());
      std::vector<PLFLT> shade_levels(levels.size());
      for (std::size_t k = 0; k < levels.size(); ++k) shade_levels[k] = static_cast<PLFLT>(k);
      // Pale blue at the lowest level to near white at the highest: the
      // paths' colours stand out on every shade.
      const PLFLT position[2] = {0, 1}, red[2] = {0.62, 0.98}, green[2] = {0.75, 0.99},
                  blue[2] = {0.88, 1.0};
      plscmap1n(256);
      plscmap1l(1, 2, position, red, green, blue, nullptr);
      const PLINT contour_color = palette.add({130, 140, 155}, 0.8);
      plshades(rows.data(), static_cast<PLINT>(figure.nx), static_cast<PLINT>(figure.ny), nullptr,
               figure.x_min, figure.x_max, figure.y_min, figure.y_max, shade_levels.data(),
               static_cast<PLINT>(shade_levels.size()), 0, contour_color, 0.6, plfill, 1, nullptr,
               nullptr);
    }
    for (std::size_t i = 0; i < figure.paths.size(); ++i) {
      draw_series(paths[i], figure.paths[i].style, path_colors[i], 0.5);
      if (figure.paths[i].style == SeriesStyle::points) continue;
      // Small markers at the iterates show the step sizes; a few hundred are plenty.
      for (std::size_t run = 0; run < paths[i].xs.size(); ++run) {
        const auto& xs = paths[i].xs[run];
        const auto& ys = paths[i].ys[run];
        const std::size_t stride = xs.size() / 200 + 1;
        std::vector<PLFLT> mx, my;
        for (std::size_t k = 0; k < xs.size(); k += stride) {
          mx.push_back(xs[k]);
          my.push_back(ys[k]);
        }
        draw_markers_at(mx, my, 0.35);
      }
      // A larger marker where the path ends: overlapping paths still show how far each got.
      if (!paths[i].xs.empty()) {
        draw_markers_at({paths[i].xs.back().back()}, {paths[i].ys.back().back()}, 0.75);
      }
    }
    for (std::size_t i = 0; i < figure.points.size(); ++i) {
      draw_series(points[i], SeriesStyle::points, point_colors[i], 1.1);
    }
    draw_axes("bcnst", "bcnstv");
    pllab("x", "y", plot_text(figure.title).c_str());
    draw_legend(legend);
  });
}

}  // namespace descent
