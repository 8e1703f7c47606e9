// NumPy arrays as spans of the memory they hold, never a copy: an array of
// another dtype is a TypeError, one that is not C-contiguous or (to be
// written) not writable a ValueError, each naming the argument.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <span>
#include <string>

namespace descent::python {

// str(value), as Python prints it.
inline std::string text_of(const pybind11::handle& value) {
  return pybind11::str(pybind11::reinterpret_borrow<pybind11::object>(value)).cast<std::string>();
}

// "float32" or "float64".
template <typename T>
std::string dtype_name() {
  return sizeof(T) == 4 ? "float32" : "float64";
}

// True if `array` holds T.
template <typename T>
bool holds(const pybind11::array& array) {
  return array.dtype().is(pybind11::dtype::of<T>());
}

template <typename T>
void check_layout(const pybind11::array& array, const std::string& argument) {
  if (!holds<T>(array)) {
    throw pybind11::type_error(argument + ": expected a " + dtype_name<T>() + " array, got " +
                               text_of(array.dtype()));
  }
  if (!(array.flags() & pybind11::array::c_style)) {
    throw pybind11::value_error(argument +
                                ": expected a C-contiguous array (numpy.ascontiguousarray makes "
                                "one, but then it is a copy and the update would not reach the "
                                "original)");
  }
}

// The memory of `array`, to update in place.
template <typename T>
std::span<T> writable_span(pybind11::array& array, const std::string& argument) {
  check_layout<T>(array, argument);
  if (!array.writeable()) {
    throw pybind11::value_error(argument + ": the array is read-only, and is updated in place");
  }
  return {static_cast<T*>(array.mutable_data()), static_cast<std::size_t>(array.size())};
}

// The memory of `array`, to read.
template <typename T>
std::span<const T> readable_span(const pybind11::array& array, const std::string& argument) {
  check_layout<T>(array, argument);
  return {static_cast<const T*>(array.data()), static_cast<std::size_t>(array.size())};
}

}  // namespace descent::python
