// Figures drawn into PNG and SVG files by PLplot's cairo driver, for papers
// and the README: white background, the series' colours, dashed and marker
// styles, log axes, a legend beside the plot. Around 800x560 (pixels for
// PNG, points for SVG).
//
// Points whose x or y is not finite (a diverged run's tail), or not positive
// on a log axis, are left out: a line breaks there, and the axis ranges come
// from the points that remain. A figure with no such point is still drawn,
// with empty axes that say "no data".
//
// PLplot keeps global state, so drawings are serialized by one lock: saving
// from several threads is safe but not parallel.
#pragma once

#include <filesystem>

#include "descent/experiment/figure.hpp"

namespace descent {

// ConfigError unless `path` ends in .png or .svg, the formats save_figure writes.
void check_plot_path(const std::filesystem::path& path);

// Draws the figure into `path`: PNG or SVG by its extension. ConfigError for
// another extension or a colour that is not "#rrggbb", ShapeError if a
// series' x and y differ in length, IoError if the file cannot be written.
// Written atomically.
void save_figure(const Figure& figure, const std::filesystem::path& path);

// Draws filled contours of the sampled function at its levels, with the
// paths over them as lines with small markers, and the points as larger
// markers. Errors as save_figure's; ShapeError if values is not nx * ny
// (nx, ny >= 2), ConfigError for an empty or non-finite window.
void save_contour(const ContourFigure& figure, const std::filesystem::path& path);

}  // namespace descent
