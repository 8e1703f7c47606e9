#include "problems_command.hpp"

#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

#include "descent/nn/layer_spec.hpp"
#include "descent/train/problem.hpp"

namespace descent::cli {

namespace {

void list_problems() {
  std::cout << std::left << std::setw(15) << "problem" << std::right << std::setw(7) << "batch"
            << std::setw(8) << "epochs"
            << "  network and data\n";
  for (const Problem& problem : problems()) {
    std::cout << std::left << std::setw(15) << problem.name << std::right << std::setw(7)
              << problem.batch_size << std::setw(8) << problem.epochs << "  " << problem.title
              << "\n";
  }
  std::cout << "\nTrain one: descent train --problem NAME; its definition: descent problems NAME\n";
}

void show_problem(const Problem& problem) {
  std::cout << problem.name << ": " << problem.title << "\n"
            << "batch " << problem.batch_size
            << (problem.drop_last ? " (last partial batch dropped)" : "") << ", " << problem.epochs
            << " epochs\n";
  if (problem.network.layers.empty()) {
    std::cout << "network: fully connected, hidden";
    for (const std::size_t h : problem.network.hidden) std::cout << " " << h;
    std::cout << "\n";
  } else {
    if (problem.network.input_shape.empty()) {
      std::cout << "network on vectors of " << problem.network.input_dim << " values:\n";
    } else {
      std::cout << "network on " << to_string(problem.network.input_shape) << " images:\n";
    }
    for (const LayerSpec& layer : problem.network.layers) {
      std::cout << "  " << to_string(layer) << "\n";
    }
  }
  if (problem.network.loss != LossKind::softmax) {
    std::cout << "loss: " << to_string(problem.network.loss) << " (no classes; accuracy 0)\n";
  }
  if (!problem.target.empty()) std::cout << "descent compare's target: " << problem.target << "\n";
  std::cout << "source: " << problem.source << "\n";
  if (!problem.differences.empty()) std::cout << "differences: " << problem.differences << "\n";
  std::cout << "data: " << problem.data_files << "\n";
}

}  // namespace

void add_problems_command(CLI::App& app) {
  auto name = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "problems", "List the named test problems that train and compare take with --problem");
  command->add_option("name", *name, "Show this problem's whole definition")
      ->check(CLI::IsMember(problem_names()));
  command->final_callback([name] {
    if (name->empty()) {
      list_problems();
    } else {
      show_problem(find_problem(*name));
    }
  });
}

}  // namespace descent::cli
