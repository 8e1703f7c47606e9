#include "descent/experiment/figure.hpp"

#include <array>
#include <string_view>

#include "descent/optim/registry.hpp"

namespace descent {

std::string optimizer_color(const std::string& optimizer) {
  // The quasi-Newton methods, darker than any colour below so that they stand
  // apart from the first-order optimizers: from d3's category20b, the
  // companion of Tableau 10 (category10).
  if (optimizer == "lbfgs") return "#393b79";
  if (optimizer == "cg") return "#637939";
  if (optimizer == "olbfgs") return "#8c6d31";
  if (optimizer == "sfo") return "#843c39";
  // Tableau 10, then repeated: the notes' six first, in their order.
  static constexpr std::array<std::string_view, 10> palette = {
      "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  const auto& names = optimizer_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == optimizer) return std::string(palette[i % palette.size()]);
  }
  return "#000000";
}

}  // namespace descent
