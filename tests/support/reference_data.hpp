// Reference data committed beside the tests, written by the scripts next to
// it (PyTorch, NumPy): read as JSON, so that the tests need no Python.
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace descent::testing {

// tests/<relative> parsed; DESCENT_TESTS_DIR is the tests' source folder.
inline nlohmann::json reference_json(const std::string& relative) {
  std::ifstream in(std::string(DESCENT_TESTS_DIR) + "/" + relative);
  return nlohmann::json::parse(in);
}

// The noisy quadratic's reference (nn/reference/make_quadratic_reference.py).
inline nlohmann::json quadratic_reference() {
  return reference_json("nn/reference/quadratic_deep.json");
}

}  // namespace descent::testing
