// A user's program: a network and an optimizer from the installed package.
#include <descent/core/rng.hpp>
#include <descent/nn/network.hpp>
#include <descent/optim/registry.hpp>
#include <iostream>

int main() {
  descent::NetworkConfig config;
  config.input_dim = 4;
  config.hidden = {8};
  config.num_classes = 2;
  descent::Network network(config, 1);
  descent::Matrix x(6, 4);
  x.setRandom();
  const std::vector<std::int32_t> y = {0, 1, 0, 1, 1, 0};
  descent::Rng rng(2);
  auto sgd = descent::make_optimizer<float>("sgd");
  const float first = network.loss_and_grad(x, y, rng);
  float last = first;
  for (int i = 0; i < 50; ++i) {
    sgd->step(network.params().values(), network.params().grads(), 0.1f);
    last = network.loss_and_grad(x, y, rng);
  }
  std::cout << (last < first ? "loss decreased" : "loss did not decrease") << " " << first << " -> "
            << last << "\n";
  return last < first ? 0 : 1;
}
