// descent._core.minimize_function (L-BFGS or CG, with their line searches, on
// a Python function) and descent._core.minimize_test_function (any method of
// the registry on a built-in test function, with its trace).
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "descent/core/error.hpp"
#include "descent/optim/minimize.hpp"
#include "descent/optim/registry.hpp"
#include "options.hpp"

namespace descent::python {

namespace py = pybind11;

namespace {

LineSearchMinimizerConfig minimizer_config(const LineSearchConfig& line_search,
                                           const py::dict& stopping) {
  LineSearchMinimizerConfig config{line_search, {}};
  for (const auto& [key, value] : stopping) {
    const auto name = key.cast<std::string>();
    if (name == "max_iterations") {
      config.stopping.max_iterations = value.cast<std::size_t>();
    } else if (name == "max_evaluations") {
      config.stopping.max_evaluations = value.cast<std::size_t>();
    } else if (name == "gradient_tolerance") {
      config.stopping.gradient_tolerance = value.cast<double>();
    } else if (name == "f_tolerance") {
      config.stopping.f_tolerance = value.cast<double>();
    } else {
      throw ConfigError(name +
                        ": not a stopping rule (max_iterations, max_evaluations, "
                        "gradient_tolerance, f_tolerance)");
    }
  }
  config.validate();
  return config;
}

LineSearchParts<double> line_search_parts(const std::string& method, const py::dict& options) {
  if (optimizer_kind(method) != OptimizerKind::line_search) {
    throw ConfigError("method: expected a line-search method (lbfgs or cg), got '" + method + "'");
  }
  return make_line_search_parts<double>(method, option_values(options));
}

// f(x) -> (value, gradient) as descent's objective: x is handed over as a
// fresh array (the caller may keep it), the gradient is checked for shape.
Objective<double> python_objective(const py::function& f) {
  return [f](std::span<const double> x, std::span<double> gradient) {
    py::array_t<double> point(static_cast<py::ssize_t>(x.size()));
    std::copy(x.begin(), x.end(), point.mutable_data());
    const py::tuple returned = f(point);
    if (returned.size() != 2) {
      throw ConfigError("f: expected f(x) to return (value, gradient)");
    }
    const auto value = returned[0].cast<double>();
    const auto grad =
        py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(returned[1]);
    if (!grad || static_cast<std::size_t>(grad.size()) != x.size()) {
      throw ShapeError("f: expected a gradient of " + std::to_string(x.size()) + " values");
    }
    std::copy(grad.data(), grad.data() + x.size(), gradient.begin());
    return value;
  };
}

py::dict minimize_function(const py::function& f, const py::array& x0, const std::string& method,
                           const py::dict& options, const py::dict& stopping) {
  const std::span<const double> start = readable_span<double>(x0, "x0");
  py::array_t<double> x(static_cast<py::ssize_t>(start.size()));
  std::copy(start.begin(), start.end(), x.mutable_data());
  const LineSearchParts<double> parts = line_search_parts(method, options);
  std::vector<double> values;
  const SearchResult result = minimize_with_line_search<double>(
      python_objective(f), *parts.direction, std::span<double>(x.mutable_data(), start.size()),
      minimizer_config(parts.line_search, stopping),
      [&](const IterationReport<double>& report) { values.push_back(report.f); });
  py::dict out;
  out["x"] = x;
  out["f"] = result.f;
  out["gradient_norm"] = result.gradient_norm;
  out["iterations"] = result.iterations;
  out["evaluations"] = result.evaluations;
  out["reason"] = to_string(result.reason);
  out["message"] = result.message;
  out["converged"] = result.converged();
  out["values"] = py::array_t<double>(static_cast<py::ssize_t>(values.size()), values.data());
  return out;
}

// The points (one row per point, the start first) and f at each.
struct Trace {
  std::vector<double> points;
  std::vector<double> values;
  void add(double f, std::span<const double> x) {
    values.push_back(f);
    points.insert(points.end(), x.begin(), x.end());
  }
};

py::dict minimize_test_function(const std::string& name, const std::string& method,
                                std::size_t steps, const std::function<double(std::size_t)>& lr,
                                const py::dict& options, std::size_t dim) {
  const auto function = make_test_function(name, dim);
  Trace trace;
  bool diverged = false;
  if (optimizer_kind(method) == OptimizerKind::line_search) {
    const LineSearchParts<double> parts = line_search_parts(method, options);
    py::dict stopping;
    stopping["max_iterations"] = std::max<std::size_t>(steps, 1);
    std::vector<double> x = function->start();
    const SearchResult result = minimize_with_line_search(
        *function, *parts.direction, x, minimizer_config(parts.line_search, stopping),
        [&](const IterationReport<double>& report) { trace.add(report.f, report.x); });
    diverged = result.reason == StopReason::not_finite;
  } else {
    const auto optimizer = make_optimizer<double>(method, option_values(options));
    const MinimizeResult result =
        minimize(*function, *optimizer, function->start(), steps, lr,
                 [&](std::size_t, double f, std::span<const double> x) { trace.add(f, x); });
    diverged = result.diverged;
  }
  const auto rows = static_cast<py::ssize_t>(trace.values.size());
  py::dict out;
  out["points"] =
      py::array_t<double>({rows, static_cast<py::ssize_t>(function->dim())}, trace.points.data());
  out["values"] = py::array_t<double>(rows, trace.values.data());
  out["minimum"] = function->minimum();
  out["diverged"] = diverged;
  return out;
}

}  // namespace

void bind_minimize(py::module_& module) {
  module.def("minimize_function", &minimize_function, py::arg("f"), py::arg("x0"),
             py::arg("method") = "lbfgs", py::arg("options") = py::dict(),
             py::arg("stopping") = py::dict(),
             "Minimizes f(x) -> (value, gradient) from x0 with L-BFGS or CG");
  module.def("minimize_test_function", &minimize_test_function, py::arg("name"), py::arg("method"),
             py::arg("steps"), py::arg("lr"), py::arg("options") = py::dict(), py::arg("dim") = 0,
             "Runs a method of the registry on a built-in test function");
  module.def("test_function_names", [] { return test_function_names(); });
}

}  // namespace descent::python
