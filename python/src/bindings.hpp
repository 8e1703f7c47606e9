// The parts of the extension module descent._core, one file each.
#pragma once

#include <pybind11/pybind11.h>

namespace descent::python {

// The C++ exceptions as Python's: a bad setting or shape is a ValueError, a
// file that cannot be read an OSError, each with descent's message.
void bind_errors(pybind11::module_& module);
// Optimizer (any first-order method of the registry, by name) and the tables.
void bind_optimizer(pybind11::module_& module);
// Schedule (a learning-rate schedule, by name) and schedule_names().
void bind_schedule(pybind11::module_& module);
// minimize_function (L-BFGS or CG on a Python function) and minimize_test_function.
void bind_minimize(pybind11::module_& module);

}  // namespace descent::python
