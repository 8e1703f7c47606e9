// descent._core: descent's optimizers, schedules and minimizers for Python,
// over the same C++ library the command line uses. The package descent
// (python/descent) builds its NumPy, cs231n and torch interfaces on it.
#include <string>

#include "bindings.hpp"
#include "descent/core/error.hpp"
#include "descent/core/threads.hpp"

PYBIND11_MODULE(_core, module) {
  module.doc() = "descent's C++ optimizers, schedules and minimizers";
  descent::python::bind_errors(module);
  descent::python::bind_optimizer(module);
  descent::python::bind_schedule(module);
  descent::python::bind_minimize(module);
  module.def(
      "set_num_threads",
      [](int n) {
        if (n < 1)
          throw descent::ConfigError("n: expected a thread count >= 1, got " + std::to_string(n));
        descent::set_num_threads(n);
      },
      pybind11::arg("n"), "Threads of descent's loops (OpenMP) and matrix products (OpenBLAS)");
  module.def("num_threads", &descent::num_threads);
}
