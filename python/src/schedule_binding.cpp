// descent._core.Schedule: a learning-rate schedule of descent's table, by
// kind, as a callable of the update t (counted from 0).
#include <pybind11/stl.h>

#include <string>

#include "bindings.hpp"
#include "descent/optim/schedule.hpp"
#include "options.hpp"

namespace descent::python {

namespace py = pybind11;

namespace {

Schedule make_schedule(const std::string& kind, double base_lr, const py::dict& options) {
  OptionValues values = option_values(options);
  values["schedule"] = kind;
  return Schedule(schedule_config(values), base_lr);
}

}  // namespace

void bind_schedule(py::module_& module) {
  py::class_<Schedule>(module, "Schedule",
                       "A learning-rate schedule: lr(t) for update t, counted from 0")
      .def(py::init(&make_schedule), py::arg("kind"), py::arg("lr"),
           py::arg("options") = py::dict())
      .def("lr", &Schedule::lr, py::arg("t"))
      .def("__call__", &Schedule::lr, py::arg("t"))
      .def("observe", &Schedule::observe, py::arg("metric"),
           "One epoch's validation metric (plateau only)")
      .def_property_readonly("base_lr", &Schedule::base_lr)
      .def("__repr__",
           [](const Schedule& schedule) { return "Schedule(" + schedule.describe() + ")"; });
  module.def("schedule_names", [] { return schedule_names(); });
  module.def(
      "schedule_options",
      [] { return describe_options(option_infos(schedule_option_table(), ScheduleConfig{})); },
      "The schedules' options: dicts of name, type, default, help, choices");
}

}  // namespace descent::python
