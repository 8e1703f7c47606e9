#include <exception>

#include "bindings.hpp"
#include "descent/core/error.hpp"

namespace descent::python {

void bind_errors(pybind11::module_& module) {
  static_cast<void>(module);
  pybind11::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const IoError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });
}

}  // namespace descent::python
