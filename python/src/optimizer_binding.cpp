// descent._core.Optimizer: a first-order method of the registry updating a
// NumPy array in place, its state readable and writable as arrays that are
// views of the C++ buffers.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "arrays.hpp"
#include "bindings.hpp"
#include "descent/core/bytes.hpp"
#include "descent/core/error.hpp"
#include "descent/core/text.hpp"
#include "descent/optim/parallel_loop.hpp"
#include "descent/optim/registry.hpp"
#include "options.hpp"

namespace descent::python {

namespace py = pybind11;

namespace {

// Below this many parameters a step keeps the GIL: releasing it costs more
// than the step.
constexpr std::size_t kReleaseGilFrom = 1 << 15;

// True if no value is NaN or Inf: x * 0 is 0 for a finite x and NaN for
// any other, so a sum of them is 0 exactly when all are finite. Blocks of
// kParallelThreshold values, each a vectorized sum, spread over the threads
// (a combined parallel-for-simd reduction does not vectorize on one thread).
template <typename T>
bool all_finite(std::span<const T> values) {
  const std::size_t block = kParallelThreshold;
  const auto blocks = static_cast<std::ptrdiff_t>((values.size() + block - 1) / block);
  T poison = 0;
#pragma omp parallel for reduction(+ : poison) schedule(static) if (blocks > 1)
  for (std::ptrdiff_t b = 0; b < blocks; ++b) {
    const std::size_t from = static_cast<std::size_t>(b) * block;
    const std::span<const T> part = values.subspan(from, std::min(block, values.size() - from));
    T sum = 0;
#pragma omp simd reduction(+ : sum)
    for (std::size_t i = 0; i < part.size(); ++i) sum += part[i] * T(0);
    poison += sum;
  }
  return poison == 0;
}

// ValueError unless dw has w's shape.
void check_same_shape(const py::array& w, const py::array& dw) {
  const auto shape_of = [](const py::array& array) {
    std::string text = "(";
    for (py::ssize_t axis = 0; axis < array.ndim(); ++axis) {
      text += (axis ? ", " : "") + std::to_string(array.shape(axis));
    }
    return text + (array.ndim() == 1 ? ",)" : ")");
  };
  if (shape_of(w) != shape_of(dw)) {
    throw py::value_error("dw: expected shape " + shape_of(w) + " as w has, got " + shape_of(dw));
  }
}

class PyOptimizer {
 public:
  PyOptimizer(std::string name, const py::dict& options)
      : name_(method_info(name).name), options_(option_values(options)) {
    if (optimizer_kind(name_) != OptimizerKind::first_order) {
      throw ConfigError("optimizer: '" + name_ + "' chooses its own steps; use minimize_function");
    }
    check_optimizer(name_, options_);
  }

  const std::string& name() const { return name_; }
  py::object dtype() const {
    if (std::holds_alternative<std::monostate>(impl_)) return py::none();
    return std::holds_alternative<Float>(impl_) ? py::object(py::dtype::of<float>())
                                                : py::object(py::dtype::of<double>());
  }

  void prepare(std::size_t n, const py::object& dtype_like) {
    const py::dtype dtype = py::dtype::from_args(dtype_like);
    if (dtype.is(py::dtype::of<float>())) {
      optimizer_for<float>("dtype").prepare(n);
    } else if (dtype.is(py::dtype::of<double>())) {
      optimizer_for<double>("dtype").prepare(n);
    } else {
      throw py::type_error("dtype: expected float32 or float64, got " + text_of(dtype));
    }
  }

  void step(py::array w, const py::array& dw, double lr, bool check_finite) {
    if (!std::isfinite(lr) || lr < 0) {
      throw py::value_error("lr: expected a finite learning rate >= 0, got " + shortest(lr));
    }
    check_same_shape(w, dw);
    if (holds<float>(w)) {
      step_typed<float>(w, dw, lr, check_finite);
    } else if (holds<double>(w)) {
      step_typed<double>(w, dw, lr, check_finite);
    } else {
      throw py::type_error("w: expected a float32 or float64 array, got " + text_of(w.dtype()));
    }
  }

  // name -> a view of that buffer; `self` keeps the optimizer alive while a view lives.
  py::dict state(const py::object& self) {
    py::dict views;
    std::visit(
        [&](auto& optimizer) {
          using Held = std::decay_t<decltype(optimizer)>;
          if constexpr (!std::is_same_v<Held, std::monostate>) {
            using T = typename Held::element_type::Value;
            for (const StateBuffer<T>& buffer : optimizer->state()) {
              views[py::str(buffer.name)] =
                  py::array_t<T>({static_cast<py::ssize_t>(buffer.values.size())}, {sizeof(T)},
                                 buffer.values.data(), self);
            }
          }
        },
        impl_);
    return views;
  }

  py::dict scalars() {
    py::dict values;
    for_each_scalar(
        [&](const StateScalar& scalar) { values[py::str(scalar.name)] = *scalar.value; });
    return values;
  }

  void set_scalar(const std::string& name, double value) {
    bool found = false;
    for_each_scalar([&](const StateScalar& scalar) {
      if (scalar.name == name) {
        *scalar.value = value;
        found = true;
      }
    });
    if (!found) throw ConfigError(name + ": " + name_ + " keeps no such number in its state");
  }

  std::int64_t steps() const {
    return std::visit(
        [&](const auto& optimizer) -> std::int64_t {
          if constexpr (std::is_same_v<std::decay_t<decltype(optimizer)>, std::monostate>) {
            return pending_steps_;
          } else {
            return optimizer->steps();
          }
        },
        impl_);
  }

  void set_steps(std::int64_t t) {
    if (t < 0) throw ConfigError("steps: expected a count >= 0, got " + std::to_string(t));
    std::visit(
        [&](auto& optimizer) {
          if constexpr (std::is_same_v<std::decay_t<decltype(optimizer)>, std::monostate>) {
            pending_steps_ = t;
          } else {
            optimizer->set_steps(t);
          }
        },
        impl_);
  }

  std::size_t size() const {
    return std::visit(
        [](const auto& optimizer) -> std::size_t {
          if constexpr (std::is_same_v<std::decay_t<decltype(optimizer)>, std::monostate>) {
            return 0;
          } else {
            return optimizer->size();
          }
        },
        impl_);
  }

  // For pickle: (name, options, dtype, saved state).
  py::tuple get_state() const {
    std::string dtype;
    ByteWriter out;
    std::visit(
        [&](const auto& optimizer) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(optimizer)>, std::monostate>) {
            using T = typename std::decay_t<decltype(optimizer)>::element_type::Value;
            dtype = dtype_name<T>();
            optimizer->save(out);
          }
        },
        impl_);
    py::dict options;
    for (const auto& [key, value] : options_) {
      options[py::str(key)] = std::visit([](const auto& v) { return py::cast(v); }, value);
    }
    return py::make_tuple(name_, options, dtype, py::bytes(out.bytes()), pending_steps_);
  }

  static PyOptimizer from_state(const py::tuple& saved) {
    if (saved.size() != 5) throw FormatError("pickled Optimizer: expected 5 fields");
    PyOptimizer optimizer(saved[0].cast<std::string>(), saved[1].cast<py::dict>());
    const auto dtype = saved[2].cast<std::string>();
    const auto bytes = saved[3].cast<std::string>();
    if (dtype == "float32") optimizer.load<float>(bytes);
    if (dtype == "float64") optimizer.load<double>(bytes);
    optimizer.pending_steps_ = saved[4].cast<std::int64_t>();
    return optimizer;
  }

 private:
  using Float = std::unique_ptr<Optimizer<float>>;
  using Double = std::unique_ptr<Optimizer<double>>;

  // The optimizer for T, made at the first use; TypeError if it was made for
  // the other type.
  template <typename T>
  Optimizer<T>& optimizer_for(const std::string& argument) {
    using Held = std::unique_ptr<Optimizer<T>>;
    if (std::holds_alternative<std::monostate>(impl_)) {
      auto made = make_optimizer<T>(name_, options_);
      if (pending_steps_ > 0) made->set_steps(pending_steps_);
      impl_ = std::move(made);
    }
    if (!std::holds_alternative<Held>(impl_)) {
      throw py::type_error(argument + ": this optimizer's state is " + text_of(dtype()) + ", got " +
                           dtype_name<T>());
    }
    return *std::get<Held>(impl_);
  }

  template <typename T>
  void step_typed(py::array& w, const py::array& dw, double lr, bool check_finite) {
    const std::span<T> params = writable_span<T>(w, "w");
    const std::span<const T> grads = readable_span<T>(dw, "dw");
    Optimizer<T>& optimizer = optimizer_for<T>("w");
    if (params.size() >= kReleaseGilFrom) {
      py::gil_scoped_release released;
      checked_step(optimizer, params, grads, lr, check_finite);
    } else {
      checked_step(optimizer, params, grads, lr, check_finite);
    }
  }

  template <typename T>
  static void checked_step(Optimizer<T>& optimizer, std::span<T> params, std::span<const T> grads,
                           double lr, bool check_finite) {
    if (check_finite && !all_finite(grads)) {
      throw ConfigError("dw: the gradient holds NaN or Inf; nothing was updated");
    }
    optimizer.step(params, grads, static_cast<T>(lr));
  }

  template <typename T>
  void load(const std::string& bytes) {
    ByteReader in(bytes, "pickled Optimizer");
    optimizer_for<T>("dtype").load(in);
  }

  template <typename Visit>
  void for_each_scalar(Visit visit) {
    std::visit(
        [&](auto& optimizer) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(optimizer)>, std::monostate>) {
            for (const StateScalar& scalar : optimizer->scalars()) visit(scalar);
          }
        },
        impl_);
  }

  std::string name_;
  OptionValues options_;
  std::variant<std::monostate, Float, Double> impl_;
  std::int64_t pending_steps_ = 0;  // set_steps before the type is known
};

}  // namespace

void bind_optimizer(py::module_& module) {
  py::class_<PyOptimizer>(module, "Optimizer",
                          "A first-order optimizer of descent's registry, by name, updating a "
                          "float32 or float64 array in place")
      .def(py::init<std::string, py::dict>(), py::arg("name"), py::arg("options") = py::dict())
      .def_property_readonly("name", &PyOptimizer::name)
      .def_property_readonly("dtype", &PyOptimizer::dtype)
      .def_property_readonly("size", &PyOptimizer::size)
      .def_property("steps", &PyOptimizer::steps, &PyOptimizer::set_steps)
      .def("prepare", &PyOptimizer::prepare, py::arg("n"), py::arg("dtype"))
      .def("step", &PyOptimizer::step, py::arg("w"), py::arg("dw"), py::arg("lr"),
           py::arg("check_finite") = true)
      .def("state", [](py::object self) { return self.cast<PyOptimizer&>().state(self); })
      .def_property_readonly("scalars", &PyOptimizer::scalars)
      .def("set_scalar", &PyOptimizer::set_scalar, py::arg("name"), py::arg("value"))
      .def(py::pickle([](const PyOptimizer& optimizer) { return optimizer.get_state(); },
                      [](const py::tuple& saved) { return PyOptimizer::from_state(saved); }));

  module.def(
      "optimizer_names", [] { return optimizer_names(); },
      "The first-order methods, in the order descent lists them");
  module.def("quasi_newton_names", [] { return quasi_newton_names(); });
  module.def("default_learning_rate", &default_learning_rate, py::arg("name"));
  module.def(
      "method_options",
      [](const std::string& name) { return describe_options(method_info(name).options); },
      py::arg("name"), "The options of method `name`: dicts of name, type, default, help, choices");
}

}  // namespace descent::python
